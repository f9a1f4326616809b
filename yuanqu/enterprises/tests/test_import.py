"""Excel import of the enterprise registry from the web: template, preview, confirm, refusals."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.enterprises.models import Enterprise
from yuanqu.enterprises.validators import uscc_check_char
from yuanqu.utilities.testing import factories as f

IMPORT_URL = "/enterprises/import/"
HEADER = [
    "统一社会信用代码*",
    "企业名称*",
    "简称",
    "成立日期",
    "注册资本（万元）",
    "企业类型",
    "行业代码",
    "产业链",
    "片区",
    "地址",
    "用地面积（亩）",
    "经营状态",
    "外资企业",
    "责任部门",
    "备注",
]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def row(uscc, name, **values):
    """A data row in HEADER order; keyword names are the column names without the *."""
    cells = {"统一社会信用代码": uscc, "企业名称": name, **values}
    return [cells.get(h.rstrip("*")) for h in HEADER]


def upload(client, content, name="企业.xlsx"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def confirm(client, response):
    return client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})


def errors_of(response):
    return [str(e) for e in response.context["result"].errors]


def wrong_check_char(code):
    """The code with its 18th character replaced by a wrong one: (bad code, expected, actual)."""
    expected = uscc_check_char(code[:17])
    actual = "L" if expected != "L" else "P"
    return code[:17] + actual, expected, actual


def dropdowns(sheet):
    """The list of each validated column, by its first cell: {"K2": '"在营,停产,…"'}."""
    return {str(dv.sqref).split(":")[0]: dv.formula1 for dv in sheet.data_validations.dataValidation}


@pytest.fixture
def chain(db):
    return f.chain("高端装备制造")


@pytest.fixture
def nothing_written():
    """Asserts at the end of the test that no enterprise and no change record was written."""
    enterprises, changes = [], []

    def snapshot():
        enterprises.append(Enterprise.objects.count())
        changes.append(ObjectChange.objects.count())

    yield snapshot
    assert Enterprise.objects.count() == enterprises[0]
    assert ObjectChange.objects.count() == changes[0]


# --- the template ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_template_has_headers_notes_and_dropdowns(client, alice, east, west, chain):
    client.force_login(alice)
    response = client.get(reverse("enterprises:enterprise_import_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert "18位" in sheet["A1"].comment.text and "必填" in sheet["A1"].comment.text
    assert "YYYY-MM-DD" in sheet["D1"].comment.text
    assert "四位小类代码" in sheet["G1"].comment.text
    lists = dropdowns(sheet)
    assert "有限责任公司" in lists["F2"]
    assert lists["L2"].startswith('"在营,停产')
    assert lists["M2"] == '"是,否"'
    assert "东区" in lists["I2"] and "西区" in lists["I2"] and "高新区" not in lists["I2"]
    assert "高端装备制造" in lists["H2"]
    assert "经济发展局" in lists["N2"]
    assert "填写说明" in workbook.sheetnames
    event = AuditEvent.objects.get(kind="template_download")
    assert event.user_name == "alice"


@pytest.mark.django_db
def test_long_choice_list_goes_on_a_hidden_sheet(client, alice, east):
    for n in range(30):
        f.chain(f"第{n:02d}条战略性新兴产业链（含配套）")
    client.force_login(alice)
    response = client.get(reverse("enterprises:enterprise_import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    lists = dropdowns(workbook.worksheets[0])
    assert lists["H2"] == "'选项'!$H$2:$H$31"
    options = workbook["选项"]
    assert options.sheet_state == "hidden"
    assert options["H2"].value == "第00条战略性新兴产业链（含配套）"


@pytest.mark.django_db
def test_import_page_links_the_template(client, alice):
    client.force_login(alice)
    response = client.get(IMPORT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "下载导入模板" in page and reverse("enterprises:enterprise_import_template") in page


@pytest.mark.django_db
def test_filled_in_template_imports(client, alice, east, chain):
    client.force_login(alice)
    template = client.get(reverse("enterprises:enterprise_import_template")).content
    workbook = load_workbook(io.BytesIO(template))
    code = f.uscc()
    workbook.worksheets[0].append(
        row(code, "模板填写有限公司", 行业代码="0511", 片区="东区", 经营状态="停产")
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(client, buffer.getvalue(), name="企业导入模板.xlsx")
    assert preview.context["result"].counts == {"new": 1, "changed": 0, "unchanged": 0}, errors_of(preview)
    confirm(client, preview)
    created = Enterprise.objects.get(uscc=code)
    assert (created.industry_id, created.zone, created.status) == ("0511", east, "stopped")


# --- a good file -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_good_file_previews_then_creates_and_updates(
    client, alice, econ_dept, owned_enterprise, east, chain, settings
):
    same = f.enterprise("东区新材料有限公司", dept=econ_dept, zone_obj=east)
    new_code = f.uscc()
    content = xlsx(
        [
            row(
                new_code,
                "东区智能照明有限公司",
                简称="智能照明",
                成立日期=datetime.datetime(2019, 3, 8),
                **{"注册资本（万元）": 1200.5},
                企业类型="有限责任公司",
                行业代码=3874,
                产业链="高端装备制造",
                片区="东区",
                **{"用地面积（亩）": 35.5},
                经营状态="在营",
                外资企业="否",
            ),
            row(owned_enterprise.uscc, "东区精密机械股份有限公司", 片区="东区", 成立日期="2010-05-01"),
            row(same.uscc, same.name, 片区="东区"),
        ]
    )
    enterprises, changes = Enterprise.objects.count(), ObjectChange.objects.count()
    client.force_login(alice)

    preview = upload(client, content)
    assert preview.status_code == 200
    result = preview.context["result"]
    assert result.ok, errors_of(preview)
    assert result.counts == {"new": 1, "changed": 1, "unchanged": 1}
    page = preview.content.decode()
    assert "确认导入" in page
    assert "企业名称：东区精密机械有限公司 → 东区精密机械股份有限公司" in page
    assert "成立日期：— → 2010-05-01" in page
    # The preview wrote nothing.
    assert Enterprise.objects.count() == enterprises
    assert ObjectChange.objects.count() == changes
    assert not AuditEvent.objects.filter(kind="import").exists()
    stored = settings.VAR_DIR / "imports" / f"{preview.context['token']}.xlsx"
    assert stored.is_file()

    response = confirm(client, preview)
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:enterprise_list")
    created = Enterprise.objects.get(uscc=new_code)
    assert created.name == "东区智能照明有限公司"
    assert created.founded_on == datetime.date(2019, 3, 8)
    assert created.registered_capital_wan == Decimal("1200.5")
    assert created.land_area_mu == Decimal("35.5")
    assert created.industry_id == "3874"
    assert created.industry_chain == chain and created.zone == east
    assert created.department == econ_dept  # empty 责任部门: the importer's department
    assert created.status == "operating" and created.is_foreign_invested is False
    owned_enterprise.refresh_from_db()
    assert owned_enterprise.name == "东区精密机械股份有限公司"
    assert owned_enterprise.department == econ_dept  # kept
    new_changes = list(ObjectChange.objects.order_by("id"))[changes:]
    assert sorted(c.action for c in new_changes) == ["create", "update"]
    assert all(c.user_name == "alice" for c in new_changes)
    assert not ObjectChange.objects.filter(
        content_type__model="enterprise", object_id=str(same.pk), action="update"
    ).exists()
    event = AuditEvent.objects.get(kind="import")
    assert event.data["new"] == 1 and event.data["changed"] == 1 and event.data["unchanged"] == 1
    assert event.data["file"] == "企业.xlsx" and event.user_name == "alice"
    assert not stored.exists()
    followed = client.get(response["Location"])
    assert "新增 1 行、修改 1 行、未变 1 行" in followed.content.decode()


@pytest.mark.django_db
def test_exported_list_imports_back_unchanged(client, alice, econ_dept, east, chain):
    f.enterprise(
        "东区照明有限公司",
        dept=econ_dept,
        zone_obj=east,
        industry_id="3874",
        industry_chain=chain,
        registered_capital_wan=Decimal("500.00"),
        founded_on=datetime.date(2018, 1, 2),
        is_foreign_invested=True,
    )
    client.force_login(alice)
    exported = client.get(reverse("enterprises:enterprise_list"), {"export": "xlsx"}).content
    preview = upload(client, exported)
    result = preview.context["result"]
    assert result.ok, errors_of(preview)
    assert result.counts == {"new": 0, "changed": 0, "unchanged": 1}
    assert "没有需要写入的内容" in preview.content.decode()


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_error_names_row_column_and_reason(client, alice, east, chain, nothing_written):
    nothing_written()
    bad_code, expected, actual = wrong_check_char(f.uscc())
    dup = f.uscc()
    content = xlsx(
        [
            row(f.uscc(), "正常的企业有限公司", 片区="东区"),  # row 2: fine, but not written either
            row(bad_code, "校验码错误有限公司"),  # row 3
            row(f.uscc(), "未知片区有限公司", 片区="北区", 产业链="不存在的链"),  # row 4
            row(f.uscc(), "未知行业有限公司", 行业代码="9999", 责任部门="不存在的局"),  # row 5
            row(f.uscc(), "坏日期有限公司", 成立日期="2019-13-45", **{"注册资本（万元）": "五百万"}),  # row 6
            row(dup, "重复一有限公司"),  # row 7
            row(dup, "重复二有限公司"),  # row 8
            row(f.uscc(), None),  # row 9: no name
            row(f.uscc(), "坏选项有限公司", 经营状态="倒闭", 外资企业="也许"),  # row 10
        ]
    )
    client.force_login(alice)
    response = upload(client, content)
    errors = errors_of(response)
    assert f"第3行 统一社会信用代码：第18位校验码应为 {expected}，实际为 {actual}" in errors
    assert "第4行 片区：未找到“北区”，请填写系统中已有的片区名称" in errors
    assert "第4行 产业链：未找到“不存在的链”，请填写系统中已有的产业链名称" in errors
    assert "第5行 行业代码：“9999”不是 GB/T 4754-2017 的行业代码或名称" in errors
    assert "第5行 责任部门：未找到“不存在的局”，请填写系统中已有的责任部门名称" in errors
    assert "第6行 成立日期：“2019-13-45”不是有效的日期，格式应为 YYYY-MM-DD，如 2015-06-30" in errors
    assert "第6行 注册资本（万元）：“五百万”不是数字，应填写数字，如 500 或 1200.5" in errors
    assert "第8行 统一社会信用代码：与第7行重复（同一文件中同一统一社会信用代码只能出现一次）" in errors
    assert "第9行 企业名称：必填，不能为空" in errors
    assert any(e.startswith("第10行 经营状态：“倒闭”不是可选的值") for e in errors)
    assert "第10行 外资企业：应填“是”或“否”，实际为“也许”" in errors
    assert len(errors) == 11
    assert not any(e.startswith("第2行") for e in errors)
    page = response.content.decode()
    assert "没有写入任何数据" in page and "确认导入" not in page
    assert response.context["token"] is None
    event = AuditEvent.objects.get(kind="import_rejected")
    assert event.data["errors"] == 11


# --- refused files ---------------------------------------------------------------------------


def zip_bomb() -> bytes:
    """An xlsx-like zip whose worksheet is a long run of zeros (expands ~1000 times)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    return buffer.getvalue()


