"""The checks in front of calamine: DTDs and entities anywhere, macros, too many zip entries;
and the values an import depends on come out as openpyxl gives them."""

import datetime
import io
import zipfile

import pytest
from openpyxl import Workbook

from yuanqu.utilities import xlsx_reader
from yuanqu.utilities.importing import MAX_ZIP_ENTRIES, ImportRejected, check_file, read_rows
from yuanqu.utilities.tests.test_xlsx_reader import SHEET, _save, fast_rows, openpyxl_rows, replace_members

DTD_REFUSED = "含有 DTD 声明（DOCTYPE），疑似 XML 炸弹，已拒绝"


def workbook_bytes():
    workbook = Workbook()
    workbook.active.append(["统一社会信用代码", "企业名称"])
    workbook.active.append(["91320500MA1W9K2X3L", "甲公司"])
    return _save(workbook)


def with_shared_strings(data, xml):
    """The workbook with a shared-string part added (openpyxl writes inline strings)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/sharedStrings.xml", xml)
    return out.getvalue()


@pytest.mark.parametrize(
    "declaration",
    [
        '<!-- <x --><!DOCTYPE lol [<!ENTITY lol "lol">]>',  # after a comment that looks like a root
        '<!-- a comment --><!DOCTYPE x SYSTEM "file:///etc/passwd">',
    ],
)
def test_a_doctype_after_a_comment_is_refused(declaration):
    data = workbook_bytes()
    sheet = zipfile.ZipFile(io.BytesIO(data)).read(SHEET).decode()
    body = sheet.split("?>", 1)[1] if sheet.startswith("<?xml") else sheet
    bomb = f'<?xml version="1.0" encoding="UTF-8"?>{declaration}{body}'.encode()
    with pytest.raises(ImportRejected, match=f"“{SHEET}”{DTD_REFUSED}"):
        read_rows(replace_members(data, **{SHEET.replace("/", "__"): bomb}))


def test_an_entity_declaration_deep_in_the_shared_strings_is_refused():
    items = "".join(f"<si><t>第{i}项</t></si>" for i in range(50000))  # well past the first chunk
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'{items}<!ENTITY lol "lol"></sst>'
    )
    with pytest.raises(ImportRejected, match=f"“xl/sharedStrings.xml”{DTD_REFUSED}"):
        read_rows(with_shared_strings(workbook_bytes(), xml))


def test_a_workbook_with_macros_is_refused():
    data = workbook_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macro")
    with pytest.raises(ImportRejected, match=r"含有宏（vbaProject\.bin）.*另存为 Excel 工作簿"):
        check_file("月报.xlsx", out.getvalue())
    check_file("月报.xlsx", data)  # the same workbook without the macro passes


def test_a_zip_with_too_many_entries_is_refused():
    data = workbook_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        for i in range(MAX_ZIP_ENTRIES):
            target.writestr(f"xl/media/x{i}.png", b"")
    with pytest.raises(
        ImportRejected, match=f"压缩条目多达 {MAX_ZIP_ENTRIES + 9} 个（上限 {MAX_ZIP_ENTRIES} 个）"
    ):
        check_file("月报.xlsx", out.getvalue())


def test_codes_phones_money_and_dates_come_out_as_openpyxl_gives_them():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["统一社会信用代码", "电话", "手机（数字）", "产值（万元）", "日期", "负数", "大整数"])
    sheet.append(
        [
            "91320500MA1W9K2X3L",
            "0512-66668888",
            13800138000,
            1234.56,
            datetime.date(2024, 1, 31),
            -0.01,
            123456789012345,
        ]
    )
    sheet.append(
        ["913205000000000017", "051266668888", 18912345678, 0.1, datetime.date(2023, 12, 1), -5, 2**53 + 2]
    )
    formats = ['yyyy"年"m"月"d"日"', 'm"月"d"日"', "yyyy-mm", "General", "0.00", "#,##0", "@"]
    for row, fmt in enumerate(formats, start=4):
        sheet.cell(row=row, column=1, value=fmt)
        sheet.cell(row=row, column=4, value=45000.5 if fmt != "@" else "45000").number_format = fmt
        sheet.cell(row=row, column=5, value=45000).number_format = fmt
    data = _save(workbook)

    rows = fast_rows(data)
    assert rows == openpyxl_rows(data)
    assert rows[1][1][:4] == ("91320500MA1W9K2X3L", "0512-66668888", 13800138000, 1234.56)
    assert isinstance(rows[1][1][2], int) and isinstance(rows[1][1][6], int)
    assert rows[1][1][4] == datetime.datetime(2024, 1, 31)
    assert rows[2][1][0] == "913205000000000017"  # 18 digits as text: every digit kept
    assert rows[4][1][3:5] == (datetime.datetime(2023, 3, 15, 12, 0), datetime.datetime(2023, 3, 15))


def test_calamine_reads_a_valid_file_without_openpyxl():
    data = workbook_bytes()
    assert list(xlsx_reader.iter_rows(data)) == [
        (1, ("统一社会信用代码", "企业名称")),
        (2, ("91320500MA1W9K2X3L", "甲公司")),
    ]
