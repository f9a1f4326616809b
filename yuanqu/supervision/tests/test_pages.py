"""我的待办 (tasks and demands together), the audited exports of the board, the overdue list,
我的任务 and 我的待办, and the assessment pages."""

import datetime
import io
from zoneinfo import ZoneInfo

import openpyxl
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.demands import services as demand_services
from yuanqu.demands.models import DemandCategory
from yuanqu.supervision.models import AssessmentNotice, AssessmentPeriod, AssessmentScore

from .test_views import text

D = datetime.date


def sheet_rows(response):
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_my_work_merges_tasks_and_demands_by_deadline(client, alice, task, other_task, owned_enterprise):
    demand = demand_services.receive(
        alice,
        enterprise=owned_enterprise,
        category=DemandCategory.objects.get(name="用电"),
        channel="visit",
        title="新厂房临时用电增容",
        description="增容至800千伏安",
        received_at=datetime.datetime(2024, 7, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    client.force_login(alice)
    response = client.get(reverse("supervision:my_work"))
    rows = response.context["rows"]
    # The demand (due 2024-07-08) before the task (due 2024-09-30); 招商局's task is not alice's.
    assert [(r["kind"], r["number"]) for r in rows] == [
        ("企业诉求", demand.number),
        ("督办任务", task.number),
    ]
    assert [r["light"] for r in rows] == ["red", "red"]
    page = text(response)
    assert (
        "我的待办 导出Excel 待办（2） 已办待确认（0）" in page
        and "新厂房临时用电增容" in page
        and "红灯" in page
    )
    assert f'href="{demand.get_absolute_url()}"' in response.content.decode()
    # The export holds what alice may export: her department's tasks (staff hold no export
    # grant on demands).
    exported = sheet_rows(client.get(reverse("supervision:my_work"), {"export": "xlsx"}))
    assert exported[0][:3] == ["类型", "编号", "事项"]
    assert [r[1] for r in exported[1:]] == [task.number]
    assert AuditEvent.objects.filter(kind="export", user_id=alice.pk, detail="导出我的待办1行").exists()


def test_leader_exports_tasks_and_demands_he_holds(client, leader, alice, task, owned_enterprise):
    demand = demand_services.receive(
        leader,
        enterprise=owned_enterprise,
        category=DemandCategory.objects.get(name="用电"),
        channel="phone",
        title="道路破损影响货车通行",
        description="园区二路路面破损",
        received_at=datetime.datetime(2024, 10, 8, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    client.force_login(leader)
    exported = sheet_rows(client.get(reverse("supervision:my_work"), {"export": "xlsx"}))
    assert [r[1] for r in exported[1:]] == [task.number, demand.number]  # 09-30 before 10-15


def test_my_work_is_in_the_navigation_and_not_for_administrators(client, alice, sysadmin):
    client.force_login(alice)
    assert "我的待办" in text(client.get(reverse("home")))
    client.force_login(sysadmin)
    assert client.get(reverse("supervision:my_work")).status_code == 403


def test_board_overdue_and_mine_export_audited(client, leader, alice, task, other_task):
    client.force_login(leader)
    board = sheet_rows(client.get(reverse("supervision:board"), {"export": "xlsx"}))
    assert board[0] == ["牵头单位", "任务数", "绿灯", "黄灯", "红灯", "已完成"]
    assert ["经济发展局", 1, 0, 0, 1, 0] in board
    overdue = sheet_rows(client.get(reverse("supervision:overdue"), {"export": "xlsx"}))
    assert {r[0] for r in overdue[1:]} == {task.number, other_task.number}
    mine = sheet_rows(client.get(reverse("supervision:mine"), {"export": "xlsx"}))
    assert [r[1] for r in mine[1:]] == [task.number]  # the leader is in 经济发展局
    details = set(
        AuditEvent.objects.filter(kind="export", user_id=leader.pk).values_list("detail", flat=True)
    )
    assert details == {"导出督查看板2行", "导出逾期任务2行", "导出我的任务1行"}
    client.force_login(alice)  # staff export their own department's tasks only
    overdue = sheet_rows(client.get(reverse("supervision:overdue"), {"export": "xlsx"}))
    assert [r[0] for r in overdue[1:]] == [task.number]


def test_grid_workers_may_not_export_tasks(client, grid_worker):
    client.force_login(grid_worker)
    assert client.get(reverse("supervision:board"), {"export": "xlsx"}).status_code == 403


def test_rectification_list_exports(client, leader, item):
    client.force_login(leader)
    rows = sheet_rows(client.get(reverse("supervision:rectificationitem_list"), {"export": "xlsx"}))
    assert rows[1][0] == "1" and "涉企检查多头重复" in rows[1]
    assert AuditEvent.objects.filter(kind="export", user_id=leader.pk).exists()


def test_inspector_sets_rules_computes_prints_and_exports(
    client, inspector, leader, task, other_task, econ_dept
):
    client.force_login(inspector)
    data = {
        "name": "2024年第40周",
        "kind": "week",
        "start_on": "2024-09-30",
        "end_on": "2024-10-06",
        "weight_tasks": "40",
        "weight_reports": "30",
        "weight_demands_on_time": "20",
        "weight_demands_satisfied": "20",
        "weight_targets": "0",
        "overdue_deduction": "2",
        "notice_deduction": "5",
    }
    response = client.post(reverse("supervision:assessmentperiod_add"), data)
    assert "五项权重之和应为100，当前为110" in text(response)
    response = client.post(reverse("supervision:assessmentperiod_add"), {**data, "weight_reports": "20"})
    period = AssessmentPeriod.objects.get()
    client.post(
        reverse("supervision:assessment_notice_add", args=[period.pk]),
        {"department": econ_dept.pk, "issued_on": "2024-10-02", "text": "任务逾期未报"},
    )
    assert AssessmentNotice.objects.get().text == "任务逾期未报"
    client.post(reverse("supervision:assessment_compute", args=[period.pk]))
    # 经济发展局: its task due 09-30 still open → 0% (0), no report date in the week (20), no
    # demands (20 + 20); not yet overdue on 10-06 (10-01…10-06 are the National Day
    # holidays: no working day after the due date), 1 通报 × 5 → 55.
    # 招商局: no task due (40), its weekly date 10-01 not met → 0 of 20, no demands → 80.
    totals = dict(AssessmentScore.objects.values_list("department__name", "total"))
    assert totals == {"经济发展局": 55, "招商局": 80}
    page = text(client.get(period.get_absolute_url()))
    assert "1 招商局" in page and "2 经济发展局" in page and "55.00" in page
    printed = text(client.get(reverse("supervision:assessment_print", args=[period.pk])))
    assert "2024年第40周部门目标管理考核排名（周通报）" in printed and "业务模块" not in printed
    rows = sheet_rows(client.get(reverse("supervision:assessment_export", args=[period.pk])))
    assert rows[0][:2] == ["名次", "单位"] and rows[1][:2] == [1, "招商局"] and rows[2][-2] == 55
    assert AuditEvent.objects.filter(kind="export", user_id=inspector.pk).exists()
    # A leader reads and exports; staff read; neither computes.
    client.force_login(leader)
    assert client.get(period.get_absolute_url()).status_code == 200
    computed_at = AssessmentPeriod.objects.get(pk=period.pk).computed_at
    # The leader sees the period but may not compute it: 403 (get_for_action), nothing recomputed.
    assert client.post(reverse("supervision:assessment_compute", args=[period.pk])).status_code == 403
    assert AssessmentPeriod.objects.get(pk=period.pk).computed_at == computed_at
