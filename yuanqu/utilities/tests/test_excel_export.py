"""The Excel export as a user opens it: typed cells (figures, dates, credit codes as text), the
frozen Chinese header, the user's grant and filters, personal fields masked, one audit event,
and a big file streamed (``utilities.excel``)."""

import datetime
import io
import tempfile
import tracemalloc
from decimal import Decimal

import django_tables2 as tables
import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils.translation import gettext_lazy

from yuanqu.core.models import AuditEvent
from yuanqu.enterprises.models import Contact, Enterprise, Industry
from yuanqu.enterprises.tables import EnterpriseTable
from yuanqu.users.choices import Constraint
from yuanqu.users.models import ObjectPermission
from yuanqu.users.permissions import restrict
from yuanqu.utilities import excel
from yuanqu.utilities.tables import BaseTable
from yuanqu.utilities.testing import factories as f

EXPORT_URL = "/enterprises/?export=xlsx"


@pytest.fixture
def registry(owned_enterprise, other_enterprise):
    """Two enterprises with a fractional and a whole registered capital, a founding date, a
    status, an industry and one left without: the cells the export must type."""
    owned_enterprise.registered_capital_wan = Decimal("12345.5000")
    owned_enterprise.founded_on = datetime.date(2015, 3, 1)
    owned_enterprise.industry = Industry.objects.order_by("code").first()
    owned_enterprise.is_foreign_invested = True
    owned_enterprise.save()
    other_enterprise.registered_capital_wan = Decimal("5000")
    other_enterprise.status = "stopped"
    other_enterprise.save()
    return owned_enterprise, other_enterprise


def download(client, url=EXPORT_URL):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return response, content


def open_sheet(content):
    return openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]


def rows_by_name(sheet):
    header = [c.value for c in sheet[1]]
    return header, {row[0].value: dict(zip(header, row, strict=False)) for row in sheet.iter_rows(min_row=2)}


def login(user):
    client = Client()
    client.force_login(user)
    return client


def test_enterprise_export_reads_back_with_typed_cells(registry, leader):
    owned, other = registry
    response, content = download(login(leader))
    assert "spreadsheetml" in response["Content-Type"]
    sheet = open_sheet(content)
    assert sheet.title == "企业"
    header, rows = rows_by_name(sheet)
    assert header[:3] == ["企业名称", "简称", "统一社会信用代码"]
    assert {"行业", "片区", "状态", "注册资本（万元）", "成立日期"} <= set(header)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width >= len(owned.name) * 2  # Chinese characters are wide

    mine = rows[owned.name]
    assert mine["统一社会信用代码"].data_type == "s" and mine["统一社会信用代码"].value == owned.uscc
    capital = mine["注册资本（万元）"]
    assert capital.data_type == "n" and capital.value == 12345.5 and capital.number_format == "#,##0.0###"
    whole = rows[other.name]["注册资本（万元）"]
    assert whole.value == 5000 and whole.number_format == "#,##0"
    founded = mine["成立日期"]
    assert (
        founded.is_date
        and founded.value == datetime.datetime(2015, 3, 1)
        and founded.number_format == "yyyy-mm-dd"
    )
    assert rows[other.name]["成立日期"].value is None
    assert mine["行业"].value == str(owned.industry)
    assert mine["片区"].value == "东区" and rows[other.name]["片区"].value == "西区"
    assert mine["状态"].value == "在营" and rows[other.name]["状态"].value == "停产"
    assert mine["外资企业"].value == "是" and rows[other.name]["外资企业"].value == "否"
    assert mine["责任部门"].value == "经济发展局"


def test_export_holds_only_the_users_grant_and_filters_and_is_audited_once(registry, leader, grid_worker):
    owned, other = registry
    # a grid worker allowed to export the enterprises of their own 片区 (东区) only
    ObjectPermission.objects.create(
        name="网格员-导出本片区企业", user=grid_worker, model="enterprises.enterprise", actions=["export"],
        constraint=Constraint.OWN_ZONE,
    )  # fmt: skip
    _, content = download(login(grid_worker))
    assert set(rows_by_name(open_sheet(content))[1]) == {owned.name}
    before = AuditEvent.objects.filter(kind="export").count()
    _, content = download(login(leader), EXPORT_URL + "&status=stopped")
    assert set(rows_by_name(open_sheet(content))[1]) == {other.name}
    assert AuditEvent.objects.filter(kind="export").count() == before + 1
    event = AuditEvent.objects.filter(kind="export").latest("pk")
    assert event.data["rows"] == 1 and event.data["filters"] == {"status": "stopped"}
    assert event.data["model"] == "enterprises.enterprise" and event.user_name == "leader"


