"""Excel import of enterprise monthly reports (企业月报): web preview/confirm, CLI, errors."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from yuanqu.core.models import AuditEvent
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator, PeriodLock
from yuanqu.economy.services import record_enterprise_value
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.testing import factories as f

IMPORT_URL = "/monthly-values/import/"
OCTOBER = datetime.date(2023, 10, 1)
SEPTEMBER = datetime.date(2023, 9, 1)
OUT_MONTH, OUT_YTD = "规上工业总产值（当月）", "规上工业总产值（1-10月累计）"


def xlsx(header, rows, title="2023年10月") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content, name="十月月报.xlsx", period="2023-10"):
    file = SimpleUploadedFile(name, content)
    return client.post(IMPORT_URL, {"file": file, "period": period})


def confirm(client, response):
    return client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})


def errors_of(response):
    return [str(e) for e in response.context["result"].errors]


def current(enterprise, code, period=OCTOBER):
    return EnterpriseMonthlyValue.objects.get(
        enterprise=enterprise, indicator__code=code, period=period, is_current=True
    )


def indicator(code):
    return Indicator.objects.get(code=code)


@pytest.fixture
def september(owned_enterprise, other_enterprise):
    """1–9月累计 of 规上工业总产值 already reported for both enterprises."""
    for enterprise in (owned_enterprise, other_enterprise):
        record_enterprise_value(
            enterprise,
            indicator("industrial_output"),
            SEPTEMBER,
            month_value=Decimal(90),
            ytd_value=Decimal(900),
        )


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def fails(*args):
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command(*args, stdout=out)
    assert caught.value.returncode == 1
    return out.getvalue() + str(caught.value)


# --- the web page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_list_page_shows_the_import_button_to_users_with_the_grant(client, alice, grid_worker):
    client.force_login(alice)
    page = client.get(reverse("economy:enterprisemonthlyvalue_list")).content.decode()
    assert "Excel导入" in page and f'href="{IMPORT_URL}"' in page
    client.force_login(grid_worker)  # sees its zone's reports, imports none (an enterprise user imports its own)
    page = client.get(reverse("economy:enterprisemonthlyvalue_list")).content.decode()
    assert "Excel导入" not in page
    assert client.get(IMPORT_URL).status_code == 403


@pytest.mark.django_db
def test_template_lists_enterprise_indicators_as_month_and_ytd_pairs(client, alice):
    client.force_login(alice)
    page = client.get(IMPORT_URL).content.decode()
    assert reverse("economy:enterprisemonthlyvalue_import_template") in page
    assert 'name="period"' in page
    response = client.get(reverse("economy:enterprisemonthlyvalue_import_template"))
    assert response.status_code == 200
    header = [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]]
    assert header[:2] == ["统一社会信用代码*", "企业名称"]
    assert header[2:4] == ["规上工业总产值（当月）", "规上工业总产值（1-N月累计）"]
    assert "用电量（当月）" in header and "从业人员（1-N月累计）" in header
    assert not any(h.startswith("地区生产总值") for h in header)  # a zone-level indicator
    assert AuditEvent.objects.filter(kind="template_download").exists()


@pytest.mark.django_db
def test_filled_in_template_imports(client, alice, owned_enterprise, september):
    client.force_login(alice)
    template = client.get(reverse("economy:enterprisemonthlyvalue_import_template")).content
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    sheet.append([owned_enterprise.uscc, owned_enterprise.name, None, 1000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = upload(client, buffer.getvalue())
    assert errors_of(preview) == []
    assert confirm(client, preview).status_code == 302
    value = current(owned_enterprise, "industrial_output")
    assert (value.month_value, value.ytd_value) == (100, 1000)


@pytest.mark.django_db
def test_good_file_previews_imports_and_a_second_file_corrects(client, alice, owned_enterprise, september):
    client.force_login(alice)
    header = ["统一社会信用代码", "企业名称", OUT_MONTH, OUT_YTD, "利润总额（当月）", "利润总额（本年累计）"]
    first = xlsx(header, [[owned_enterprise.uscc, owned_enterprise.name, 100, 1000, -5, -20]])
    preview = upload(client, first)
    result = preview.context["result"]
    assert result.ok and result.counts == {"new": 1, "changed": 0, "unchanged": 0}
    assert not EnterpriseMonthlyValue.objects.filter(period=OCTOBER).exists()  # only a preview
    page = preview.content.decode()
    assert "确认导入" in page and 'value="2023-10"' in page  # the month stays shown

    assert confirm(client, preview).status_code == 302
    output = current(owned_enterprise, "industrial_output")
    assert (output.month_value, output.ytd_value, output.version) == (100, 1000, 1)
    assert output.reported_by == alice
    profit = current(owned_enterprise, "profit")
    assert (profit.month_value, profit.ytd_value) == (-5, -20)  # a loss may be negative
    event = AuditEvent.objects.get(kind="import")
    assert (
        event.detail == "导入企业月报数据（2023年10月）文件“十月月报.xlsx”：新增 1 行、修改 0 行、未变 0 行"
    )

    second = xlsx(header, [[owned_enterprise.uscc, owned_enterprise.name, 110, 1010, -5, -20]])
    preview = upload(client, second, name="十月更正.xlsx")
    result = preview.context["result"]
    assert result.counts == {"new": 0, "changed": 1, "unchanged": 0}
    assert result.changed[0].changes == [
        ("规上工业总产值（当月）", "100", "110"),
        ("规上工业总产值（累计）", "1000", "1010"),
    ]
    assert "规上工业总产值（累计）：1000 → 1010" in preview.content.decode()
    confirm(client, preview)
    versions = EnterpriseMonthlyValue.objects.filter(
        enterprise=owned_enterprise, indicator__code="industrial_output", period=OCTOBER
    ).order_by("version")
    assert [(v.version, v.is_current, v.ytd_value) for v in versions] == [(1, False, 1000), (2, True, 1010)]
    assert versions[1].reason == "Excel导入：十月更正.xlsx"
    assert current(owned_enterprise, "profit").version == 1  # unchanged: no new version

    again = upload(client, second, name="再导一次.xlsx")
    assert again.context["result"].counts == {"new": 0, "changed": 0, "unchanged": 1}
    assert again.context["token"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ytd_header",
    ["规上工业总产值（1-10月累计）", "规上工业总产值(1—10月)", "规上工业总产值本年累计", "规上工业总产值"],
)
def test_ytd_only_derives_the_month_value(client, alice, owned_enterprise, september, ytd_header):
    client.force_login(alice)
    preview = upload(client, xlsx(["统一社会信用代码", ytd_header], [[owned_enterprise.uscc, 1000]]))
    assert errors_of(preview) == []
    confirm(client, preview)
    value = current(owned_enterprise, "industrial_output")
    assert (value.month_value, value.ytd_value) == (100, 1000)


@pytest.mark.django_db
def test_month_only_derives_the_ytd_value(tmp_path, owned_enterprise):
    electricity = indicator("electricity")
    for month in range(1, 10):
        record_enterprise_value(
            owned_enterprise, electricity, datetime.date(2023, month, 1), month_value=Decimal(10)
        )
    path = tmp_path / "用电.xlsx"
    path.write_bytes(xlsx(["统一社会信用代码", "用电量（当月）"], [[owned_enterprise.uscc, 50]]))
    assert "新增 1 行" in run("import", "monthly", str(path), "--period", "2023-10")
    value = current(owned_enterprise, "electricity")
    assert (value.month_value, value.ytd_value) == (50, 140)


@pytest.fixture
def nothing_written(db):
    yield
    assert not EnterpriseMonthlyValue.objects.filter(period=OCTOBER).exists()
    assert not AuditEvent.objects.filter(kind="import").exists()


@pytest.mark.django_db
def test_every_error_names_row_column_and_reason(client, alice, owned_enterprise, september, nothing_written):
    client.force_login(alice)
    other = f.enterprise("东区第二机械有限公司", dept=owned_enterprise.department)
    record_enterprise_value(
        other, indicator("industrial_output"), SEPTEMBER, month_value=Decimal(50), ytd_value=Decimal(500)
    )
    third = f.enterprise("东区第三机械有限公司", dept=owned_enterprise.department)
    unknown = f.uscc(777001)
    header = ["统一社会信用代码", "企业名称", OUT_MONTH, OUT_YTD, "全口径税收（累计）", "从业人员"]
    rows = [
        [owned_enterprise.uscc, "", 100, 1000, None, 80],  # row 2: good
        [unknown, "不存在的企业", 1, 1, None, None],  # row 3
        [other.uscc, "", "一百", 600, "-5", 10],  # row 4: not a number, negative tax
        [third.uscc, "", 40, 500, None, -3],  # row 5: 当月 disagrees? no September: -3 people
        [other.uscc, "", 1, 2, None, None],  # row 6: duplicate of row 4
        [None, "没有代码", 1, 1, None, None],  # row 7
    ]
    record_enterprise_value(
        third, indicator("industrial_output"), SEPTEMBER, month_value=Decimal(40), ytd_value=Decimal(400)
    )
    response = upload(client, xlsx(header, rows))
    assert errors_of(response) == [
        f"第3行 统一社会信用代码：企业库中没有统一社会信用代码为“{unknown}”的企业，请先登记企业",
        "第4行 规上工业总产值（当月）：“一百”不是数字，应填写数字，如 500 或 1200.5",
        "第4行 全口径税收（累计）：全口径税收不能为负数，实际为“-5”",
        "第5行 从业人员：从业人员不能为负数，实际为“-3”",
        "第5行 规上工业总产值（当月）：当月值40与累计值减上月累计值（100）不一致",
        "第6行 统一社会信用代码：与第4行重复（同一文件中同一企业只能出现一次）",
        "第7行 统一社会信用代码：必填，不能为空",
    ]
    page = response.content.decode()
    assert "没有写入任何数据" in page and response.context["token"] is None
    event = AuditEvent.objects.get(kind="import_rejected")
    assert "等 7 处错误" in event.detail


@pytest.mark.django_db
def test_a_value_that_cannot_be_completed_names_its_column(client, alice, owned_enterprise, nothing_written):
    client.force_login(alice)  # no 1–9月累计 reported, so the 10月 value cannot be derived
    response = upload(client, xlsx(["统一社会信用代码", OUT_YTD], [[owned_enterprise.uscc, 1000]]))
    assert errors_of(response) == [
        "第2行 规上工业总产值（1-10月累计）：缺少1–9月累计值，无法推算10月当月值，请填写当月值"
    ]


@pytest.mark.django_db
def test_locked_month_is_refused(client, alice, owned_enterprise, september, nothing_written):
    PeriodLock.objects.create(period=OCTOBER)
    client.force_login(alice)
    response = upload(client, xlsx(["统一社会信用代码", OUT_YTD], [[owned_enterprise.uscc, 1000]]))
    assert errors_of(response) == ["2023年10月数据已发布并锁定，不能再新增或更正"]
    assert AuditEvent.objects.filter(kind="import_rejected").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header, message",
    [
        (["企业名称", OUT_YTD], "表头缺少必填列：统一社会信用代码"),
        (["统一社会信用代码", "企业名称"], "表头中没有可识别的指标列"),
        (["统一社会信用代码", OUT_YTD, "规上工业总产值（本年累计）"], "列出现了两次"),
        (["统一社会信用代码", "规上工业总产值（1-9月累计）"], "是1–9月的累计，与导入月份2023年10月不符"),
    ],
)
def test_bad_headers_are_refused(client, alice, owned_enterprise, header, message, nothing_written):
    client.force_login(alice)
    response = upload(client, xlsx(header, [[owned_enterprise.uscc, 1, 1][: len(header)]]))
    errors = errors_of(response)
    assert len(errors) == 1 and message in errors[0]


@pytest.mark.django_db
def test_not_an_xlsx_file_is_refused_by_the_shared_checks(client, alice, nothing_written):
    client.force_login(alice)
    response = upload(client, b"not a workbook", name="月报.xls")
    assert "不是 Excel 工作簿" in errors_of(response)[0]


@pytest.mark.django_db
def test_month_is_required_on_the_form(client, alice, owned_enterprise, nothing_written):
    client.force_login(alice)
    response = upload(client, xlsx(["统一社会信用代码", OUT_YTD], [[owned_enterprise.uscc, 1]]), period="")
    assert response.context["form"].errors["period"]
    response = upload(
        client, xlsx(["统一社会信用代码", OUT_YTD], [[owned_enterprise.uscc, 1]]), period="十月"
    )
    assert "格式不对" in response.context["form"].errors["period"][0]


# --- permissions ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_of_another_department_cannot_import_for_our_enterprise(
    client, charlie, owned_enterprise, other_enterprise, september
):
    client.force_login(charlie)
    rows = [[other_enterprise.uscc, 100, 1000], [owned_enterprise.uscc, 100, 1000]]
    response = upload(client, xlsx(["统一社会信用代码", OUT_MONTH, OUT_YTD], rows))
    assert errors_of(response) == [
        f"第3行 统一社会信用代码：企业“{owned_enterprise.name}”不在您可导入的范围内（例如不属于本部门或本企业）"
    ]
    response = upload(client, xlsx(["统一社会信用代码", OUT_MONTH, OUT_YTD], rows[:1]))
    confirm(client, response)
    assert current(other_enterprise, "industrial_output").ytd_value == 1000
    assert not EnterpriseMonthlyValue.objects.filter(enterprise=owned_enterprise, period=OCTOBER).exists()


@pytest.mark.django_db
def test_enterprise_user_with_an_import_grant_imports_only_its_own(
    client, enterprise_user, owned_enterprise, other_enterprise, september
):
    ObjectPermission.objects.create(
        name="企业用户导入本企业月报",
        user=enterprise_user,
        model="economy.enterprisemonthlyvalue",
        actions=["import"],
        constraint="own_enterprise",
    )
    client.force_login(enterprise_user)
    rows = [[owned_enterprise.uscc, 100, 1000], [other_enterprise.uscc, 100, 1000]]
    response = upload(client, xlsx(["统一社会信用代码", OUT_MONTH, OUT_YTD], rows))
    assert errors_of(response) == [
        f"第3行 统一社会信用代码：企业“{other_enterprise.name}”不在您可导入的范围内（例如不属于本部门或本企业）"
    ]
    response = upload(client, xlsx(["统一社会信用代码", OUT_MONTH, OUT_YTD], rows[:1]))
    confirm(client, response)
    assert current(owned_enterprise, "industrial_output").reported_by == enterprise_user


# --- the command line -----------------------------------------------------------------------


@pytest.mark.django_db
def test_cli_dry_run_writes_nothing_then_import_writes(tmp_path, owned_enterprise, september):
    path = tmp_path / "月报.xlsx"
    path.write_bytes(xlsx(["统一社会信用代码", OUT_MONTH, OUT_YTD], [[owned_enterprise.uscc, 100, 1000]]))
    out = run("import", "monthly", str(path), "--period", "2023-10", "--dry-run")
    assert "新增 1 行" in out and "试运行，未写入任何数据" in out
    assert not EnterpriseMonthlyValue.objects.filter(period=OCTOBER).exists()
    out = run("import", "monthly", str(path), "--period", "2023-10")
    assert "导入完成" in out
    assert current(owned_enterprise, "industrial_output").ytd_value == 1000
    assert AuditEvent.objects.get(kind="import").user_name == "命令行"


@pytest.mark.django_db
def test_cli_invalid_file_exits_1_and_writes_nothing(tmp_path, owned_enterprise, september, nothing_written):
    path = tmp_path / "坏.xlsx"
    rows = [[owned_enterprise.uscc, 100, 1000], [f.uscc(777002), 1, 1]]
    path.write_bytes(xlsx(["统一社会信用代码", OUT_MONTH, OUT_YTD], rows))
    for extra in ([], ["--dry-run"]):
        out = fails("import", "monthly", str(path), "--period", "2023-10", *extra)
        assert "第3行 统一社会信用代码：企业库中没有" in out
        assert "没有写入任何数据" in out


@pytest.mark.django_db
def test_cli_period_is_required_and_checked(tmp_path, owned_enterprise):
    path = tmp_path / "月报.xlsx"
    path.write_bytes(xlsx(["统一社会信用代码", OUT_YTD], [[owned_enterprise.uscc, 1000]]))
    assert "须用 --period 指定月份" in fails("import", "monthly", str(path))
    assert "格式不对" in fails("import", "monthly", str(path), "--period", "十月")
    assert "不能使用 --period" in fails("import", "enterprises", str(path), "--period", "2023-10")
