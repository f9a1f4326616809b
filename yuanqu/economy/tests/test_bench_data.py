"""The scale benchmark's data: values inserted by raw SQL, rollups rebuilt from scratch, and
the summary from the rollups equal to the one from the value table (with churn)."""

import datetime
import random

import pytest

from yuanqu import benchmarks
from yuanqu.economy import rollups
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator
from yuanqu.economy.services import add_months, indicator_summary
from yuanqu.utilities.testing import factories as f


@pytest.mark.django_db(transaction=True)
def test_raw_inserted_values_and_rebuilt_rollups_agree_with_the_value_table(east, west):
    enterprises = [f.enterprise(zone_obj=east if i % 2 else west) for i in range(40)]
    indicators = list(Indicator.objects.filter(code__in=["industrial_output", "revenue"]))
    last = datetime.date(2024, 8, 1)
    periods = [add_months(last, -k) for k in range(23, -1, -1)]
    count = benchmarks._insert_values([e.pk for e in enterprises], indicators, periods, random.Random(3))
    assert count == EnterpriseMonthlyValue.objects.count() > 1500
    rollups.rebuild()
    for period in (last, datetime.date(2023, 12, 1), datetime.date(2024, 1, 1)):
        for zone in (None, east, west):
            assert indicator_summary(period, zone, indicators=indicators) == indicator_summary(
                period, zone, values=EnterpriseMonthlyValue.objects.all(), indicators=indicators
            )
    benchmarks.baseline_sql(indicators, indicators[0], last)  # runs on this database