@override_settings(EXPORT_SPOOL_BYTES=0)
def test_a_big_export_is_streamed_from_a_file_and_reads_the_same(registry, leader):
    response, content = download(login(leader))
    assert response.streaming and int(response["Content-Length"]) == len(content)
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")
    assert set(rows_by_name(open_sheet(content))[1]) == {e.name for e in registry}
    assert AuditEvent.objects.filter(kind="export").get().data["rows"] == 2


def test_rows_from_values_equal_the_rows_read_from_records(registry, leader):
    """The fast road (one values_list) gives what the records give, cell for cell."""
    f.enterprise("没有片区的企业", zone_obj=None)
    queryset = restrict(Enterprise.objects.all(), leader, "export").order_by("name")
    fast = excel.table_rows(EnterpriseTable(queryset, user=leader, exporting=True))
    slow = excel.table_rows(EnterpriseTable(queryset, user=leader, exporting=True), use_values=False)
    fast_rows, slow_rows = list(fast.rows), list(slow.rows)
    assert fast.header == slow.header and len(fast_rows) == 3
    assert fast_rows == slow_rows
    assert fast.figures == [fast.header.index("注册资本（万元）")]


class ContactTable(BaseTable):
    enterprise = tables.Column(verbose_name="企业")

    class Meta(BaseTable.Meta):
        model = Contact
        fields = ("enterprise", "name", "mobile")


@pytest.mark.parametrize("use_values", [True, False])
def test_personal_fields_are_masked_where_the_user_may_not_see_them(
    owned_enterprise, other_enterprise, alice, use_values
):
    Contact.objects.create(enterprise=owned_enterprise, name="周明", mobile="13812345678")
    Contact.objects.create(enterprise=other_enterprise, name="吴芳", mobile="13987654321")
    queryset = restrict(Contact.objects.order_by("name"), alice, "view")
    rows = list(
        excel.table_rows(ContactTable(queryset, user=alice, exporting=True), use_values=use_values).rows
    )
    # alice may see personal data of her department's enterprise only
    assert sorted(rows) == [
        [owned_enterprise.name, "周明", "13812345678"],
        [other_enterprise.name, "吴芳", "139****4321"],
    ]
    console = list(excel.table_rows(ContactTable(queryset, exporting=True), use_values=use_values).rows)
    assert "13987654321" in {row[2] for row in console}  # the command line without --user: all


# xlsxwriter writes text that starts with <r> and ends with </r> into the sheet's XML as it
# is (rich text): unstripped, this one would add a cell Z9 of its own.
RICH_TEXT_INJECTION = (
    '<r><t>a</t></r></is></c><c r="Z9" t="inlineStr"><is><t>injected</t></is></c><c><is><r><t>b</t></r>'
)


def test_text_stays_text_and_formulas_are_neutralised(tmp_path):
    path = tmp_path / "out.xlsx"
    aware = datetime.datetime(2024, 5, 6, 1, 30, tzinfo=datetime.UTC)
    rows = [
        ["13800138000", "0371-6688 1234", "=1+1", "<b>加粗</b>", None, False, aware, 42, 2026],
        ["91410100MA00000017", "", "@SUM(A1)", "  两端空格  ", True, True, None, Decimal("0.25"), 2027],
        ["", "", "", RICH_TEXT_INJECTION, None, None, None, None, None],
    ]
    count = excel.write_xlsx(
        path, "园区/片区:汇总", ["手机", "电话", "公式", "标记", "空", "是否", "时间", "数", "年"], rows, [7]
    )
    assert count == 3
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.title == "园区、片区、汇总"
    first = [c for c in sheet[2]]
    assert [c.value for c in first[:4]] == ["13800138000", "0371-6688 1234", "'=1+1", "加粗"]
    assert all(c.data_type == "s" for c in first[:4])
    assert first[4].value is None and first[5].value == "否"
    assert (
        first[6].value == datetime.datetime(2024, 5, 6, 9, 30)
        and first[6].number_format == "yyyy-mm-dd hh:mm"
    )
    assert first[7].value == 42 and first[7].number_format == "#,##0"
    assert first[8].value == 2026 and first[8].number_format == "General"  # a year is not grouped
    second = [c.value for c in sheet[3]]
    assert second[:4] == ["91410100MA00000017", None, "'@SUM(A1)", "两端空格"]
    assert second[7] == 0.25 and sheet["H3"].number_format == "#,##0.0###"
    assert sheet["D4"].value == "ainjectedb" and sheet["D4"].data_type == "s"
    assert sheet.max_column == 9 and sheet["Z9"].value is None


