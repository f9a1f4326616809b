"""The probe's hostile workbooks (issue 12, finding 7), each through the whole import as the
web page and ``yuanqu import`` run it: refused with a Chinese message, nothing imported, the
refusal audited."""

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.enterprises.importers import EnterpriseImporter
from yuanqu.enterprises.models import Enterprise
from yuanqu.utilities import importing
from yuanqu.utilities.importing import run_import
from yuanqu.utilities.testing import factories as f

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS = "xl/sharedStrings.xml"


def valid_workbook(zone_name) -> bytes:
    """A workbook the enterprise import accepts as is (one new enterprise)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["统一社会信用代码", "企业名称", "片区"])
    sheet.append([f.uscc(7), "甲精密机械有限公司", zone_name])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rebuilt(data, replace=None, add=(), compression=zipfile.ZIP_DEFLATED) -> bytes:
    """The workbook with parts replaced (name → bytes) and parts added ((name, bytes) …)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", compression) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for name, content in add:
            target.writestr(name, content)
    return out.getvalue()


def part(data, name) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode()


def with_prolog(xml: str, prolog: str) -> bytes:
    body = xml.split("?>", 1)[1] if xml.startswith("<?xml") else xml
    return f'<?xml version="1.0" encoding="UTF-8"?>{prolog}{body}'.encode()


@pytest.fixture
def importer(alice, east):
    """The enterprise import as 经济发展局's staff run it (their default grants)."""
    return EnterpriseImporter(user=alice)


def refused(importer, data, filename="企业.xlsx"):
    """Run the import (committing) and check nothing was written but the refusal's audit."""
    enterprises, changes = Enterprise.objects.count(), ObjectChange.objects.count()
    rejected = AuditEvent.objects.filter(kind="import_rejected").count()
    result = run_import(importer, io.BytesIO(data), filename, commit=True)
    assert not result.ok and result.rejected_file and not result.committed
    assert Enterprise.objects.count() == enterprises and ObjectChange.objects.count() == changes
    assert AuditEvent.objects.filter(kind="import_rejected").count() == rejected + 1
    return str(result.errors[0])


def test_the_valid_workbook_imports(importer, east):
    result = run_import(importer, io.BytesIO(valid_workbook(east.name)), "企业.xlsx", commit=True)
    assert result.ok and result.committed, [str(e) for e in result.errors]
    assert Enterprise.objects.filter(name="甲精密机械有限公司").exists()


@pytest.mark.parametrize(
    "prolog",
    [
        '<!-- <x --><!DOCTYPE worksheet [<!ENTITY a "甲">]>',  # the probe's bypass of the old reader
        "<!-- <x -->\n<!doctype worksheet>",
        '<!--x--><!DOCTYPE worksheet SYSTEM "file:///etc/passwd">',
    ],
)
def test_a_doctype_behind_a_comment_is_refused(importer, east, prolog):
    data = valid_workbook(east.name)
    bomb = rebuilt(data, {SHEET: with_prolog(part(data, SHEET), prolog)})
    assert refused(importer, bomb) == f"文件中“{SHEET}”含有 DTD 声明（DOCTYPE），疑似 XML 炸弹，已拒绝"


def test_an_internal_entity_is_refused_before_it_reaches_the_preview(importer, east):
    data = valid_workbook(east.name)
    strings = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<!DOCTYPE sst [<!ENTITY name "实体展开的企业名称">]>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&name;</t></si></sst>"
    )
    sheet = re.sub(r'<c r="B2" t="inlineStr">.*?</c>', '<c r="B2" t="s"><v>0</v></c>', part(data, SHEET))
    assert '<c r="B2" t="s">' in sheet
    bomb = rebuilt(data, {SHEET: sheet.encode()}, add=[(SHARED_STRINGS, strings)])
    message = refused(importer, bomb)
    assert message == f"文件中“{SHARED_STRINGS}”含有 DTD 声明（DOCTYPE），疑似 XML 炸弹，已拒绝"
    assert "实体展开" not in message


