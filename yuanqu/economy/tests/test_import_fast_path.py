"""The monthly import's column-wise reading of regular rows gives what the row-by-row reading
gives: the same rows, changes, errors (wording and order) and values written."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.db import transaction
from openpyxl import Workbook

from yuanqu.core.models import ObjectChange
from yuanqu.economy import rollups
from yuanqu.economy.importers import MonthlyImporter, NewValues
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator
from yuanqu.economy.services import record_enterprise_value
from yuanqu.utilities.importing import ImportResult, read_rows
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.xlsx_reader import Rows

JAN, SEP, OCT = datetime.date(2023, 1, 1), datetime.date(2023, 9, 1), datetime.date(2023, 10, 1)


class RowByRow(MonthlyImporter):
    """The reference: every row read by ``read_monthly_row``."""

    def read_regular_rows(self, rows, codes, commit):
        return [None] * len(rows)


def read(importer_class, period, header, rows, commit=False):
    result = ImportResult(filename="月报.xlsx")
    importer = importer_class(period=period)
    importer.filename = "月报.xlsx"
    importer.run(header, rows, result, commit=commit)
    return result, importer


def seen(result, importer):
    """Everything a user sees of a preview, and what a confirmed import would write."""
    writes = sorted((e, label, i.pk, m, y) for e, label, i, m, y in importer.writes)
    return (
        [str(e) for e in result.errors],
        [(r.row, r.status, r.key, r.label, list(r.changes)) for r in result.rows],
        result.warnings,
        writes,
    )


def both(period, header, rows):
    """(column-wise, row-by-row) of the same file, each previewed with commit=True inside a
    rolled-back block so that ``writes`` is filled and nothing stays."""
    outcomes = []
    for importer_class in (MonthlyImporter, RowByRow):
        with transaction.atomic():
            outcomes.append(seen(*read(importer_class, period, header, rows, commit=True)))
            transaction.set_rollback(True)
    return outcomes


@pytest.fixture
def firms(east):
    return [f.enterprise(zone_obj=east) for _ in range(14)]


HEADER = [
    "统一社会信用代码", "企业名称", "规上工业总产值（当月）", "规上工业总产值（1-10月累计）",
    "利润总额（当月）", "利润总额（1-10月累计）", "从业人员（当月）", "从业人员（期末数）", "备注",
]  # fmt: skip


@pytest.fixture
def mixed(firms):
    """Rows of every kind, with the reports they are checked against."""
    output = Indicator.objects.get(code="industrial_output")
    with rollups.deferred():
        for firm in firms:
            record_enterprise_value(firm, output, SEP, month_value=D(100), ytd_value=D(900))
        # Already reported this month: a correction, read row by row.
        record_enterprise_value(firms[9], output, OCT, month_value=D(1), ytd_value=D(901))
    a = firms
    rows = [
        (2, (a[0].uscc, a[0].name, 100.5, 1000.5, -20.0, 80.0, 12, 15, "x")),  # regular, loss allowed
        (3, (a[1].uscc.lower(), "", 50, 950, None, None, None, 30)),  # lower-case code, stock from 期末数
        (4, (a[2].uscc, "", 100, 1100, 1, 2, 3, 4)),  # 当月 disagrees with 累计 − 上月累计
        (5, (a[3].uscc, "", "abc", 1000, 1, 2, 3, 4)),  # text in a number cell
        (6, (a[4].uscc, "", -5.0, 895.0, 1, 2, 3, 4)),  # negative output
        (7, ("91110000NOTFOUND01", "", 1, 901, 1, 2, 3, 4)),  # unknown enterprise
        (8, (a[0].uscc, "", 100.5, 1000.5, 1, 2, 3, 4)),  # repeat of row 2
        (9, (a[5].uscc, "", 100, None, 1, 2, 3, 4)),  # 累计 derived from the months
        (10, (a[6].uscc, "", None, None, None, None, None, None)),  # nothing reported
        (11, (a[7].uscc, "", 10.0, 910.1, 1, 2, 3, 4)),  # off by exactly the tolerance: accepted
        (12, (a[8].uscc, "", 10.0, 910.11, 1, 2, 3, 4)),  # just over it
        (13, (a[9].uscc, "", 100, 1000, 1, 2, 3, 4)),  # a correction of this month's report
        (14, (a[10].uscc, "", "  ", 1000, 1, 2, 3, 4)),  # a blank string: 当月 derived
        (15, (a[11].uscc, "", 0.1 + 0.2, 900.3, 1, 2, True, 4)),  # float noise; a 是 in a number cell
        (16, (a[12].uscc,)),  # a short row
        (17, (a[13].uscc, "", 1e-7, 900.0000001, 1, 2, 3, 4)),
    ]
    return rows


@pytest.mark.django_db
def test_mixed_file_reads_the_same_as_row_by_row(mixed, firms):
    a, rows = firms, mixed
    fast, reference = both(OCT, HEADER, rows)
    assert fast == reference
    errors, shown, _, writes = fast
    assert "第4行 规上工业总产值（当月）：当月值100与累计值减上月累计值（200）不一致" in errors
    assert "第12行 规上工业总产值（当月）：当月值10与累计值减上月累计值（10.11）不一致" in errors
    assert any(e.startswith("第8行 统一社会信用代码：与第2行重复") for e in errors)
    assert not any(e.startswith("第11行") for e in errors)
    assert shown[0][:2] == (2, "new") and shown[0][4] == [
        ("规上工业总产值（当月）", "—", "100.5"), ("规上工业总产值（累计）", "—", "1000.5"),
        ("利润总额（当月）", "—", "-20"), ("利润总额（累计）", "—", "80"),
        ("从业人员（当月）", "—", "15"), ("从业人员（累计）", "—", "15"),
    ]  # fmt: skip
    assert (a[1].pk, a[1].name, Indicator.objects.get(code="employees").pk, D(30), D(30)) in writes


@pytest.mark.django_db
def test_january_and_errors_only_files_read_the_same(firms):
    header = HEADER[:6]
    rows = [
        (2, (firms[0].uscc, "", 10, 10, 1, 1)),
        (3, (firms[1].uscc, "", 10, 10.2, 1, 1)),  # in January 当月 is 累计
        (4, (firms[2].uscc, "", 10, 10.1, 1, 1.05)),
    ]
    fast, reference = both(JAN, [h.replace("1-10月", "1-1月") for h in header], rows)
    assert fast == reference
    assert fast[0] == ["第3行 规上工业总产值（当月）：当月值10与累计值减上月累计值（10.2）不一致"]
    unknown = [(2, ("91110000NOTFOUND01", "", 1, 1, 1, 1))]
    fast, reference = both(JAN, [h.replace("1-10月", "1-1月") for h in header], unknown)
    assert fast == reference and len(fast[0]) == 1 and not fast[1]


@pytest.mark.django_db
def test_regular_rows_are_written_with_their_change_log(firms, leader):
    rows = [(n + 2, (firm.uscc, firm.name, 100.25, 1000.25, 5, 50)) for n, firm in enumerate(firms[:3])]
    result, _ = read(MonthlyImporter, OCT, HEADER[:6], rows, commit=True)
    assert result.committed and [r.status for r in result.rows] == ["new"] * 3
    assert isinstance(result.rows[0].changes, NewValues)  # built when shown, not while reading
    stored = EnterpriseMonthlyValue.objects.filter(period=OCT, enterprise__in=firms[:3])
    assert (
        sorted(stored.values_list("month_value", "ytd_value"))
        == [(D("5"), D("50"))] * 3 + [(D("100.25"), D("1000.25"))] * 3
    )
    logged = ObjectChange.objects.filter(content_type__model="enterprisemonthlyvalue", action="create")
    records = list(logged.filter(related_id__in=[str(firm.pk) for firm in firms[:3]]))
    assert len(records) == 3  # a record a row, naming both of its values
    assert sorted(v["id"] for c in records for v in c.postchange_data["values"]) == sorted(
        stored.values_list("pk", flat=True)
    )


@pytest.mark.django_db
def test_names_with_tabs_backslashes_and_line_breaks_are_logged_as_they_are(east):
    """COPY's text format (PostgreSQL) escapes them; the change log keeps the name exactly."""
    odd = f.enterprise("甲\t乙\\丙\n丁\r戊 有限公司", zone_obj=east)
    result, _ = read(MonthlyImporter, OCT, HEADER[:4], [(2, (odd.uscc, odd.name, 1.5, 1001.5))], commit=True)
    assert result.committed
    stored = EnterpriseMonthlyValue.objects.get(enterprise=odd, period=OCT)
    assert (stored.month_value, stored.ytd_value) == (D("1.5"), D("1001.5"))
    logged = ObjectChange.objects.get(content_type__model="enterprisemonthlyvalue", object_id=str(stored.pk))
    assert logged.object_repr == f"{odd.name} 规上工业总产值 2023年10月（第1版）"
    assert logged.postchange_data["values"][0]["month_value"] == "1.5000" and logged.related_id == str(odd.pk)


