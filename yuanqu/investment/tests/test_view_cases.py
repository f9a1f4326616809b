"""The shared CRUD cases on the 招商 lead pages (a lead belongs to the department that runs it)."""

import itertools

from yuanqu.investment.choices import Region, Source
from yuanqu.investment.models import Lead, LeadEvent
from yuanqu.utilities.testing.views import ALL, ViewTestCases

from .conftest import make_lead

_serial = itertools.count(1)


class TestLeadViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = Lead
    # The form's department list is what the tester may view.
    base_grants = [("users.department", ["view"], ALL)]
    edit_changes = {"investor": "杭州新能源投资有限公司", "origin_city": "杭州"}
    # A refused save must not open the lead's first stage event either.
    watched_models = (LeadEvent,)

    def make_record(self, department):
        return make_lead(f"测试招商项目{next(_serial)}", department)

    def create_data(self, department):
        return {
            "name": f"苏州光伏组件项目{next(_serial)}",
            "investor": "苏州光伏有限公司",
            "origin_region": Region.YANGTZE,
            "source": Source.EXPO,
            "lead_on": "2024-03-01",
            "contracted_investment_wan": "12000.00",
            "department": department.pk,
        }