def test_console_export_writes_the_same_sheet_and_audits_once(registry, leader, tmp_path):
    path = tmp_path / "企业.xlsx"
    call_command("export", "enterprises", str(path), "--user", "leader", stdout=io.StringIO())
    header, rows = rows_by_name(openpyxl.load_workbook(path).worksheets[0])
    assert set(rows) == {e.name for e in registry}
    assert rows[registry[0].name]["成立日期"].value == datetime.datetime(2015, 3, 1)
    event = AuditEvent.objects.filter(kind="export").get()
    assert event.data["rows"] == 2 and event.user_name == "leader"


def test_memory_stays_flat_as_the_rows_grow():
    """Constant memory: ten times the rows, not ten times the memory (rows come from a
    generator and go to a temporary file)."""

    def rows(n):
        for i in range(n):
            yield [f"企业{i:06d}有限公司", f"914101{i:012d}", i * 1.5, datetime.date(2020, 1, 1)]

    peaks = {}
    for n in (1000, 10000):
        tracemalloc.start()
        try:
            with tempfile.TemporaryFile() as handle:
                assert excel.write_xlsx(handle, "企业", ["名称", "代码", "数", "日期"], rows(n), [2]) == n
            peaks[n] = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert peaks[10000] < peaks[1000] * 1.5, peaks


EVERY_KIND_HEADER = ["文本", "数", "金额", "日期", "时间", "是否", "空", "长文本"]
HUGE = "园" * 20000 + "区" * 20000  # longer than a cell holds (32,767)


def every_kind_rows():
    aware = datetime.datetime(2025, 12, 31, 23, 59, 30, tzinfo=datetime.UTC)
    return [
        ["企业😀名称", 42, Decimal("12345.5000"), datetime.date(2024, 2, 29), aware, True, None, HUGE],
        [
            "=SUM(A1:A9)",
            -7.25,
            Decimal("5000"),
            datetime.date(1999, 12, 31),
            datetime.datetime(2026, 1, 2, 8, 5),
            False,
            "",
            "a & b <c> > d",
        ],  # fmt: skip
        [
            "含\x1b控制\x00字符",
            10**17,
            0.1 + 0.2,
            datetime.date(2026, 3, 1),
            None,
            None,
            None,
            "_x0041_ 不是转义",
        ],
        ["＋86 138", float("nan"), float("inf"), None, None, None, None, "－1"],
        [None, None, None, None, None, None, None, None],  # a row with nothing in it
        ["行\n换行", Decimal("1E+3"), 1e-7, None, None, None, None, gettext_lazy("企业")],
    ]


def read_cells(path):
    sheet = openpyxl.load_workbook(path).worksheets[0]
    cells = [
        [(c.value, c.data_type, c.number_format, bool(c.font.b)) for c in row]
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row)
    ]
    widths = {key: dim.width for key, dim in sheet.column_dimensions.items()}
    return sheet.title, sheet.freeze_panes, sheet.dimensions, widths, cells