def as_file(header, rows):
    """The rows written to a workbook at their row numbers and read back by ``read_rows``."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for number, values in rows:
        for column, value in enumerate(values, start=1):
            sheet.cell(row=number, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return read_rows(buffer.getvalue())


@pytest.mark.django_db
def test_calamine_values_read_the_same_as_converted_rows(mixed, east):
    """The monthly import takes calamine's own values column by column (an empty cell "", an
    integral number a float): the same outcome as from the rows converted as openpyxl gives
    them, and as row by row."""
    late, other = f.enterprise(zone_obj=east), f.enterprise(zone_obj=east)
    rows = [
        *mixed,
        (18, (other.uscc, "", datetime.datetime(2023, 10, 1), 5, 1, 2, 3, 4)),  # a date as a number
        (19, ("", "", 1, 2)),  # no code
        (21, (late.uscc.lower(), "", 7.0, 907.0, 0, 0, 1.0, 1.0)),  # after a blank row
    ]
    header, collected = as_file(HEADER, rows)
    assert isinstance(collected, Rows)
    raw = collected.raw
    assert raw[0][2:4] == [100.5, 1000.5] and raw[1][1] == "" and type(raw[1][2]) is float
    converted = list(collected)
    assert [n for n, _ in converted] == [n for n, _ in rows]
    outcomes = []
    for importer_class, given in (
        (MonthlyImporter, collected),
        (MonthlyImporter, converted),
        (RowByRow, converted),
    ):
        with transaction.atomic():
            outcomes.append(seen(*read(importer_class, OCT, header, given, commit=True)))
            transaction.set_rollback(True)
    assert outcomes[0] == outcomes[1] == outcomes[2]
    errors, shown, _, writes = outcomes[0]
    assert (
        "第18行 规上工业总产值（当月）：“2023-10-01 00:00:00”不是数字，应填写数字，如 500 或 1200.5" in errors
    )
    assert "第19行 统一社会信用代码：必填，不能为空" in errors
    assert (
        late.pk,
        late.name,
        Indicator.objects.get(code="industrial_output").pk,
        D(7),
        D(907),
    ) in writes
    assert [str(w[3]) for w in writes if w[0] == late.pk][:1] == ["7"]  # as the int 7 reads, not 7.0


@pytest.mark.django_db
def test_a_file_naming_most_of_the_registry_reads_it_whole_with_the_same_outcome(mixed, monkeypatch):
    """Past LIST_LOOKUP_LIMIT enterprises the registry is read whole (one query, no IN list)."""
    from yuanqu.economy import importers

    looked_up = both(OCT, HEADER, mixed)
    monkeypatch.setattr(importers, "LIST_LOOKUP_LIMIT", 1)
    assert both(OCT, HEADER, mixed) == looked_up
