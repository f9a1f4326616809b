"""The fast xlsx reader gives what openpyxl gives, refuses DTDs, and hands over what it cannot read."""

import datetime
import decimal
import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from yuanqu.utilities import importing, xlsx_reader
from yuanqu.utilities.importing import ImportRejected, read_rows

SHEET = "xl/worksheets/sheet1.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _trim(values):
    # calamine does not tell an empty text cell from an empty cell; both are blank to the import.
    values = [None if isinstance(v, str) and not v.strip() else v for v in values]
    while values and values[-1] is None:
        values.pop()
    return tuple(values)


def openpyxl_rows(data):
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()
    rows = [(n, _trim(v)) for n, v in enumerate(sheet.iter_rows(values_only=True), start=1)]
    workbook.close()
    return [(n, v) for n, v in rows if v]


def fast_rows(data):
    return [(n, _trim(v)) for n, v in xlsx_reader.iter_rows(data) if _trim(v)]


def replace_members(data, **members):
    """The workbook with some parts replaced (keys: paths with / written as __)."""
    members = {k.replace("__", "/"): v for k, v in members.items()}
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, members.get(info.filename, source.read(info.filename)))
    return out.getvalue()


def with_sheet_xml(rows_xml, namespace=MAIN_NS):
    base = Workbook()
    base.active["A1"] = "占位"
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{namespace}"><sheetData>{rows_xml}</sheetData></worksheet>'
    return replace_members(_save(base), **{SHEET.replace("/", "__"): sheet.encode()})


def test_values_of_every_kind_match_openpyxl():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "月报"
    sheet.append(["统一社会信用代码", "企业名称", "整数", "小数", "十进制", "日期", "时间", "布尔", "公式"])
    sheet.append(
        [
            "00123",
            "园区示范企业（有限公司）",
            42,
            3.14159,
            decimal.Decimal("1234.50"),
            None,
            None,
            True,
            "=C2*2",
        ]
    )
    sheet.append(["007", "  前后空格  ", -7, 1e-7, decimal.Decimal("0.1"), None, None, False, "=SUM(C2:C3)"])
    sheet.append([])  # a blank row
    sheet.append([None, None, 10**12, -2.5e20])  # leading empty cells
    sheet["A5"] = "第五行"
    sheet["K5"] = "远处的格子"  # a gap in the middle
    formats = [
        "yyyy-mm-dd",
        "yyyy/m/d h:mm",
        "mm-dd-yy",
        'yyyy"年"m"月"d"日"',
        "h:mm:ss",
        "[h]:mm:ss",
        "0.00%",
    ]
    values = [
        datetime.datetime(2024, 3, 31),
        datetime.datetime(2024, 3, 31, 17, 45, 30),
        datetime.date(1999, 12, 31),
        datetime.datetime(1900, 2, 1),
        datetime.time(8, 30),
        datetime.timedelta(hours=30, minutes=5),
        0.125,
    ]
    for row, (fmt, value) in enumerate(zip(formats, values, strict=True), start=7):
        sheet.cell(row=row, column=1, value=fmt)
        cell = sheet.cell(row=row, column=6, value=value)
        cell.number_format = fmt
    sheet.cell(row=20, column=2, value="第二十行")
    workbook.create_sheet("第二个表")["A1"] = "不读"
    data = _save(workbook)

    rows = fast_rows(data)
    assert rows == openpyxl_rows(data)
    assert rows[1][1][:2] == ("00123", "园区示范企业（有限公司）")
    assert len(rows[1][1]) == 8  # openpyxl writes formulas without a cached value: trimmed None
    assert any(r[1][5] == datetime.datetime(2024, 3, 31, 17, 45, 30) for r in rows)
    assert [n for n, _ in rows] == [1, 2, 3, 5, 7, 8, 9, 10, 11, 12, 13, 20]


def test_1904_date_system():
    workbook = Workbook()
    workbook.epoch = CALENDAR_MAC_1904
    cell = workbook.active.cell(row=1, column=1, value=datetime.datetime(2023, 10, 1, 12, 0))
    cell.number_format = "yyyy-mm-dd hh:mm"
    data = _save(workbook)
    assert fast_rows(data) == openpyxl_rows(data) == [(1, (datetime.datetime(2023, 10, 1, 12, 0),))]


