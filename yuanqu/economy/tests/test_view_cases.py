"""The shared CRUD cases on the economy pages not covered in ``test_views.py``: the indicator
catalogue (no department), zone figures (by 片区, no department) and annual targets (by
responsible department)."""

import datetime
import itertools
from decimal import Decimal as D

from django.urls import reverse

from yuanqu.economy.choices import IndicatorKind, IndicatorLevel, Population, Unit
from yuanqu.economy.models import Indicator, ZoneMonthlyFigure
from yuanqu.economy.services import record_zone_figure
from yuanqu.users.choices import ZoneKind
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import ALL, ViewTestCases

_serial = itertools.count(1)


class TestIndicatorViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = Indicator
    edit_changes = {"name": "规上工业增加值（测试改名）", "order": "7"}

    def make_record(self, department):  # the catalogue names no department
        n = next(_serial)
        return Indicator.objects.create(
            code=f"test_indicator_{n}", name=f"测试指标{n}", unit=Unit.WAN_YUAN, order=0
        )

    def create_data(self, department):
        n = next(_serial)
        return {
            "code": f"new_indicator_{n}",
            "name": f"新增指标{n}",
            "unit": Unit.WAN_KWH,
            "kind": IndicatorKind.MONTH_FLOW,
            "level": IndicatorLevel.ENTERPRISE,
            "population": Population.INDUSTRY,
            "order": "3",
            "active": "on",
        }


class TestZoneMonthlyFigureViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = ZoneMonthlyFigure
    base_grants = [("economy.indicator", ["view"], ALL), ("users.zone", ["view"], ALL)]
    invalid_changes = {"period": "2024-13"}

    def indicator(self):
        return Indicator.objects.filter(level=IndicatorLevel.ZONE).order_by("pk").first()

    def make_record(self, department):  # a figure is a 片区's, not a department's
        zone = f.zone(f"片区{next(_serial)}", kind=ZoneKind.AREA)
        return record_zone_figure(zone, self.indicator(), datetime.date(2024, 8, 1), ytd_value=D(120))

    def record_text(self, record):
        return record.zone.name

    def listed_record_text(self, record):  # the 片区 names are choices of the list's filter too
        return f'href="{reverse("economy:zonemonthlyfigure", args=[record.pk])}"'

    def create_data(self, department):
        return {
            "zone": f.zone(f"新片区{next(_serial)}", kind=ZoneKind.AREA).pk,
            "indicator": self.indicator().pk,
            "period": "2024-03",
            "ytd_value": "88.5",
            "published_growth": "6.5",
        }

    def _assert_posted_values_logged(self, data, logged):
        assert logged["zone"] == data["zone"] and logged["indicator"] == data["indicator"]
        assert logged["period"] == "2024-03-01"
        assert D(logged["ytd_value"]) == D("88.5")
        assert D(logged["published_growth"]) == D("0.065")  # typed in percent, kept as a fraction
