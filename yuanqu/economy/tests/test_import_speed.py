"""The monthly import at speed: no query per row while reading and validating, and the
bulk-inserted first versions carry the same change log as a single save."""

import collections
import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from yuanqu.core import chain
from yuanqu.core.context import acting_as
from yuanqu.core.models import ObjectChange
from yuanqu.economy import importers, rollups
from yuanqu.economy.importers import MonthlyImporter
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator
from yuanqu.economy.services import record_enterprise_value
from yuanqu.utilities.importing import ImportResult
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.pages import page_text

SEP, OCT = datetime.date(2023, 9, 1), datetime.date(2023, 10, 1)
HEADER = [
    "统一社会信用代码",
    "企业名称",
    "规上工业总产值（当月）",
    "规上工业总产值（1-10月累计）",
    "营业收入（当月）",
]


def rows_for(enterprises):
    return [(n + 2, (e.uscc, e.name, 100, 1000, 90)) for n, e in enumerate(enterprises)]


def validate(rows):
    result = ImportResult(filename="十月.xlsx")
    importer = MonthlyImporter(period=OCT)
    importer.filename = "十月.xlsx"
    with CaptureQueriesContext(connection) as queries:
        importer.run(HEADER, rows, result, commit=False)
    return result, len(queries)


@pytest.mark.django_db
def test_validation_runs_a_fixed_number_of_queries_whatever_the_rows(east):
    output, revenue = (Indicator.objects.get(code=c) for c in ("industrial_output", "revenue"))
    enterprises = [f.enterprise(zone_obj=east) for _ in range(30)]
    with rollups.deferred():
        for enterprise in enterprises:
            record_enterprise_value(enterprise, output, SEP, month_value=D(100), ytd_value=D(900))
            for month in range(1, 10):
                record_enterprise_value(enterprise, revenue, datetime.date(2023, month, 1), month_value=D(90))
    few, few_queries = validate(rows_for(enterprises[:3]))
    many, many_queries = validate(rows_for(enterprises))
    assert few.ok and many.ok and len(many.rows) == 30
    # 营业收入 has no September: its 1–10月累计 is derived from the months, read once for all rows.
    assert many_queries == few_queries
    assert many.rows[0].changes == [
        ("规上工业总产值（当月）", "—", "100"), ("规上工业总产值（累计）", "—", "1000"),
        ("营业收入（当月）", "—", "90"), ("营业收入（累计）", "—", "900"),
    ]  # fmt: skip
    assert not EnterpriseMonthlyValue.objects.filter(period=OCT).exists()  # a preview writes nothing


@pytest.mark.django_db
def test_bulk_inserted_versions_are_logged_like_a_single_save(leader, owned_enterprise, other_enterprise):
    output = Indicator.objects.get(code="industrial_output")
    with acting_as(leader, source="cli"):
        saved = record_enterprise_value(owned_enterprise, output, OCT, month_value=D(100), ytd_value=D(1000))
        result = ImportResult(filename="十月.xlsx")
        importer = MonthlyImporter(period=OCT)
        importer.filename = "十月.xlsx"
        importer.run(
            HEADER[:4], [(2, (other_enterprise.uscc, other_enterprise.name, 100, 1000))], result, True
        )
    assert result.committed and result.rows[0].status == "new"
    imported = EnterpriseMonthlyValue.objects.get(enterprise=other_enterprise, period=OCT)
    assert (imported.version, imported.is_current, imported.month_value, imported.ytd_value) == (
        1,
        True,
        100,
        1000,
    )

    logged = ObjectChange.objects.filter(content_type__model="enterprisemonthlyvalue", action="create")
    one, bulk = (logged.get(object_id=str(v.pk)) for v in (saved, imported))
    assert bulk.object_repr == str(imported) == f"{other_enterprise.name} 规上工业总产值 2023年10月（第1版）"
    # the row's record: what a single save logs, the value named with its 当月 and 累计
    single, row = one.postchange_data, bulk.postchange_data
    shared = [k for k in single if k not in ("enterprise", "indicator", "month_value", "ytd_value")]
    assert {k: row[k] for k in shared} == {k: single[k] for k in shared}
    assert row["values"] == [
        {"id": imported.pk, "indicator": output.pk, "month_value": single["month_value"],
         "ytd_value": single["ytd_value"]}
    ]  # fmt: skip
    assert row["enterprise"] == other_enterprise.pk
    for field in ("user_id", "user_name", "source", "content_type", "related_type", "prechange_data"):
        assert getattr(bulk, field) == getattr(one, field), field
    assert bulk.related_id == str(other_enterprise.pk)
    assert abs(bulk.time - one.time) < datetime.timedelta(minutes=1)
    assert [c.object_repr for c in ObjectChange.objects.filter(related_id=str(other_enterprise.pk))] == [
        bulk.object_repr
    ]