def test_a_utf16_part_with_a_doctype_is_refused_too(importer, east):
    """A part in UTF-16 goes to openpyxl; it is searched for declarations all the same."""
    data = valid_workbook(east.name)
    sheet = part(data, SHEET)
    xml = '<?xml version="1.0" encoding="UTF-16"?><!-- <x --><!DOCTYPE w [<!ENTITY a "b">]>' + sheet
    bomb = rebuilt(data, {SHEET: xml.encode("utf-16")})
    assert refused(importer, bomb) == f"文件中“{SHEET}”含有 DTD 声明（DOCTYPE），疑似 XML 炸弹，已拒绝"


def test_a_macro_workbook_is_refused(importer, east):
    data = valid_workbook(east.name)
    with_macro = rebuilt(data, add=[("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 Sub AutoOpen()")])
    assert "文件中含有宏（vbaProject.bin）" in refused(importer, with_macro)


def test_a_workbook_declared_macro_enabled_is_refused_without_its_macro_part(importer, east):
    data = valid_workbook(east.name)
    types = part(data, "[Content_Types].xml").replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    assert "macroEnabled" in types
    xlsm = rebuilt(data, {"[Content_Types].xml": types.encode()})
    assert refused(importer, xlsm) == (
        "文件声明为启用宏的工作簿（.xlsm 的内容类型），导入只接受不含宏的工作簿，"
        "请在 Excel 中“另存为 Excel 工作簿(*.xlsx)”后再导入"
    )


def test_twenty_thousand_and_one_entries_are_refused(importer, east):
    data = valid_workbook(east.name)
    count = len(zipfile.ZipFile(io.BytesIO(data)).infolist())
    padding = [(f"xl/media/p{i}.png", b"") for i in range(20001 - count)]
    crowded = rebuilt(data, add=padding, compression=zipfile.ZIP_STORED)
    assert len(zipfile.ZipFile(io.BytesIO(crowded)).infolist()) == 20001
    assert refused(importer, crowded) == (
        "文件中的压缩条目多达 20001 个（上限 10000 个），不是正常的 Excel 工作簿，疑似压缩炸弹，已拒绝"
    )


def test_a_zip_bomb_is_refused(importer, east):
    data = valid_workbook(east.name)
    bomb = rebuilt(data, add=[("xl/media/bomb.xml", b"\x00" * (40 * 1024 * 1024))])
    assert refused(importer, bomb) == (
        "文件中“xl/media/bomb.xml”的压缩比异常（超过 200 倍），疑似压缩炸弹，已拒绝"
    )


def test_a_bomb_past_the_total_size_is_refused_whatever_its_ratio(importer, east, settings):
    settings.YUANQU_IMPORT_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    data = valid_workbook(east.name)
    big = rebuilt(
        data, add=[("xl/media/big.xml", b"\x00" * (11 * 1024 * 1024))], compression=zipfile.ZIP_STORED
    )
    settings.YUANQU_IMPORT_MAX_BYTES = len(big) + 1
    assert "疑似压缩炸弹，已拒绝" in refused(importer, big)


def test_a_control_character_in_a_cell_is_a_row_error_naming_the_column(importer, east):
    """Excel writes an ESC in a cell as the escape _x001B_, which the reader gives back as ESC."""
    data = valid_workbook(east.name)
    sheet = part(data, SHEET).replace("&#30002;", "&#20057;_x001B_", 1)  # 甲… → 乙ESC…
    escaped = rebuilt(data, {SHEET: sheet.encode()})
    before = Enterprise.objects.count()
    result = run_import(importer, io.BytesIO(escaped), "企业.xlsx", commit=True)
    assert [str(e) for e in result.errors] == [
        "第2行 企业名称：“企业名称”第2个字符是不可见的控制字符（U+001B），请删除后重新填写（常见于从其他系统复制粘贴的文字）"
    ]
    assert Enterprise.objects.count() == before


def test_openpyxl_is_not_used_without_defusedxml(importer, east, monkeypatch):
    """A file calamine leaves to openpyxl (error cells) is refused when openpyxl would parse
    it without defusedxml."""
    import openpyxl

    data = valid_workbook(east.name)
    sheet = part(data, SHEET).replace(
        "</row></sheetData>", '<c r="D2" t="e"><v>#DIV/0!</v></c></row></sheetData>'
    )
    with_errors = rebuilt(data, {SHEET: sheet.encode()})
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    assert refused(importer, with_errors) == "服务器未启用 defusedxml，无法安全读取此文件，请联系系统管理员"
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", True)
    assert importing.read_rows(with_errors)[1][0][1][3] == "#DIV/0!"
