"""The pages: the project book (filters, lights, export limited to the own department), the
project page, the monthly progress form (a correction is a new version), the scheduling
meeting and escalation."""

import io
import re

import openpyxl
from django.urls import reverse

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.projects.models import Escalation, LightRule, MonthlyProgress

LIST = reverse("projects:keyproject_list")
ADD_PROGRESS = reverse("projects:monthlyprogress_add")


def text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_book_with_lights_and_filters(client, alice, on_track, far_behind):
    client.force_login(alice)
    page = text(client.get(LIST, {"period": "2023-10"}))
    assert "高纯多晶硅项目" in page and "光伏组件项目" in page  # staff see every project
    assert "亮灯月份：2023年10月" in page and "绿灯" in page and "红灯" in page
    red = text(client.get(LIST, {"period": "2023-10", "light": "red"}))
    assert "光伏组件项目" in red and "高纯多晶硅项目" not in red
    own = text(client.get(LIST, {"period": "2023-10", "department": on_track.department_id}))
    assert "高纯多晶硅项目" in own and "光伏组件项目" not in own
    assert "重点项目" in page  # the navigation entry


def test_export_is_limited_to_the_own_department_and_leader_gets_all(
    client, alice, leader, on_track, far_behind
):
    client.force_login(alice)
    response = client.get(LIST, {"period": "2023-10", "export": "xlsx"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["ZD2023-001"]
    assert "亮灯" in rows[0] and "绿灯" in rows[1]
    client.force_login(leader)
    response = client.get(LIST, {"period": "2023-10", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["ZD2023-001", "ZD2023-002"]


def test_no_grant_no_book(client, grid_worker, on_track):
    client.force_login(grid_worker)
    assert client.get(LIST).status_code == 403


def test_project_page_shows_light_and_reasons(client, alice, far_behind):
    client.force_login(alice)
    page = text(client.get(far_behind.get_absolute_url(), {"period": "2023-10"}))
    assert "红灯" in page and "完成投资400万元，序时应完成1,000万元，落后序时进度50.0个百分点" in page
    assert "序时进度 83.3%" in page and "400" in page


def test_other_department_project_cannot_be_edited(client, alice, far_behind):
    client.force_login(alice)
    assert client.get(reverse("projects:keyproject_edit", args=[far_behind.pk])).status_code == 404
    assert client.get(far_behind.get_absolute_url()).status_code == 200  # but may be read


def test_progress_form_correction_is_a_new_version(client, alice, on_track, far_behind):
    client.force_login(alice)
    data = {
        "project": on_track.pk,
        "period": "2023-10",
        "month_investment_wan": "150",
        "physical_progress": "主体封顶",
    }
    page = text(client.post(ADD_PROGRESS, data))
    assert "该项目2023年10月已有月报，更正须填写更正原因" in page
    response = client.post(ADD_PROGRESS, {**data, "reason": "漏报设备款"})
    assert response.status_code == 302 and response.url == on_track.get_absolute_url()
    versions = MonthlyProgress.objects.filter(project=on_track, period="2023-10-01").order_by("version")
    assert [(v.version, v.is_current) for v in versions] == [(1, False), (2, True)]
    assert ObjectChange.objects.filter(user_id=alice.pk, related_id=on_track.pk).exists()
    page = text(client.get(on_track.get_absolute_url(), {"period": "2023-10"}))
    assert "1,050" in page and "第2版（更正：漏报设备款）" in page
    # Another department's project is not offered.
    page = text(client.post(ADD_PROGRESS, {**data, "project": far_behind.pk, "reason": "x"}))
    assert "选择一个有效的选项" in page
    assert MonthlyProgress.objects.filter(project=far_behind, period="2023-10-01").count() == 1


def test_scheduling_meeting_escalation_and_decision(client, charlie, leader, on_track, far_behind):
    client.force_login(charlie)  # 招商局 owns the red project
    page = text(client.get(reverse("projects:scheduling"), {"period": "2023-10"}))
    assert "红灯项目（1 个）" in page and "光伏组件项目" in page and "高纯多晶硅项目" not in page
    url = reverse("projects:keyproject_escalate", args=[far_behind.pk]) + "?period=2023-10"
    client.post(url, {"reason": "资金未到位"})
    escalation = Escalation.objects.get()
    assert escalation.raised_by == charlie and escalation.period.month == 10
    green = reverse("projects:keyproject_escalate", args=[on_track.pk]) + "?period=2023-10"
    assert client.post(green, {"reason": "x"}).status_code == 403  # not 招商局's project
    client.force_login(leader)
    client.post(
        reverse("projects:escalation_decide", args=[escalation.pk]),
        {"decision": "财政局协调贷款贴息", "decided_on": "2023-11-06"},
    )
    escalation.refresh_from_db()
    assert escalation.decision == "财政局协调贷款贴息"
    page = text(client.get(reverse("projects:scheduling"), {"period": "2023-10"}))
    assert "待决定 0 个" in page and "财政局协调贷款贴息" in page


def test_scheduling_meeting_exports_its_tables_audited(client, leader, alice, on_track, far_behind):
    client.force_login(leader)
    response = client.get(reverse("projects:scheduling"), {"period": "2023-10", "export": "xlsx"})
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("类别", "项目编号", "项目名称")
    assert [(r[0], r[2]) for r in rows[1:]] == [("红灯", "光伏组件项目")]
    assert "落后序时进度" in rows[1][5]
    event = AuditEvent.objects.get(kind="export")
    assert event.user_name == "leader" and event.data["rows"] == 1
    client.force_login(alice)  # 经济发展局 exports its own projects only: the red one is 招商局's
    response = client.get(reverse("projects:scheduling"), {"period": "2023-10", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert response.status_code == 200 and len(rows) == 1


def test_staff_cannot_record_a_decision(client, charlie, far_behind):
    from yuanqu.projects.services import escalate

    escalation = escalate(
        far_behind, far_behind.progress.first().period.replace(month=10), charlie, "资金未到位"
    )
    client.force_login(charlie)
    url = reverse("projects:escalation_decide", args=[escalation.pk])
    # get_for_action: charlie sees the escalation (he raised it) but may not decide it: 403.
    assert client.post(url, {"decision": "x", "decided_on": "2023-11-06"}).status_code == 403
    escalation.refresh_from_db()
    assert escalation.decided_on is None and escalation.decision == ""


def test_a_misconfigured_rule_set_is_shown_not_a_silent_green(client, leader, on_track):
    LightRule.objects.filter(kind="progress", light="green").delete()
    client.force_login(leader)
    page = text(client.get(LIST, {"period": "2023-10"}))
    assert "亮灯规则配置错误：大于等于-5.00的区间未覆盖" in page


def test_staff_add_a_project_of_their_department_with_plan_and_blocker(client, alice, econ_dept, invest_dept):
    from yuanqu.projects.models import Blocker, KeyProject

    client.force_login(alice)
    assert client.get(reverse("projects:keyproject_add")).status_code == 200
    data = {"code": "ZD2023-009", "name": "储能电站项目", "type": "industry", "total_investment_wan": "80000"}
    page = text(client.post(reverse("projects:keyproject_add"), {**data, "department": invest_dept.pk}))
    assert "超出了您的权限范围" in page and not KeyProject.objects.exists()
    page = text(
        client.post(
            reverse("projects:keyproject_add"), {**data, "fai_registered": "on", "department": econ_dept.pk}
        )
    )
    assert "已入库的项目须填写入库日期" in page
    response = client.post(reverse("projects:keyproject_add"), {**data, "department": econ_dept.pk})
    project = KeyProject.objects.get()
    assert response.url == project.get_absolute_url()
    client.post(
        reverse("projects:projectyearplan_add"),
        {"project": project.pk, "year": "2023", "level": "city", "annual_plan_wan": "20000"},
    )
    client.post(
        reverse("projects:blocker_add"),
        {
            "project": project.pk,
            "kind": "power",
            "description": "施工用电未接入",
            "owner_department": econ_dept.pk,
        },
    )
    assert Blocker.objects.get().project == project
    page = text(client.get(project.get_absolute_url(), {"period": "2023-10"}))
    assert "市重点" in page and "20000" in page and "施工用电未接入" in page