@pytest.mark.django_db
def test_bulk_writes_insert_many_rows_per_statement(east, leader, monkeypatch):
    """One INSERT per change record made SQLite open a statement journal for every row (the
    record's insert trigger may abort), copying each page the row touched: three times the
    cost of the row. Counted: the statements each table receives, rows per statement set to 7
    (15 values: 7 + 7 + 1); on PostgreSQL the rows go in one COPY per slice, no INSERT."""
    monkeypatch.setattr(importers, "ROWS_PER_INSERT", 7)
    enterprises = [f.enterprise(zone_obj=east) for _ in range(15)]
    statements = collections.Counter()

    def count(execute, sql, params, many, context):
        if sql.startswith("INSERT INTO"):
            if many:
                params = list(params)
            statements[sql.split()[2].strip('"')] += len(params) if many else 1
        return execute(sql, params, many, context)

    before = ObjectChange.objects.count()
    with connection.execute_wrapper(count), acting_as(leader, source="cli"):
        result = ImportResult(filename="十月.xlsx")
        importer = MonthlyImporter(period=OCT)
        importer.filename = "十月.xlsx"
        importer.run(
            HEADER[:4], [(n, row) for n, (_, row) in enumerate(rows_for(enterprises), start=2)], result, True
        )
    assert result.committed and [r.status for r in result.rows] == ["new"] * 15
    expected = 0 if connection.vendor == "postgresql" else 3
    assert statements["economy_enterprisemonthlyvalue"] == statements["core_objectchange"] == expected
    stored = EnterpriseMonthlyValue.objects.filter(period=OCT).order_by("enterprise_id")
    assert [(v.enterprise_id, v.month_value, v.ytd_value) for v in stored] == [
        (e.pk, D(100), D(1000)) for e in sorted(enterprises, key=lambda e: e.pk)
    ]
    logged = ObjectChange.objects.filter(id__gt=0).order_by("id")[before:]
    assert sorted(int(c.object_id) for c in logged) == sorted(v.pk for v in stored)
    assert chain.verify(ObjectChange)[1] is None


@pytest.mark.django_db
def test_a_write_failing_in_a_later_slice_writes_nothing(east, leader, monkeypatch):
    """The values and change records go in slices, each stamped with the database's time; when
    one slice is refused (here the second, stamped ten minutes off the clock, which the
    database's insert check rejects in the middle of its rows) the whole import is undone: no
    value, no change record, the chain's head where it was."""
    from django.db import DatabaseError

    from yuanqu.core.models import AuditChain

    monkeypatch.setattr(chain, "SLICE", 2)
    enterprises = [f.enterprise(zone_obj=east) for _ in range(5)]
    take_head = chain._take_head
    takes = []

    def late_second_slice(*args):
        previous, now = take_head(*args)
        takes.append(now)
        return previous, now - datetime.timedelta(minutes=10) if len(takes) == 2 else now

    monkeypatch.setattr(chain, "_take_head", late_second_slice)
    changes = ObjectChange.objects.count()
    head = AuditChain.objects.filter(name="core_objectchange").values_list("last_hash", flat=True).first()
    with acting_as(leader, source="cli"), pytest.raises(DatabaseError, match="database clock"):
        importer = MonthlyImporter(period=OCT)
        importer.filename = "十月.xlsx"
        importer.run(
            HEADER[:4], [(n, row) for n, (_, row) in enumerate(rows_for(enterprises), start=2)],
            ImportResult(filename="十月.xlsx"), True,
        )  # fmt: skip
    assert len(takes) == 2
    assert not EnterpriseMonthlyValue.objects.filter(period=OCT).exists()
    assert ObjectChange.objects.count() == changes
    assert (
        AuditChain.objects.filter(name="core_objectchange").values_list("last_hash", flat=True).first()
        == head
    )
    assert chain.verify(ObjectChange)[1] is None


