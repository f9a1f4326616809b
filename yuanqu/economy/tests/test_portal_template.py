"""The monthly import's template lists the enterprises the user reports for; a row's faults are
all listed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from yuanqu.core.models import AuditEvent
from yuanqu.economy.models import EnterpriseMonthlyValue
from yuanqu.enterprises.models import ScaleRecord
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.testing import factories as f

TEMPLATE_URL = "/monthly-values/import/template/"
IMPORT_URL = "/monthly-values/import/"
YEAR = timezone.localdate().year


def listed(response):
    """(统一社会信用代码, 企业名称) of the template's rows."""
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [tuple(c.value for c in row[:2]) for row in sheet.iter_rows(min_row=2)]


@pytest.fixture
def reporters(owned_enterprise, other_enterprise, econ_dept, west):
    """规上 enterprises: ours in 东区, 招商局's in 西区, and a second of ours in 西区; plus one
    of ours that reports nothing and one that has left the zone."""
    west_ours = f.enterprise("西区新材料有限公司", dept=econ_dept, zone_obj=west)
    quiet = f.enterprise("东区咨询服务有限公司", dept=econ_dept, zone_obj=owned_enterprise.zone)
    gone = f.enterprise(
        "已迁出机械有限公司", dept=econ_dept, zone_obj=owned_enterprise.zone, status="moved_out"
    )
    for enterprise in (owned_enterprise, other_enterprise, west_ours, gone):
        ScaleRecord.objects.create(enterprise=enterprise, year=YEAR, kind="industry")
    return {"west_ours": west_ours, "quiet": quiet, "gone": gone}


@pytest.mark.django_db
def test_department_staff_get_their_departments_reporting_enterprises(
    client, alice, owned_enterprise, reporters
):
    client.force_login(alice)
    response = client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert listed(response) == [
        (owned_enterprise.uscc, owned_enterprise.name),
        (reporters["west_ours"].uscc, reporters["west_ours"].name),
    ]  # not 招商局's, not one outside any statistical population, not one moved out
    guide = load_workbook(io.BytesIO(response.content))["填写说明"]
    assert any("已列出您可填报的 2 条记录" in str(row[0].value) for row in guide.iter_rows())


@pytest.mark.django_db
def test_a_grid_worker_imports_nothing_and_with_a_zone_grant_gets_the_zones_enterprises(
    client, grid_worker, owned_enterprise, reporters
):
    client.force_login(grid_worker)
    assert client.get(TEMPLATE_URL).status_code == 403
    assert not AuditEvent.objects.filter(kind="template_download").exists()
    ObjectPermission.objects.create(
        name="网格员导入本片区月报",
        user=grid_worker,
        model="economy.enterprisemonthlyvalue",
        actions=["import"],
        constraint="own_zone",
    )
    response = client.get(TEMPLATE_URL)
    assert listed(response) == [(owned_enterprise.uscc, owned_enterprise.name)]  # 东区 only


@pytest.mark.django_db
def test_the_filled_template_imports_as_it_is(client, alice, owned_enterprise, reporters):
    client.force_login(alice)
    workbook = load_workbook(io.BytesIO(client.get(TEMPLATE_URL).content))
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    revenue = header.index("营业收入（1-N月累计）") + 1
    sheet.cell(row=2, column=header.index("营业收入（当月）") + 1, value=50)
    sheet.cell(row=2, column=revenue, value=50)
    buffer = io.BytesIO()
    workbook.save(buffer)
    period = f"{YEAR - 1}-01"
    response = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("一月.xlsx", buffer.getvalue()), "period": period}
    )
    result = response.context["result"]
    assert result.errors == [] and result.summary() == "新增 1 行、修改 0 行、未变 1 行"


# --- every fault of a row ---------------------------------------------------------------------


def xlsx(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_row_with_two_faults_reports_both(client, alice, owned_enterprise, other_enterprise):
    client.force_login(alice)
    unknown = f.uscc(888001)
    header = ["统一社会信用代码", "企业名称", "营业收入（当月）", "营业收入（1-1月累计）", "从业人员"]
    rows = [
        [unknown, "", "五十", 50, None],  # row 2: unknown code and a word for a number
        [owned_enterprise.uscc, "", "五十", 50, -3],  # row 3: a word and a negative headcount
        [other_enterprise.uscc, "", 5, 5, "很多"],  # row 4: another department's, and a word
        [owned_enterprise.uscc, "", 5, 5, "-1"],  # row 5: a repeat of row 3, and a negative
    ]
    response = client.post(
        IMPORT_URL, {"file": SimpleUploadedFile("一月.xlsx", xlsx(header, rows)), "period": f"{YEAR}-01"}
    )
    assert [str(e) for e in response.context["result"].errors] == [
        f"第2行 统一社会信用代码：企业库中没有统一社会信用代码为“{unknown}”的企业，请先登记企业",
        "第2行 营业收入（当月）：“五十”不是数字，应填写数字，如 500 或 1200.5",
        "第3行 营业收入（当月）：“五十”不是数字，应填写数字，如 500 或 1200.5",
        "第3行 从业人员：从业人员不能为负数，实际为“-3”",
        f"第4行 统一社会信用代码：企业“{other_enterprise.name}”不在您可导入的范围内（例如不属于本部门或本企业）",
        "第4行 从业人员：“很多”不是数字，应填写数字，如 500 或 1200.5",
        "第5行 统一社会信用代码：与第3行重复（同一文件中同一企业只能出现一次）",
        "第5行 从业人员：从业人员不能为负数，实际为“-1”",
    ]
    assert not EnterpriseMonthlyValue.objects.exists()
    assert not AuditEvent.objects.filter(kind="import").exists()


@pytest.mark.django_db
def test_a_repeated_row_of_a_record_import_lists_its_other_faults(client, alice, econ_dept):
    """The shared importer (the enterprise registry's here) does the same for a repeated key."""
    client.force_login(alice)
    code = f.uscc(888002)
    header = ["统一社会信用代码", "企业名称", "经营状态"]
    rows = [[code, "东区新设机械有限公司", "在营"], [code, "东区新设机械有限公司", "倒闭"]]
    response = client.post(
        reverse("enterprises:enterprise_import"),
        {"file": SimpleUploadedFile("企业.xlsx", xlsx(header, rows))},
    )
    errors = [str(e) for e in response.context["result"].errors]
    assert errors[0] == "第3行 统一社会信用代码：与第2行重复（同一文件中同一统一社会信用代码只能出现一次）"
    assert errors[1].startswith("第3行 经营状态：“倒闭”不是可选的值")
    assert len(errors) == 2
