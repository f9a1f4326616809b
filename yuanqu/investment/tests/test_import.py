"""Excel import of leads, with the enterprise import's contract: a preview, every error named
by row, column and reason, nothing written unless the whole file is good, own department only."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from yuanqu.investment.models import Lead

IMPORT_URL = reverse("investment:lead_import")
HEADER = [
    "项目名称",
    "投资方",
    "来源地区",
    "来源城市",
    "产业链",
    "协议投资额（万元）",
    "招商方式",
    "线索日期",
    "责任部门",
]


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, rows):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("招商项目.xlsx", xlsx(rows))})


def errors_of(response):
    return [str(e) for e in response.context["result"].errors]


def test_good_file_previews_then_creates_and_updates(client, alice, lead, chain):
    client.force_login(alice)
    rows = [
        [
            "苏州光伏组件项目",
            "苏州光伏有限公司",
            "长三角",
            "苏州",
            "新能源电池",
            12000,
            "展会",
            "2024-05-06",
            None,
        ],
        [
            "宁波锂电池项目",
            "宁波锂电集团",
            "长三角",
            "宁波",
            "新能源电池",
            36000,
            "以商招商",
            "2024-03-01",
            None,
        ],
    ]
    response = upload(client, rows)
    assert errors_of(response) == [] and response.context["token"]
    assert not Lead.objects.filter(name="苏州光伏组件项目").exists()  # the preview writes nothing
    client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})
    created = Lead.objects.get(name="苏州光伏组件项目")
    assert created.stage == "lead" and created.department == alice.department
    assert list(created.events.values_list("to_stage", "actor__username")) == [("lead", "alice")]
    lead.refresh_from_db()
    assert lead.investor == "宁波锂电集团" and lead.contracted_investment_wan == 36000


def test_every_error_names_row_column_and_reason(client, alice, chain):
    client.force_login(alice)
    rows = [
        ["正常项目", "某公司", "长三角", "", "", 100, "展会", "2024-05-06", None],  # row 2
        ["坏地区项目", "某公司", "东北", "", "不存在的链", "一亿", "展会", "2024-05-06", None],  # row 3
        ["缺投资方项目", None, "珠三角", "", "", 100, "展会", "2024-13-01", None],  # row 4
        ["外部门项目", "某公司", "珠三角", "", "", 100, "展会", "2024-05-06", "招商局"],  # row 5
    ]
    response = upload(client, rows)
    errors = errors_of(response)
    assert any(e.startswith("第3行 来源地区：“东北”不是可选的值") for e in errors)
    assert "第3行 产业链：未找到“不存在的链”，请填写系统中已有的产业链名称" in errors
    assert "第3行 协议投资额（万元）：“一亿”不是数字，应填写数字，如 500 或 1200.5" in errors
    assert "第4行 投资方：必填，不能为空" in errors
    assert "第4行 线索日期：“2024-13-01”不是有效的日期，格式应为 YYYY-MM-DD，如 2015-06-30" in errors
    assert "第5行 责任部门：未找到“招商局”，请填写系统中已有的责任部门名称" in errors
    assert not any(e.startswith("第2行") for e in errors)
    assert response.context["token"] is None and not Lead.objects.exists()


def test_staff_cannot_import_into_another_departments_lead(client, alice, other_lead):
    client.force_login(alice)
    rows = [[other_lead.name, "改名", "珠三角", "深圳", "", 100, "展会", "2024-03-01", None]]
    errors = errors_of(upload(client, rows))
    assert errors == [f"第2行 项目名称：招商项目“{other_lead.name}”不在您可导入的范围内（例如不属于本部门）"]


def test_leader_without_import_grant_gets_403(client, leader):
    client.force_login(leader)
    assert client.post(IMPORT_URL, {"file": SimpleUploadedFile("a.xlsx", b"x")}).status_code == 403


def test_command_line_import(tmp_path, econ_dept):
    path = tmp_path / "招商项目.xlsx"
    path.write_bytes(
        xlsx(
            [
                [
                    "成都新材料项目",
                    "成都新材料有限公司",
                    "成渝",
                    "成都",
                    "",
                    5000,
                    "中介",
                    "2024-02-01",
                    "经济发展局",
                ]
            ]
        )
    )
    out = io.StringIO()
    call_command("import", "investment-leads", str(path), "--dry-run", stdout=out)
    assert "新增 1 行" in out.getvalue() and not Lead.objects.exists()
    call_command("import", "investment-leads", str(path), stdout=out)
    lead = Lead.objects.get(name="成都新材料项目")
    assert lead.department == econ_dept and lead.events.get().actor is None


def test_exported_list_imports_back_unchanged(client, alice, lead):
    client.force_login(alice)
    exported = client.get(reverse("investment:lead_list"), {"export": "xlsx"}).content
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("导出.xlsx", exported)})
    result = response.context["result"]
    assert errors_of(response) == [] and [r.status for r in result.rows] == ["unchanged"]
