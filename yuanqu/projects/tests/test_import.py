"""Excel imports of the project list and the monthly progress, with the enterprise import's
contract: a preview, errors by row, column and reason, nothing written unless the whole file
is good, audited; a month reported again is a new version; 1–N月累计 is always summed."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.projects.models import KeyProject, Milestone, MonthlyProgress, ProjectYearPlan
from yuanqu.projects.services import light, ytd

from .conftest import make_project, report

PROJECTS_URL = reverse("projects:keyproject_import")
PROGRESS_URL = reverse("projects:monthlyprogress_import")
PROJECT_HEADER = [
    "项目编号",
    "项目名称",
    "业主企业",
    "级别",
    "年度",
    "项目类型",
    "计划总投资（万元）",
    "年度计划投资（万元）",
    "已入库",
    "入库日期",
    "包保领导",
    "责任部门",
    "联络员",
    "计划开工日期",
    "计划竣工日期",
    "形象进度",
]
PROGRESS_HEADER = ["项目编号", "项目名称", "当月完成投资（万元）", "形象进度", "存在问题"]


def xlsx(header, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(tmp_path, header, rows, name="file.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(header, rows))
    return str(path)


def run(*args):
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> str:
    """The console output of an import that fails (exit status 1)."""
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import", *args, stdout=out)
    assert error.value.returncode == 1
    return out.getvalue()


def project_row(code="ZD2023-010", **values):
    row = dict(
        zip(
            PROJECT_HEADER,
            [
                code,
                "年产20万吨光伏组件项目",
                None,
                "市重点",
                2023,
                "产业",
                20000,
                6000,
                "是",
                "2023-03-01",
                "刘主任",
                "经济发展局",
                "王强",
                "2023-02-15",
                "2024-12-31",
                "主体结构施工",
            ],
            strict=True,
        )
    )
    row.update(values)
    return [row[h] for h in PROJECT_HEADER]


def test_project_list_web_preview_then_commit(client, alice, leader, owned_enterprise):
    client.force_login(alice)
    rows = [
        project_row(业主企业=owned_enterprise.uscc),
        project_row("ZD2023-011", 业主企业=owned_enterprise.name, 级别="区重点"),
    ]
    response = client.post(
        PROJECTS_URL, {"file": SimpleUploadedFile("项目清单.xlsx", xlsx(PROJECT_HEADER, rows))}
    )
    result = response.context["result"]
    assert [str(e) for e in result.errors] == [] and len(result.new) == 2
    assert not KeyProject.objects.exists()  # the preview writes nothing
    client.post(PROJECTS_URL, {"confirm": "1", "token": response.context["token"]})
    project = KeyProject.objects.get(code="ZD2023-010")
    assert project.enterprise == owned_enterprise and project.leader == leader
    assert project.department == alice.department and project.fai_registered_on == datetime.date(2023, 3, 1)
    assert list(project.plans.values_list("year", "level", "annual_plan_wan")) == [
        (2023, "city", Decimal("6000"))
    ]
    assert dict(project.milestones.values_list("kind", "planned_on")) == {
        "start": datetime.date(2023, 2, 15),
        "completed": datetime.date(2024, 12, 31),
    }
    event = AuditEvent.objects.get(kind="import")
    assert event.user_id == alice.pk and "新增 2 行" in event.detail
    assert ObjectChange.objects.filter(content_type__model="keyproject", action="create").count() == 2


def test_project_list_update_shows_plan_and_milestone_changes(tmp_path, econ_dept, leader):
    run("projects", write(tmp_path, PROJECT_HEADER, [project_row()]))
    out = run(
        "projects",
        write(
            tmp_path,
            PROJECT_HEADER,
            [project_row(**{"年度计划投资（万元）": 6500, "计划开工日期": "2023-03-01"})],
        ),
    )
    assert "修改 1 行" in out
    assert ProjectYearPlan.objects.get().annual_plan_wan == Decimal("6500")
    assert Milestone.objects.get(kind="start").planned_on == datetime.date(2023, 3, 1)
    again = run(
        "projects",
        write(
            tmp_path,
            PROJECT_HEADER,
            [project_row(**{"年度计划投资（万元）": 6500, "计划开工日期": "2023-03-01"})],
        ),
    )
    assert "未变 1 行" in again


def test_project_list_bad_rows_name_row_column_reason_and_write_nothing(tmp_path, econ_dept, leader):
    rows = [
        project_row(),
        project_row("ZD2023-012", 级别="国家级", 业主企业="不存在的公司"),
        project_row("ZD2023-013", 已入库="是", 入库日期=None, **{"计划总投资（万元）": "两亿"}),
        project_row("ZD2023-010"),
    ]
    message = refused("projects", write(tmp_path, PROJECT_HEADER, rows))
    assert "第3行 业主企业：企业库中没有统一社会信用代码或名称为“不存在的公司”的企业" in message
    assert "第3行 级别：“国家级”不是可选的值" in message
    assert "第4行 计划总投资（万元）：“两亿”不是数字" in message
    assert "第5行 项目编号：与第2行重复" in message
    assert not KeyProject.objects.exists()
    assert AuditEvent.objects.filter(kind="import_rejected").count() == 1


def test_project_import_of_another_department_is_refused(client, alice, charlie, leader):
    client.force_login(charlie)
    rows = [project_row(责任部门="经济发展局")]
    response = client.post(PROJECTS_URL, {"file": SimpleUploadedFile("p.xlsx", xlsx(PROJECT_HEADER, rows))})
    assert "超出了您的权限范围" in str(response.context["result"].errors[0])
    assert not KeyProject.objects.exists()


def test_grid_worker_may_not_import(client, grid_worker):
    client.force_login(grid_worker)
    assert client.get(PROJECTS_URL).status_code == 403
    assert client.get(PROGRESS_URL).status_code == 403


def test_template_download(client, alice):
    client.force_login(alice)
    response = client.get(reverse("projects:keyproject_import_template"))
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.content)).active[1]]
    assert "项目编号*" in header and "年度计划投资（万元）*" in header and "计划开工日期" in header
    response = client.get(reverse("projects:monthlyprogress_import_template"))
    header = [c.value for c in openpyxl.load_workbook(io.BytesIO(response.content)).active[1]]
    assert header[:3] == ["项目编号*", "项目名称", "当月完成投资（万元）*"]


# --- monthly progress ----------------------------------------------------------------------


def test_progress_import_records_month_and_ytd_is_summed(tmp_path, on_track):
    rows = [["ZD2023-001", "高纯多晶硅项目", 130, "设备安装", "用电容量不足"]]
    header = [*PROGRESS_HEADER, "1-11月累计完成投资（万元）"]
    out = run("project-progress", write(tmp_path, header, [[*rows[0], 99999]]), "--period", "2023-11")
    assert "新增 1 行" in out and "累计完成投资由系统按各月月报汇总" in out
    assert ytd(on_track, datetime.date(2023, 11, 1)) == Decimal("1130")  # 10 × 100 + 130, not 99999
    entry = MonthlyProgress.objects.get(project=on_track, period=datetime.date(2023, 11, 1))
    assert (entry.physical_progress, entry.problems, entry.version) == ("设备安装", "用电容量不足", 1)


def test_progress_correction_is_a_new_version_with_reason(client, alice, on_track):
    client.force_login(alice)
    rows = [["ZD2023-001", "", 160, "", ""]]
    upload = SimpleUploadedFile("十月更正.xlsx", xlsx(PROGRESS_HEADER, rows))
    response = client.post(PROGRESS_URL, {"file": upload, "period": "2023-10"})
    result = response.context["result"]
    assert [str(e) for e in result.errors] == []
    assert result.changed[0].changes[0] == ("当月完成投资（万元）", "100", "160")
    client.post(PROGRESS_URL, {"confirm": "1", "token": response.context["token"]})
    versions = MonthlyProgress.objects.filter(project=on_track, period=datetime.date(2023, 10, 1)).order_by(
        "version"
    )
    assert [(v.version, v.is_current, v.month_investment_wan) for v in versions] == [
        (1, False, Decimal("100.00")),
        (2, True, Decimal("160.00")),
    ]
    assert versions[1].reason == "Excel导入：十月更正.xlsx" and versions[1].reported_by == alice
    assert ytd(on_track, datetime.date(2023, 10, 1)) == Decimal("1060")
    assert AuditEvent.objects.filter(kind="import", user_id=alice.pk).exists()


def test_progress_bad_rows(tmp_path, on_track):
    rows = [
        ["ZD2099-999", "", 10, "", ""],
        ["ZD2023-001", "", "一百", "", ""],
        ["ZD2023-001", "", 10, "", ""],
    ]
    message = refused("project-progress", write(tmp_path, PROGRESS_HEADER, rows), "--period", "2023-11")
    assert "第2行 项目编号：重点项目库中没有编号为“ZD2099-999”的项目" in message
    assert "第3行 当月完成投资（万元）：“一百”不是数字" in message
    assert "第4行 项目编号：与第3行重复" in message
    assert not MonthlyProgress.objects.filter(period=datetime.date(2023, 11, 1)).exists()
    negative = [["ZD2023-001", "", -5, "", ""]]
    message = refused("project-progress", write(tmp_path, PROGRESS_HEADER, negative), "--period", "2023-11")
    assert "第2行 当月完成投资（万元）：不能为负数" in message


def test_progress_needs_a_period_and_dry_run_writes_nothing(tmp_path, on_track):
    path = write(tmp_path, PROGRESS_HEADER, [["ZD2023-001", "", 10, "", ""]])
    with pytest.raises(CommandError, match="须用 --period 指定月份"):
        run("project-progress", path)
    run("project-progress", path, "--period", "2023-11", "--dry-run")
    assert not MonthlyProgress.objects.filter(period=datetime.date(2023, 11, 1)).exists()


def test_progress_of_another_department_is_refused(client, charlie, on_track):
    client.force_login(charlie)
    upload = SimpleUploadedFile("p.xlsx", xlsx(PROGRESS_HEADER, [["ZD2023-001", "", 10, "", ""]]))
    response = client.post(PROGRESS_URL, {"file": upload, "period": "2023-11"})
    assert "不在您可导入的范围内" in str(response.context["result"].errors[0])


def test_imported_progress_moves_the_light(tmp_path, econ_dept):
    """The light follows the imported months: plan 1200, 序时 at October 83.3 %."""
    project = make_project("ZD2023-020", econ_dept, plan="1200")
    for month in range(1, 10):
        report(project, 2023, month, "100")
    run(
        "project-progress",
        write(tmp_path, PROGRESS_HEADER, [["ZD2023-020", "", 0, "", ""]]),
        "--period",
        "2023-10",
    )
    assert light(project, datetime.date(2023, 10, 1)).light == "yellow"  # 900/1200 = 75 %, 8.3 points behind
