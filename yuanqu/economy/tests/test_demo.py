"""The demo zone's economic data: two years of 规上工业 reports, targets, no duplicates."""

import datetime
import io
import json
import time
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from yuanqu.economy.demo import generate_economy
from yuanqu.economy.models import AnnualTarget, EnterpriseMonthlyValue, ZoneMonthlyFigure
from yuanqu.economy.services import add_months
from yuanqu.enterprises import demo

TODAY = datetime.date(2024, 11, 20)


@pytest.mark.django_db
def test_demo_has_two_years_of_reports_and_targets_and_is_built_once():
    assert generate_economy(TODAY) is None  # no demo zone yet: nothing to add to
    demo.generate(demo.DEFAULT_ENTERPRISES, today=TODAY)
    started = time.perf_counter()
    summary = generate_economy(TODAY)
    assert time.perf_counter() - started < 10
    assert summary["values"] == EnterpriseMonthlyValue.objects.count() > 10_000

    periods = EnterpriseMonthlyValue.objects.values_list("period", flat=True).distinct()
    assert min(periods) == datetime.date(2023, 1, 1) and max(periods) == datetime.date(2024, 10, 1)
    december = EnterpriseMonthlyValue.objects.filter(indicator__code="industrial_output", period="2023-12-01")
    full_year_yi = december.aggregate(total=Sum("ytd_value"))["total"] / 10000
    assert D(250) < full_year_yi < D(268)  # about 259亿元
    assert AnnualTarget.objects.filter(year=2024, zone=None).count() == 4
    assert ZoneMonthlyFigure.objects.filter(published_growth__isnull=False).exists()

    out = io.StringIO()
    call_command("indicators", "--period", "2024-10", "--json", stdout=out)
    output = next(r for r in json.loads(out.getvalue()) if r["code"] == "industrial_output")
    assert 0.05 < output["growth"] < 0.15
    assert "家企业无上年同期数据" in output["note"] and "家企业上年同期有数据、本期无数据" in output["note"]
    assert output["completion"] is not None and output["gap_pp"] is not None

    count = EnterpriseMonthlyValue.objects.count()
    assert generate_economy(TODAY) is None
    assert EnterpriseMonthlyValue.objects.count() == count


@pytest.mark.django_db
def test_seed_demo_adds_the_economic_data_once():
    call_command("seed_demo", enterprises=60, stdout=io.StringIO())
    count = EnterpriseMonthlyValue.objects.count()
    assert count > 0
    last = add_months(timezone.localdate().replace(day=1), -1)
    assert EnterpriseMonthlyValue.objects.filter(period=last).exists()
    call_command("seed_demo", enterprises=60, stdout=io.StringIO())
    assert EnterpriseMonthlyValue.objects.count() == count
