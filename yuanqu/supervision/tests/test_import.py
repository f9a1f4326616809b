"""Excel import of the annual task list: preview, confirm, every error by row and column,
departments by name, “6月底前完成” due dates, the command line, and the template."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.supervision.models import Task, WorkPoint

IMPORT_URL = reverse("supervision:task_import")
HEADER = [
    "序号",
    "工作要点",
    "任务内容",
    "量化目标",
    "牵头单位",
    "配合单位",
    "责任领导",
    "完成时限",
    "报送周期",
    "开始日期",
]
GOOD = [
    [
        "2024-01",
        "优化营商环境",
        "推行“综合查一次”",
        "检查频次下降30%",
        "经济发展局",
        "招商局",
        "刘主任",
        "6月底前完成",
        "月",
        "2024-01-02",
    ],
    [
        "2024-02",
        "招大引强",
        "新签约亿元以上项目20个",
        "20个",
        "招商局",
        None,
        None,
        datetime.date(2024, 12, 31),
        "季",
        None,
    ],
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
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("工作要点.xlsx", xlsx(rows))})


@pytest.fixture
def departments(econ_dept, invest_dept, leader):
    return econ_dept, invest_dept


def test_preview_then_confirm_creates_the_tasks(client, inspector, departments):
    econ_dept, invest_dept = departments
    client.force_login(inspector)
    response = upload(client, GOOD)
    result = response.context["result"]
    assert [str(e) for e in result.errors] == [] and result.counts["new"] == 2
    assert not Task.objects.exists()  # the preview writes nothing
    client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})
    first, second = Task.objects.order_by("number")
    assert (first.department, first.due_on, first.due_text, first.report_cycle) == (
        econ_dept,
        datetime.date(2024, 6, 30),
        "6月底前完成",
        "monthly",
    )
    assert list(first.supporting_departments.all()) == [invest_dept] and first.leader.name == "刘主任"
    assert first.work_point.title == "优化营商环境" and first.work_point.year == 2024
    assert (second.start_on, second.due_on, second.report_cycle) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
        "quarterly",
    )
    assert AuditEvent.objects.filter(kind="import", user_id=inspector.pk).exists()
    # The same file again changes nothing.
    assert upload(client, GOOD).context["result"].counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert WorkPoint.objects.count() == 2


def test_errors_name_row_column_and_reason_and_nothing_is_written(client, inspector, departments):
    client.force_login(inspector)
    rows = [
        GOOD[0],
        ["2024-03", "", "建设标准厂房", "", "不存在局", "", "", "6月底前完成", "月", ""],
        ["2024-04", "", "实施污水管网改造", "", "经济发展局", "宣传部", "", "年中", "半月", ""],
    ]
    response = upload(client, rows)
    errors = [str(e) for e in response.context["result"].errors]
    assert "第3行 牵头单位：未找到“不存在局”，请填写系统中已有的牵头单位名称" in errors
    # An unreadable cell is reported once, not again as an empty required field.
    assert [e for e in errors if e.startswith("第3行 牵头单位")] == [
        "第3行 牵头单位：未找到“不存在局”，请填写系统中已有的牵头单位名称"
    ]
    assert "第4行 配合单位：未找到“宣传部”，请填写系统中已有的配合单位名称" in errors
    assert any(e.startswith("第4行 完成时限：无法识别时限“年中”") for e in errors)
    assert any(e.startswith("第4行 报送周期：“半月”不是可选的值") for e in errors)
    assert response.context["token"] is None and not Task.objects.exists()


def test_staff_without_import_grant_gets_403(client, alice):
    client.force_login(alice)
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(reverse("supervision:task_import_template")).status_code == 403


def test_template_download(client, inspector, departments):
    client.force_login(inspector)
    response = client.get(reverse("supervision:task_import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [str(c.value).strip("*") for c in sheet[1] if c.value]
    assert header[:3] == ["序号", "工作要点", "任务内容"] and "完成时限" in header


def test_command_line_import(tmp_path, departments):
    path = tmp_path / "工作要点.xlsx"
    path.write_bytes(xlsx(GOOD))
    out = io.StringIO()
    call_command("import", "tasks", str(path), "--dry-run", stdout=out)
    assert "新增 2 行" in out.getvalue() and not Task.objects.exists()
    call_command("import", "tasks", str(path), stdout=out)
    assert Task.objects.count() == 2
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(xlsx([["2024-09", "", "某任务", "", "不存在局", "", "", "6月底前完成", "月", ""]]))
    with pytest.raises(CommandError) as exc:
        call_command("import", "tasks", str(bad), stdout=out, stderr=out)
    assert exc.value.returncode == 1 and "第2行 牵头单位" in out.getvalue()