@pytest.mark.django_db
def test_first_versions_and_their_change_records_name_each_other(east, leader, monkeypatch):
    """Written in slices of whole rows (the ids taken from the sequence up front on PostgreSQL,
    worked out from the last insert on SQLite), one change record per row of the file names
    that row's values and enterprise, in the order of the file, and the chain verifies across
    the slices; each value's own page finds its row's record."""
    from yuanqu.core.changelog import history_for
    from yuanqu.utilities.concurrency import version_of

    monkeypatch.setattr(chain, "SLICE", 3)  # 2 values a row: slices of 2 rows, never half a row
    enterprises = [f.enterprise(zone_obj=east) for _ in range(7)]
    before = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with acting_as(leader, source="cli"):
        importer = MonthlyImporter(period=OCT)
        importer.filename = "十月.xlsx"
        result = ImportResult(filename="十月.xlsx")
        header = [*HEADER[:4], "营业收入（当月）", "营业收入（1-10月累计）"]
        importer.run(header, [(n, (e.uscc, e.name, 100, 1000, 90, 900)) for n, e in enumerate(enterprises, 2)],
                     result, True)  # fmt: skip
    assert result.committed
    values = {
        (v.enterprise_id, v.indicator.name): v for v in EnterpriseMonthlyValue.objects.filter(period=OCT)
    }
    assert len(values) == 14
    logged = list(ObjectChange.objects.filter(id__gt=before, content_type__model="enterprisemonthlyvalue"))
    logged.sort(key=lambda c: c.pk)
    assert [int(c.related_id) for c in logged] == [e.pk for e in enterprises]  # a record a row
    assert len({c.time for c in logged}) <= 4  # four slices, each stamped once
    for change, enterprise in zip(logged, enterprises, strict=True):
        output, revenue = values[enterprise.pk, "规上工业总产值"], values[enterprise.pk, "营业收入"]
        assert change.object_id == str(output.pk) and revenue.pk == output.pk + 1
        assert change.object_repr == f"{enterprise.name} 规上工业总产值、营业收入 2023年10月（第1版）"
        assert change.postchange_data["values"] == [
            {"id": output.pk, "indicator": output.indicator_id, "month_value": "100.0000",
             "ytd_value": "1000.0000"},
            {"id": revenue.pk, "indicator": revenue.indicator_id, "month_value": "90.0000",
             "ytd_value": "900.0000"},
        ]  # fmt: skip
        for value in (output, revenue):
            assert [c.pk for c in history_for(value)] == [change.pk]
            assert version_of(value) == change.pk
    # in the order they were written: each record after its values, ids rising together
    assert [int(c.object_id) for c in logged] == sorted(int(c.object_id) for c in logged)
    assert chain.verify(ObjectChange)[1] is None


@pytest.mark.django_db
def test_a_rows_record_reads_as_each_indicators_values_wherever_it_is_shown(client, east, leader, auditor):
    """One record for the row: the change page lists each indicator's 当月 and 累计 in Chinese,
    the enterprise's history shows the row once, and each value's own page shows the record
    that created it (and only that one)."""
    enterprise, other = f.enterprise(zone_obj=east), f.enterprise(zone_obj=east)
    header = [*HEADER[:4], "营业收入（当月）", "营业收入（1-10月累计）"]
    with acting_as(leader, source="web"):
        importer = MonthlyImporter(period=OCT)
        importer.filename = "十月.xlsx"
        result = ImportResult(filename="十月.xlsx")
        importer.run(header, [(2, (enterprise.uscc, enterprise.name, 1200.5, 9800, None, None)),
                              (3, (other.uscc, other.name, 7, 70, 8, 80))], result, True)  # fmt: skip
    assert result.committed
    change = ObjectChange.objects.get(related_id=str(other.pk))
    client.force_login(auditor)
    detail = page_text(client.get(change.get_absolute_url()))
    assert "规上工业总产值（当月值） 7" in detail and "规上工业总产值（累计值） 70" in detail
    assert "营业收入（当月值） 8" in detail and "营业收入（累计值） 80" in detail
    assert "values" not in detail and "indicator" not in detail

    client.force_login(leader)
    history = page_text(client.get(enterprise.get_absolute_url()), "history")
    assert history.count("2023年10月（第1版）") == 1
    assert "规上工业总产值（当月值） ：1,200.5" in history and "营业收入" not in history
    revenue = EnterpriseMonthlyValue.objects.get(enterprise=other, indicator__code="revenue", period=OCT)
    page = page_text(client.get(revenue.get_absolute_url()), "history")
    assert page.count("2023年10月（第1版）") == 1 and "营业收入（累计值） ：80" in page


def test_slices_hold_whole_rows_of_about_the_slice_size():
    """A row's values (the same enterprise, one after another) share one change record, so
    a slice stamped by the chain never cuts a row: each slice but the last reaches the size
    with whole rows, and together they cover every value once, in order."""
    new = [
        (enterprise, "", None, None, None)
        for enterprise, n in ((1, 3), (2, 1), (3, 2), (4, 3), (1, 1))
        for _ in range(n)
    ]
    groups = importers.row_groups(new)
    assert groups == [(0, 3), (3, 4), (4, 6), (6, 9), (9, 10)]
    slices = importers.slices_of(groups, 4)
    assert slices == [[(0, 3), (3, 4)], [(4, 6), (6, 9)], [(9, 10)]]
    assert [g for part in slices for g in part] == groups
    assert importers.slices_of(groups, 100) == [groups]