def test_rich_text_shared_string():
    workbook = Workbook()
    workbook.active["A1"] = CellRichText(["普通", TextBlock(InlineFont(b=True), "加粗"), "结尾"])
    workbook.active["B1"] = "普通文字"
    data = _save(workbook)
    assert fast_rows(data) == openpyxl_rows(data) == [(1, ("普通加粗结尾", "普通文字"))]


def test_hand_written_sheet_matches_openpyxl():
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>代码</t></is></c>'
        '<c r="B1" t="inlineStr"><is><r><t>富</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 文本</t></r>'
        '<rPh sb="0" eb="1"><t>フ</t></rPh></is></c>'
        '<c r="D1" t="str"><f>A1&amp;"x"</f><v>代码x</v></c></row>'
        '<row r="3" spans="1:5"><c r="A3" t="str"><f>1/0</f><v>#DIV/0!</v></c><c r="B3" t="inlineStr"><is><t>t="e"</t></is></c>'
        '<c r="C3" t="b"><v>1</v></c><c r="D3" t="n"><v>12.50</v></c><c r="E3"><f>2+2</f><v>4</v></c></row>'
        '<row r="4"/>'
        '<row><c><v>1</v></c><c/><c t="inlineStr"><is><t>&lt;无坐标&gt; &amp; 行号</t></is></c></row>'
        '<row r="9"><c r="B9" s="0"/><c r="C9" t="inlineStr"><is><t></t></is></c><c r="AA9"><v>1E3</v></c></row>'
    )
    data = with_sheet_xml(rows)
    fast = fast_rows(data)
    assert fast == openpyxl_rows(data)
    assert fast[0] == (1, ("代码", "富 文本", None, "代码x"))
    assert fast[2] == (5, (1, None, "<无坐标> & 行号"))


def test_read_rows_keeps_its_behaviour():
    workbook = Workbook()
    workbook.active.append(["代码", "名称"])
    workbook.active.append([])
    workbook.active.append(["001", "甲"])
    header, rows = read_rows(_save(workbook))
    assert header == ("代码", "名称")
    assert rows == [(3, ("001", "甲"))]

    workbook = Workbook()
    workbook.active.append(["代码", "名称"])
    with pytest.raises(ImportRejected, match="表头下面是空的"):
        read_rows(_save(workbook))
    with pytest.raises(ImportRejected, match="工作表是空的"):
        read_rows(_save(Workbook()))


def test_row_limit(settings):
    settings.YUANQU_IMPORT_MAX_ROWS = 2
    workbook = Workbook()
    for i in range(4):
        workbook.active.append([f"第{i}行"])
    with pytest.raises(ImportRejected, match="数据行超过上限 2 行"):
        read_rows(_save(workbook))


@pytest.mark.parametrize("member", [SHEET, "xl/workbook.xml"])
def test_doctype_is_refused(member):
    workbook = Workbook()
    workbook.active["A1"] = "表头"
    workbook.active["A2"] = "数据"
    data = _save(workbook)
    original = zipfile.ZipFile(io.BytesIO(data)).read(member).decode()
    declaration = '<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
    body = original.split("?>", 1)[1] if original.startswith("<?xml") else original
    bomb = ('<?xml version="1.0" encoding="UTF-8"?>' + declaration + body).encode()
    with pytest.raises(ImportRejected, match=f"“{member}”含有 DTD 声明（DOCTYPE），疑似 XML 炸弹，已拒绝"):
        read_rows(replace_members(data, **{member.replace("/", "__"): bomb}))


def test_corrupt_files():
    with pytest.raises(ImportRejected, match="无法作为 Excel 工作簿打开"):
        read_rows(b"PK\x03\x04" + b"\x00" * 200)
    broken = with_sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>表头</t></is></c></row><row r="2"><c')
    broken = replace_members(
        broken, **{SHEET.replace("/", "__"): zipfile.ZipFile(io.BytesIO(broken)).read(SHEET)[:-40]}
    )
    with pytest.raises(xlsx_reader.NotFast):
        list(xlsx_reader.iter_rows(broken))
    with pytest.raises(ImportRejected, match="无法作为 Excel 工作簿打开"):  # as openpyxl judges it
        read_rows(broken)


