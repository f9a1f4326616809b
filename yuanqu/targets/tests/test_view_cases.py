"""The shared CRUD cases on the target sheet's records: a target belongs to its responsible
department; a report is a child of its target and reaches a department through it."""

import datetime
import itertools
from decimal import Decimal

from yuanqu.figures.models import Unit
from yuanqu.targets.models import Target, TargetReport
from yuanqu.utilities.testing.views import ALL, ViewTestCases

_serial = itertools.count(1)


def target_of(department, **extra) -> Target:
    n = next(_serial)
    return Target.objects.create(
        year=2024,
        name=f"测试目标{n:04}",
        kind="total",
        value=Decimal(100),
        unit=Unit.objects.get(name="个"),
        department=department,
        **extra,
    )


class TestTargetViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = Target
    base_grants = [
        ("users.department", ["view"], ALL),
        ("users.zone", ["view"], ALL),
        ("figures.unit", ["view"], ALL),
    ]
    edit_changes = {"name": "引进亿元以上项目（调整）", "value": "80.0000"}

    def make_record(self, department):
        return target_of(department)

    def record_text(self, record):
        return record.name

    def create_data(self, department):
        n = next(_serial)
        return {
            "year": "2024",
            "name": f"新增规上企业{n:04}",
            "figure": "",
            "kind": "total",
            "value": "30.0000",
            "unit": Unit.objects.get(name="家").pk,
            "comparator": "ge",
            "department": department.pk,
            "order": "3",
        }


class TestTargetReportViews(
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.DeleteObjectViewTestCase,
):
    """The tester may view every target, so only the report's own grant decides; moving a
    report out means naming another department's target."""

    model = TargetReport
    base_grants = [("targets.target", ["view"], ALL)]
    edit_changes = {"actual": "42.0000", "comments": "含已签约未注册项目"}

    def make_record(self, department):
        return TargetReport.objects.create(
            target=target_of(department), period=datetime.date(2024, 6, 1), actual=Decimal(35)
        )

    def record_text(self, record):
        return record.target.name

    def create_url(self, department):
        return self.url("add") + f"?target={target_of(department).pk}"

    def create_data(self, department):
        return {
            "target": target_of(department).pk,
            "period": "2024-09",
            "actual": "61.5",
            "comments": "1–9月累计",
        }

    def move_out_changes(self, department):
        return {"target": target_of(department).pk}

    def _assert_posted_values_logged(self, data, logged):
        assert logged["period"] == "2024-09-01"  # a month is kept as its first day
        super()._assert_posted_values_logged({k: v for k, v in data.items() if k != "period"}, logged)