def test_the_sheet_opens_as_the_old_xlsxwriter_sheet_did(tmp_path):
    """The written XML reads back in openpyxl cell for cell as xlsxwriter's file: values,
    types, number formats, the bold header, widths, the frozen row, the sheet's extent."""
    from yuanqu.bench_export import xlsxwriter_write

    new, old = tmp_path / "new.xlsx", tmp_path / "old.xlsx"
    assert excel.write_xlsx(new, "园区/企业", EVERY_KIND_HEADER, every_kind_rows(), [1, 2]) == 6
    assert xlsxwriter_write(old, "园区/企业", EVERY_KIND_HEADER, every_kind_rows(), [1, 2]) == 6
    assert read_cells(new) == read_cells(old)

    title, frozen, extent, widths, cells = read_cells(new)
    assert (title, frozen, extent) == ("园区、企业", "A2", "A1:H7")
    assert [c[0] for c in cells[0]] == EVERY_KIND_HEADER and all(c[3] for c in cells[0])
    first, second, third, fourth, fifth, sixth = cells[1:]
    assert first[0][:2] == ("企业😀名称", "s")
    assert first[2] == (12345.5, "n", "#,##0.0###", False) and second[2][2] == "#,##0"
    assert first[3][0] == datetime.datetime(2024, 2, 29) and first[3][2] == "yyyy-mm-dd"
    assert first[4][0] == datetime.datetime(2026, 1, 1, 7, 59, 30) and first[4][2] == "yyyy-mm-dd hh:mm"
    assert (first[5][0], second[5][0]) == ("是", "否")
    assert len(first[7][0]) == 32767 and first[7][0] == HUGE[:32767]
    assert second[0][0] == "'=SUM(A1:A9)" and second[7][0] == "a & b  > d"  # markup goes, & and > stay
    assert third[0][0] == "含控制字符" and third[1][0] == 10**17
    assert fourth[0][0] == "'＋86 138" and fourth[7][0] == "'－1"
    assert all(c[0] is None for c in fifth)
    assert sixth[0][0] == "行\n换行" and sixth[7][0] == "企业" and sixth[1][:3] == (1000, "n", "#,##0")
    assert widths["H"] == pytest.approx(60.71, abs=0.01)  # 60 characters at most


def test_an_empty_export_is_a_header_that_opens(tmp_path):
    from yuanqu.bench_export import xlsxwriter_write

    new, old = tmp_path / "new.xlsx", tmp_path / "old.xlsx"
    assert excel.write_xlsx(new, "企业", ["名称", "代码"], []) == 0
    xlsxwriter_write(old, "企业", ["名称", "代码"], [])
    assert read_cells(new) == read_cells(old)
    assert [c[0] for c in read_cells(new)[4][0]] == ["名称", "代码"]


def test_a_sheet_of_sections_has_bold_headings_and_an_empty_row_between(tmp_path):
    """``write_sections``: each heading a bold row, its rows below as ``write_xlsx`` writes them
    (typed, neutralised, figures grouped), an empty row between sections, nothing frozen."""
    path = tmp_path / "sections.xlsx"
    sections = [
        (["园区统计（2025年10月）"], [("企业（家）", 1234), ("=1+1", None)]),
        (["片区", "企业（家）", "产值（万元）", "占比"], iter([("东区", 800, Decimal("12345.5"), "64.8%")])),
        (["空节"], []),
        (["合计", "企业（家）"], (row for row in [("全部", 1234)])),
    ]
    assert excel.write_sections(path, "园区/统计", sections, figures=[1, 2]) == 4
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert (sheet.title, sheet.freeze_panes, sheet.dimensions) == ("园区、统计", None, "A1:D11")
    cells = [[(c.value, bool(c.font.b)) for c in row if c.value is not None] for row in sheet.iter_rows()]
    assert cells == [
        [("园区统计（2025年10月）", True)],
        [("企业（家）", False), (1234, False)],
        [("'=1+1", False)],
        [],
        [("片区", True), ("企业（家）", True), ("产值（万元）", True), ("占比", True)],
        [("东区", False), (800, False), (12345.5, False), ("64.8%", False)],
        [],
        [("空节", True)],
        [],
        [("合计", True), ("企业（家）", True)],
        [("全部", False), (1234, False)],
    ]
    assert sheet["B2"].number_format == "#,##0" and sheet["C6"].number_format == "#,##0.0###"
    assert sheet["D6"].data_type == "s" and sheet["A3"].data_type == "s"
    # the widths are measured on every heading and row: column A holds the title
    assert sheet.column_dimensions["A"].width >= excel.display_width("园区统计（2025年10月）")
    content, count = excel.sections_to_xlsx("统计", [(["标题"], [])])
    assert count == 0 and openpyxl.load_workbook(io.BytesIO(content)).active["A1"].value == "标题"
