"""The demo zone's economic data: three years of 规上工业 reports and zone figures, no duplicates;
the year's targets are the target sheet's demo, not the economy's."""

import datetime
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from yuanqu.economy.demo import generate_economy
from yuanqu.economy.models import EnterpriseMonthlyValue, PeriodLock, ZoneMonthlyFigure
from yuanqu.economy.services import add_months
from yuanqu.enterprises import demo
from yuanqu.targets.models import Target
from yuanqu.users.models import Zone

TODAY = datetime.date(2024, 11, 20)


@pytest.mark.django_db
def test_demo_has_three_years_of_reports_and_is_built_once():
    assert generate_economy(TODAY) is None  # no demo zone yet: nothing to add to
    demo.generate(demo.DEFAULT_ENTERPRISES, today=TODAY)
    summary = generate_economy(TODAY)
    assert summary["values"] == EnterpriseMonthlyValue.objects.count() > 10_000

    periods = EnterpriseMonthlyValue.objects.values_list("period", flat=True).distinct()
    assert min(periods) == datetime.date(2022, 1, 1) and max(periods) == datetime.date(2024, 10, 1)
    december = EnterpriseMonthlyValue.objects.filter(indicator__code="industrial_output", period="2023-12-01")
    full_year_yi = december.aggregate(total=Sum("ytd_value"))["total"] / 10000
    assert D(250) < full_year_yi < D(268)  # about 259亿元
    out = io.StringIO()
    call_command("indicators", "--period", "2023-12", "--json", stdout=out)
    full_year = next(r for r in json.loads(out.getvalue()) if r["code"] == "industrial_output")
    assert 0.07 < full_year["growth"] < 0.13  # about 10 % over 2022
    assert (
        "家企业无上年同期数据" in full_year["note"]
        and "家企业上年同期有数据、本期无数据" in full_year["note"]
    )
    assert not Target.objects.exists()  # the target sheet's demo sets the year's targets

    out = io.StringIO()
    call_command("indicators", "--period", "2024-10", "--json", stdout=out)
    output = next(r for r in json.loads(out.getvalue()) if r["code"] == "industrial_output")
    assert 0.05 < output["growth"] < 0.15
    assert "家企业无上年同期数据" in output["note"] and "家企业上年同期有数据、本期无数据" in output["note"]
    assert output["target"] is None and "未设定年度目标" in output["note"]

    counts = [m.objects.count() for m in (EnterpriseMonthlyValue, ZoneMonthlyFigure, PeriodLock)]
    assert generate_economy(TODAY) is None
    assert [m.objects.count() for m in (EnterpriseMonthlyValue, ZoneMonthlyFigure, PeriodLock)] == counts


ZONE_LEVEL = ("industrial_value_added", "gdp", "fixed_asset_investment", "general_budget_revenue")


@pytest.mark.django_db
def test_demo_has_zone_figures_and_locks_consistent_with_the_reports():
    demo.generate(demo.DEFAULT_ENTERPRISES, today=TODAY)
    generate_economy(TODAY)
    park = Zone.objects.get(name=demo.PARK_NAME, parent=None)
    for code in ZONE_LEVEL:  # every month covered, 2022-01 to 2024-10
        figures = ZoneMonthlyFigure.objects.filter(zone=park, indicator__code=code)
        assert figures.count() == 34
        assert min(figures.values_list("period", flat=True)) == datetime.date(2022, 1, 1)
    published = ZoneMonthlyFigure.objects.filter(indicator__code__in=["industrial_value_added", "gdp"])
    assert not published.filter(period__year__gte=2023, published_growth=None).exists()

    # 规上工业增加值 follows the enterprises' output: about 26 % of it, in 亿元.
    output = EnterpriseMonthlyValue.objects.filter(indicator__code="industrial_output", period="2023-12-01")
    output_yi = output.aggregate(total=Sum("ytd_value"))["total"] / 10000
    value_added = ZoneMonthlyFigure.objects.get(indicator__code="industrial_value_added", period="2023-12-01")
    assert abs(value_added.ytd_value - output_yi * D("0.26")) < 1

    rows = summary_rows("2024-10")
    assert 0.085 <= rows["industrial_value_added"]["growth"] <= 0.105  # the published figure
    assert "增速采用统计部门公布数" in rows["gdp"]["note"]
    assert 0.05 < rows["fixed_asset_investment"]["growth"] < 0.15  # derived from last year's
    for code in ZONE_LEVEL:
        assert rows[code]["ytd"] and rows[code]["growth"] is not None

    assert sorted(PeriodLock.objects.values_list("period__month", flat=True)) == list(range(1, 13))
    assert set(PeriodLock.objects.values_list("period__year", flat=True)) == {2022}


def summary_rows(period):
    out = io.StringIO()
    call_command("indicators", "--period", period, "--json", stdout=out)
    return {r["code"]: r for r in json.loads(out.getvalue())}


@pytest.mark.django_db
def test_seed_demo_adds_the_economic_data_once():
    call_command("seed_demo", enterprises=60, stdout=io.StringIO())
    count = EnterpriseMonthlyValue.objects.count()
    assert count > 0
    last = add_months(timezone.localdate().replace(day=1), -1)
    assert EnterpriseMonthlyValue.objects.filter(period=last).exists()
    call_command("seed_demo", enterprises=60, stdout=io.StringIO())
    assert EnterpriseMonthlyValue.objects.count() == count
