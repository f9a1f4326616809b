"""The shared CRUD cases on the 亩均评价 pages: schemes (with their indicators' inline formset),
evaluation data, results and appeals. A scheme is its responsible department's; data and
results follow the enterprise's department, appeals the scheme's."""

import datetime
import itertools
from decimal import Decimal as D

from django.db.models import Max

from yuanqu.evaluation.choices import ClassBasis, SchemeStatus
from yuanqu.evaluation.models import (
    Appeal,
    EvaluationInput,
    EvaluationResult,
    EvaluationScheme,
    SchemeIndicator,
)
from yuanqu.evaluation.services import default_rules
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import ALL, ViewTestCases

from .conftest import make_scheme

_serial = itertools.count(1)


def next_year() -> int:
    """A scheme year not taken yet (one scheme per year)."""
    return (EvaluationScheme.objects.aggregate(last=Max("year"))["last"] or 2000) + 1


class TestEvaluationSchemeViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = EvaluationScheme
    base_grants = [("users.department", ["view"], ALL)]
    edit_changes = {"land_threshold_mu": "5.00", "comments": "按2024年文件修订"}
    outside_grant_error = "保存后的方案超出了您的权限范围（例如责任部门不是本部门），未保存。"
    watched_models = (SchemeIndicator,)

    def make_record(self, department):
        return make_scheme(next_year(), department, status=SchemeStatus.DRAFT)

    def listed_record_text(self, record):  # the list shows the year, linked to the scheme
        return f'href="{record.get_absolute_url()}"'

    def exported_record_text(self, record):
        return str(record.year)

    def create_data(self, department):
        rules = default_rules()
        data = {
            "year": str(2090 - EvaluationScheme.objects.filter(year__gte=2050).count()),
            "populations": ["industry"],
            "class_basis": ClassBasis.RANK,
            "cut_a": "20",
            "cut_b": "65",
            "cut_c": "95",
            "status": SchemeStatus.DRAFT,
            "department": department.pk,
            "comments": "参照黄岩2022年办法",
            "indicators-TOTAL_FORMS": str(len(rules)),
            "indicators-INITIAL_FORMS": "0",
        }
        for i, rule in enumerate(rules):
            data.update(
                {
                    f"indicators-{i}-code": rule.code,
                    f"indicators-{i}-weight": str(rule.weight),
                    f"indicators-{i}-benchmark": str(rule.benchmark),
                    f"indicators-{i}-when_missing": rule.when_missing,
                }
            )
        return data

    def _assert_posted_values_logged(self, data, logged):
        fields = {k: v for k, v in data.items() if not k.startswith("indicators-") and k != "populations"}
        super()._assert_posted_values_logged(fields, logged)
        assert logged["populations"] == ["industry"]


class TestEvaluationInputViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = EvaluationInput
    base_grants = [("enterprises.enterprise", ["view"], ALL)]
    edit_changes = {"value_added_wan": "8100.0000", "source": "统计局年报（更正）"}

    def make_record(self, department):
        return EvaluationInput.objects.create(
            enterprise=f.enterprise(dept=department), year=2024, tax_wan=D(750), source="税务部门"
        )

    def record_text(self, record):
        return record.enterprise.name

    def move_out_changes(self, department):
        return {"enterprise": f.enterprise(dept=department).pk}

    def create_data(self, department):
        return {
            "enterprise": f.enterprise(dept=department).pk,
            "year": "2024",
            "tax_wan": "1500.0000",
            "value_added_wan": "8000.0000",
            "energy_tce": "2500.0000",
            "source": "统计局年报",
        }


def make_result(department, status=SchemeStatus.PUBLISHED):
    """A scored result of an enterprise of the department, under a scheme of that department."""
    scheme = make_scheme(next_year(), department, status=status)
    enterprise = f.enterprise(dept=department)
    return EvaluationResult.objects.create(
        scheme=scheme,
        enterprise=enterprise,
        year=scheme.year,
        evaluated=True,
        score=D("98.5"),
        rank=1,
        grade="A",
    )


class TestEvaluationResultViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = EvaluationResult

    def make_record(self, department):
        return make_result(department)

    def record_text(self, record):
        return record.enterprise.name


class TestAppealViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = Appeal

    def make_record(self, department):
        return Appeal.objects.create(
            result=make_result(department),
            reason=f"用地面积登记有误{next(_serial)}号",
            submitted_on=datetime.date(2025, 5, 10),
        )

    def record_text(self, record):
        return record.result.enterprise.name
