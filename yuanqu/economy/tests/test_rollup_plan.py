"""The rollup rebuild after a large import reads about the rows it sums, not the value table
once per row: on PostgreSQL measured by EXPLAIN ANALYZE (rows each scan returned, times its
loops), on SQLite by the plan looking the year-earlier value up through an index."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.economy import rollups
from yuanqu.economy.importers import insert_first_versions
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator, IndicatorRollup
from yuanqu.economy.services import add_months
from yuanqu.enterprises.models import Enterprise
from yuanqu.utilities.testing import factories as f

FIRST = datetime.date(2022, 10, 1)
MONTHS = [add_months(FIRST, k) for k in range(13)]  # the last pairs with the first
CODES = ("industrial_output", "revenue", "tax_all_levels", "profit")


def scanned(plan):
    """Rows read by the scans of a JSON plan: each scan's actual rows times its loops."""
    total = plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1) if "Scan" in plan["Node Type"] else 0
    return total + sum(scanned(child) for child in plan.get("Plans", []))


@pytest.fixture
def demo_sized(east):
    """400 enterprises × 4 indicators × 13 months (20,800 values, the demo's size) written as
    the monthly import writes them, month by month, each month's rollups rebuilt at the end."""
    department = f.department()
    Enterprise.objects.bulk_create(
        Enterprise(uscc=f"9C{i:016d}", name=f"规模企业{i:03d}", zone=east, department=department)
        for i in range(400)
    )
    firms = list(Enterprise.objects.filter(uscc__startswith="9C").values_list("pk", "name"))
    indicators = list(Indicator.objects.filter(code__in=CODES))
    statements = []
    for month in MONTHS:
        value = Decimal(100 * month.month)
        new = [(pk, name, i, value, value) for pk, name in firms for i in indicators]
        with CaptureQueriesContext(connection) as queries, rollups.deferred():
            insert_first_versions(new, month, None)
            rollups.note_bulk_insert(len(new))
            for indicator in indicators:
                rollups.mark(indicator.pk, month)
        statements += [q["sql"] for q in queries.captured_queries]
    return indicators, statements


@pytest.mark.django_db
def test_one_rollup_rebuild_reads_far_fewer_rows_than_the_value_table(demo_sized):
    indicators, statements = demo_sized
    stored = EnterpriseMonthlyValue.objects.count()
    assert stored == 400 * 4 * 13
    last = MONTHS[-1]
    assert IndicatorRollup.objects.get(indicator=indicators[0], period=last).paired_count == 400
    if connection.vendor == "postgresql":
        # The import's rebuild refreshed the statistics first (the tables were empty before).
        # The import's rebuilds refreshed the statistics while the table grew (it was empty).
        assert sum(s.startswith("ANALYZE") for s in statements) >= 2
    sql = rollups._statement("v.indicator_id = %s AND v.period = %s")
    select = sql[sql.index("SELECT") :]
    params = [True, True, indicators[0].pk, last]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {select}", params)
            (plan,) = cursor.fetchone()
            plan = plan if isinstance(plan, list) else json.loads(plan)
            rows = scanned(plan[0]["Plan"])
            # About 400 rows each for the month, its enterprises and their year-earlier values.
            assert rows <= 3 * 400 * 4, f"{rows} rows scanned for {stored} stored"
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {select}", params)
            details = [row[-1] for row in cursor.fetchall()]
            for alias in ("v", "b"):  # an index lookup; a covering one reads no table page at all
                lookups = (f"SEARCH {alias} USING INDEX", f"SEARCH {alias} USING COVERING INDEX")
                assert any(d.startswith(lookups) for d in details), details
            assert not any(d.startswith(("SCAN b", "SCAN v")) for d in details), details


@pytest.mark.django_db
def test_a_zone_rebuild_refreshes_the_statistics_first_on_postgresql(demo_sized, east):
    """An enterprise moving between 片区 rebuilds whole 片区: planned on statistics taken
    before the zone's values were loaded, the self-join went quadratic (a 600-enterprise demo
    zone took 156 s on PostgreSQL); the rebuild now analyzes first."""
    indicators, _ = demo_sized
    IndicatorRollup.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        rollups.rebuild([east.pk])
    statements = [q["sql"] for q in queries.captured_queries]
    inserts = [i for i, s in enumerate(statements) if "INSERT INTO" in s]
    assert inserts, statements
    if connection.vendor == "postgresql":
        analyzed = [i for i, s in enumerate(statements) if s.startswith("ANALYZE")]
        assert analyzed and max(analyzed) < min(inserts)
    assert IndicatorRollup.objects.get(indicator=indicators[0], period=MONTHS[-1], zone=east).paired_count == 400