def word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def empty_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


REFUSED = {
    "text": ("企业.xlsx", lambda: "统一社会信用代码,企业名称\n".encode(), "文件不是 Excel 工作簿（.xlsx）"),
    "csv": (
        "企业.xlsx",
        lambda: "\ufeff统一社会信用代码,企业名称\n91,甲\n".encode(),
        "文件不是 Excel 工作簿（.xlsx）",
    ),
    "old xls": ("企业.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "旧版 Excel（.xls）"),
    "wrong extension": ("企业.csv", lambda: xlsx([row(f.uscc(), "甲有限公司")]), "文件不是 Excel 工作簿"),
    "word document": ("企业.xlsx", word_document, "文件不是 Excel 工作簿"),
    "zip bomb": ("企业.xlsx", zip_bomb, "疑似压缩炸弹"),
    "empty sheet": ("企业.xlsx", empty_workbook, "工作表是空的"),
    "header only": ("企业.xlsx", lambda: xlsx([]), "没有数据行"),
    "missing columns": (
        "企业.xlsx",
        lambda: xlsx([["甲有限公司", "东区"]], header=["企业", "片区"]),
        "表头缺少必填列：统一社会信用代码、企业名称",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", REFUSED)
def test_refused_file_writes_nothing(client, alice, east, kind, nothing_written):
    nothing_written()
    name, build, message = REFUSED[kind]
    client.force_login(alice)
    response = upload(client, build(), name=name)
    assert response.status_code == 200
    errors = errors_of(response)
    assert len(errors) == 1 and message in errors[0], errors
    assert message in response.content.decode()
    assert response.context["token"] is None
    event = AuditEvent.objects.get(kind="import_rejected")
    assert message in event.detail and event.data["file"] == name


@pytest.mark.django_db
def test_file_over_size_limit_is_refused(client, alice, settings, nothing_written):
    nothing_written()
    settings.YUANQU_IMPORT_MAX_BYTES = 2000
    client.force_login(alice)
    response = upload(client, xlsx([row(f.uscc(), "甲有限公司")]))
    assert errors_of(response) == ["文件大小超过上限 2000 字节，请拆分后分批导入"]
    assert AuditEvent.objects.filter(kind="import_rejected").exists()


@pytest.mark.django_db
def test_file_expanding_beyond_limit_is_refused(client, alice, settings, nothing_written):
    nothing_written()
    settings.YUANQU_IMPORT_MAX_UNCOMPRESSED_BYTES = 3000
    client.force_login(alice)
    response = upload(client, xlsx([row(f.uscc(), "甲有限公司")]))
    [error] = errors_of(response)
    assert "超过上限 3000 字节，疑似压缩炸弹" in error


@pytest.mark.django_db
def test_too_many_rows_are_refused(client, alice, settings, nothing_written):
    nothing_written()
    settings.YUANQU_IMPORT_MAX_ROWS = 2
    client.force_login(alice)
    response = upload(client, xlsx([row(f.uscc(), f"企业{n}有限公司") for n in range(3)]))
    assert errors_of(response) == ["数据行超过上限 2 行，请拆分后分批导入"]


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_cannot_import_into_another_departments_enterprise(
    client, charlie, owned_enterprise, east, nothing_written
):
    nothing_written()
    client.force_login(charlie)
    response = upload(
        client,
        xlsx(
            [
                row(owned_enterprise.uscc, "被改名的企业", 责任部门="招商局"),  # 经济发展局's enterprise
                row(f.uscc(), "挂到别的部门有限公司", 责任部门="经济发展局"),
            ]
        ),
    )
    errors = errors_of(response)
    assert (
        "第2行 统一社会信用代码：企业“东区精密机械有限公司”不在您可导入的范围内（例如不属于本部门）" in errors
    )
    assert "第3行：导入后的记录超出了您的权限范围（例如责任部门不是本部门），不能导入" in errors
    assert response.context["token"] is None


@pytest.mark.django_db
def test_staff_new_rows_default_to_own_department(client, charlie, invest_dept, east):
    code = f.uscc()
    client.force_login(charlie)
    preview = upload(client, xlsx([row(code, "招商引资有限公司", 片区="东区")]))
    assert preview.context["result"].ok, errors_of(preview)
    assert confirm(client, preview).status_code == 302
    assert Enterprise.objects.get(uscc=code).department == invest_dept


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["grid_worker", "leader", "enterprise_user", "auditor"])
def test_user_without_import_grant_gets_403(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.xlsx", b"x")}).status_code == 403
    assert client.get(reverse("enterprises:enterprise_import_template")).status_code == 403
    assert not AuditEvent.objects.filter(kind__in=["template_download", "import_rejected"]).exists()


@pytest.mark.django_db
def test_confirm_without_a_fresh_preview_writes_nothing(client, alice, east, settings, nothing_written):
    nothing_written()
    client.force_login(alice)
    preview = upload(client, xlsx([row(f.uscc(), "甲有限公司", 片区="东区")]))
    stored = settings.VAR_DIR / "imports" / f"{preview.context['token']}.xlsx"
    response = client.post(IMPORT_URL, {"confirm": "1", "token": "x" * 32})
    assert response.status_code == 302
    assert not stored.exists()
    assert "导入预览已失效" in client.get(IMPORT_URL).content.decode()
    # The session's preview was spent by the failed attempt: the real token no longer works.
    assert confirm(client, preview).status_code == 302
    assert not AuditEvent.objects.filter(kind="import").exists()


# --- export ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_export_neutralises_formulas(client, alice, econ_dept):
    f.enterprise('=HYPERLINK("http://evil.example/","点击查看")', dept=econ_dept)
    client.force_login(alice)
    response = client.get(reverse("enterprises:enterprise_list"), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cell = next(c for c in sheet["A"] if c.value and "HYPERLINK" in str(c.value))
    assert cell.value == '\'=HYPERLINK("http://evil.example/","点击查看")'
    assert cell.data_type == "s"
