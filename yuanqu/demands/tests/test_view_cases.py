"""The shared CRUD cases on the demand pages: the list and a demand's page (intake and every
later step are workflow actions with their own tests), and the category catalogue, which names
no department."""

import itertools

from yuanqu.demands import services
from yuanqu.demands.choices import CategoryGroup
from yuanqu.demands.models import Demand, DemandCategory
from yuanqu.users.choices import Role
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import ViewTestCases

from .conftest import at

_serial = itertools.count(1)


class TestDemandViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = Demand

    def make_record(self, department):
        n = next(_serial)
        return services.receive(
            f.user(f"receiver{n}", Role.STAFF, department),
            enterprise=f.enterprise(dept=department),
            category=DemandCategory.objects.get(name="用电"),
            channel="visit",
            title=f"临时用电增容{n}号",
            description="新厂房投产需要增容。",
            received_at=at(2024, 9, 27),
        )

    def record_text(self, record):
        return record.title


class TestDemandCategoryViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = DemandCategory
    edit_changes = {"time_limit_workdays": "8", "yellow_before_workdays": "2"}

    def make_record(self, department):  # the catalogue names no department
        return DemandCategory.objects.create(
            name=f"测试类别{next(_serial)}", group=CategoryGroup.POLICY, time_limit_workdays=5, order=0
        )

    def record_text(self, record):
        return record.name

    def create_data(self, department):
        return {
            "name": f"新类别{next(_serial)}",
            "group": CategoryGroup.APPROVAL,
            "time_limit_workdays": "10",
            "yellow_before_workdays": "2",
            "order": "1",
            "active": "on",
        }