def test_cells_out_of_order_and_strict_namespace_are_read_by_calamine():
    # Cells out of order: each value lands in its own column (openpyxl kept only (1,)).
    data = with_sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>表头</t></is></c></row>'
        '<row r="2"><c r="C2"><v>3</v></c><c r="A2"><v>1</v></c></row>'
    )
    header, rows = read_rows(data)
    assert header[0] == "表头"
    assert rows == [(2, (1, None, 3))]

    # Strict OOXML namespace on the worksheet.
    strict = with_sheet_xml(
        '<row r="1"><c r="A1"><v>1</v></c></row>', "http://purl.oclc.org/ooxml/spreadsheetml/main"
    )
    assert fast_rows(strict) == [(1, (1,))]


@pytest.mark.parametrize("quote", ['"', "'"])
def test_error_cells_are_read_by_openpyxl_with_their_text(quote):
    # calamine gives "" for an error cell, which the import would take for a blank.
    data = with_sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>代码</t></is></c><c r="B1" t="inlineStr"><is><t>产值</t></is></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>001</t></is></c><c r="B2" t={quote}e{quote}><f>1/0</f><v>#DIV/0!</v></c></row>'
    )
    with pytest.raises(xlsx_reader.NotFast, match="error cells"):
        xlsx_reader.iter_rows(data)
    header, rows = read_rows(data)
    assert rows == [(2, ("001", "#DIV/0!"))]


def _scan(parts):
    """``xlsx_reader.scan`` of a zip of the given parts (name → bytes)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return xlsx_reader.scan(zipfile.ZipFile(io.BytesIO(out.getvalue())))


SHEET_HEAD = b'<?xml version="1.0" encoding="UTF-8"?>'
SHEET_BODY = f'<worksheet xmlns="{MAIN_NS}"><sheetData/></worksheet>'.encode()


@pytest.mark.parametrize("declaration", [b"<!DOCTYPE w>", b"<!doctype w>", b'<!ENTITY a "b">'])
@pytest.mark.parametrize("marks", [0, xlsx_reader.MANY + 5])
def test_a_declaration_is_found_however_many_exclamation_marks_come_first(declaration, marks):
    """The declarations are found by their "!"; a part with more than MANY of them is searched
    for "<!" instead, and a declaration behind them is refused all the same."""
    text = SHEET_HEAD + b"<!-- " + b"!" * marks + b" -->" + declaration + SHEET_BODY
    with pytest.raises(xlsx_reader.ForbiddenDTD) as refused:
        _scan({"xl/workbook.xml": b"<workbook/>", SHEET: text})
    assert refused.value.member == SHEET
    assert (
        _scan({SHEET: SHEET_HEAD + b"<!-- " + b"!" * marks + b" --><!-- DOCTYPE -->" + SHEET_BODY}) is False
    )


@pytest.mark.parametrize("split", range(-9, 2))
def test_a_declaration_across_two_chunks_is_refused(split):
    """A part is searched a chunk at a time; a declaration cut by the chunk's end is still whole
    in the next search (the last bytes are carried over)."""
    padding = b"<!--" + b"x" * (xlsx_reader.CHUNK + split - len(SHEET_HEAD) - 7) + b"-->"
    text = SHEET_HEAD + padding + b"<!DOCTYPE w>" + SHEET_BODY
    assert text.index(b"<!DOCTYPE") - xlsx_reader.CHUNK == split
    with pytest.raises(xlsx_reader.ForbiddenDTD):
        _scan({SHEET: text})


@pytest.mark.parametrize("apostrophes", [0, xlsx_reader.MANY + 5])
@pytest.mark.parametrize("form", [b"t='e'", b"t = 'e'", b't="e"', b't= "e"'])
def test_an_error_cell_is_found_behind_many_apostrophes(apostrophes, form):
    """A single-quoted t='e' is found by its quote, or, past MANY quotes, as the three bytes."""
    text = "’'".encode() * apostrophes
    cells = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>' + text + b"</t></is></c>"
        b'<c r="B1" ' + form + b"><v>#N/A</v></c></row>"
    )
    sheet = (
        SHEET_HEAD
        + f'<worksheet xmlns="{MAIN_NS}"><sheetData>'.encode()
        + cells
        + b"</sheetData></worksheet>"
    )
    assert _scan({SHEET: sheet}) is True
    assert _scan({SHEET: sheet.replace(form, b"t='s'")}) is False


def test_rows_are_collected_as_from_converted_rows(settings):
    """``read_rows`` collects calamine's rows without a step per row: the same header, rows
    and numbers as ``_collect_rows`` of the converted rows, blank rows skipped wherever."""
    workbook = Workbook()
    sheet = workbook.active
    sheet["B3"] = "表头"  # two blank rows above, an empty first cell
    sheet["A3"] = "  "
    sheet.append(["001", 1.0, None, datetime.date(2024, 1, 2)])
    sheet.append([None, None, None, " "])  # blank: only spaces
    sheet.append([None, 2.5])  # not blank: a value after an empty first cell
    sheet.append(["", "x"])
    sheet["C12"] = None
    sheet["A12"].number_format = "0.00"  # formatting only
    data = _save(workbook)
    header, rows = read_rows(data)
    assert isinstance(rows, xlsx_reader.Rows)
    assert (header, list(rows)) == importing._collect_rows(xlsx_reader.iter_rows(data))
    assert header == ("  ", "表头", None, None)  # a text of spaces stays (only "" is None)
    assert rows == [
        (4, ("001", 1, None, datetime.datetime(2024, 1, 2))),
        (6, (None, 2.5, None, None)),
        (7, (None, "x", None, None)),
    ]
    assert len(rows) == 3 and rows[1] == (6, (None, 2.5, None, None)) and rows[-1][0] == 7
    assert rows[1:] == [(6, (None, 2.5, None, None)), (7, (None, "x", None, None))]
    assert type(rows[0][1][1]) is int and rows.raw[0][1] == 1.0  # converted when taken, not in raw

    settings.YUANQU_IMPORT_MAX_ROWS = 2
    with pytest.raises(ImportRejected, match="数据行超过上限 2 行"):
        read_rows(data)
    settings.YUANQU_IMPORT_MAX_ROWS = 3
    assert len(read_rows(data)[1]) == 3


@pytest.mark.parametrize("past", [0, 1])
def test_blank_rows_past_the_limit_are_refused_as_before(settings, past):
    """Rows that are only formatting are skipped up to MAX_EMPTY_ROWS_PAST_LIMIT past the limit."""
    settings.YUANQU_IMPORT_MAX_ROWS = 1
    workbook = Workbook()
    workbook.active.append(["表头"])
    workbook.active.append(["数据"])
    workbook.active.cell(row=1 + 1 + importing.MAX_EMPTY_ROWS_PAST_LIMIT + past, column=2, value=" ")
    data = _save(workbook)
    if past:
        for read in (lambda: importing._collect_rows(xlsx_reader.iter_rows(data)), lambda: read_rows(data)):
            with pytest.raises(ImportRejected, match="数据行超过上限 1 行"):
                read()
    else:
        assert (
            read_rows(data)
            == importing._collect_rows(xlsx_reader.iter_rows(data))
            == (("表头", None), [(2, ("数据", None))])
        )


@pytest.mark.parametrize("cells", [{}, {"A3": " "}, {"B1": "表头"}])
def test_an_empty_sheet_or_a_header_alone_is_refused_as_before(cells):
    workbook = Workbook()
    for at, value in cells.items():
        workbook.active[at] = value
    data = _save(workbook)
    with pytest.raises(ImportRejected) as before:
        importing._collect_rows(xlsx_reader.iter_rows(data))
    with pytest.raises(ImportRejected) as now:
        read_rows(data)
    assert str(now.value) == str(before.value)


def test_the_collector_resumes_after_a_read_and_what_was_frozen_stays_frozen():
    """read_rows pauses the cyclic collector while calamine reads; it runs again afterwards,
    also when the read is refused, and objects a server froze on purpose stay frozen."""
    import gc

    workbook = Workbook()
    workbook.active.append(["表头"])
    workbook.active.append(["数据"])
    data = _save(workbook)
    assert gc.isenabled()
    assert read_rows(data)[1] == [(2, ("数据",))] and gc.isenabled()
    with pytest.raises(ImportRejected, match="工作表是空的"):
        read_rows(_save(Workbook()))
    assert gc.isenabled()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        read_rows(data)
        # Still frozen, and nothing added: a frozen object the read lets go of may be freed
        # (by its reference count), so the count may fall, never rise or drop to nothing.
        assert gc.isenabled() and 0 < gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        read_rows(data)
        assert not gc.isenabled()  # paused by someone else: left paused
    finally:
        gc.enable()
