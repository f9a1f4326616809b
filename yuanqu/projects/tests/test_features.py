"""The book's later pages: weekly watch and weekly reports, the investment curve and the
milestone timeline, the statistics page against a hand-computed fixture, the light-rule
pages, and blockers turned into demands or supervision tasks."""

import datetime
import io
import re
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.demands.models import Demand
from yuanqu.projects import services
from yuanqu.projects.models import Blocker, KeyProject, LightRule, Milestone, ProjectYearPlan, WeeklyReport
from yuanqu.supervision.models import Task, WorkPoint
from yuanqu.utilities.concurrency import VERSION_FIELD, set_version

from .conftest import make_project, report
from .test_views import text

OCT = datetime.date(2023, 10, 1)
WEEKLY = reverse("projects:weekly")
ADD_WEEKLY = reverse("projects:weeklyreport_add")
STATISTICS = reverse("projects:statistics")
RULES = reverse("projects:lightrule_list")


# --- weekly watch --------------------------------------------------------------------------


def watch(client, project, on=True):
    return client.post(reverse("projects:keyproject_watch", args=[project.pk]), {"watch": "1" if on else "0"})


def test_leader_puts_a_project_on_weekly_watch(client, leader, alice, on_track):
    client.force_login(alice)
    assert watch(client, on_track).status_code == 403  # staff may not set the watch
    client.force_login(leader)
    assert watch(client, on_track).status_code == 302
    on_track.refresh_from_db()
    assert on_track.weekly_watch and on_track.watch_set_by == leader
    assert on_track.watch_set_on == timezone.localdate()
    change = ObjectChange.objects.filter(object_id=str(on_track.pk), action="update").latest("time")
    assert change.user_id == leader.pk and change.postchange_data["weekly_watch"] is True
    assert "移出周调度" in text(client.get(on_track.get_absolute_url()))


def test_weekly_page_shows_missing_reports_then_the_report(client, leader, alice, on_track, far_behind):
    services.set_watch(on_track, leader, True)
    services.set_watch(far_behind, leader, True)
    client.force_login(alice)
    page = text(client.get(WEEKLY))
    assert "周调度项目 2 个，本周未报 2 个" in page and page.count("本周未报") == 3
    data = {"project": on_track.pk, "week": timezone.localdate().isoformat(), "progress_text": "主体结构封顶"}
    assert client.post(ADD_WEEKLY, data).status_code == 302
    page = text(client.get(WEEKLY))
    assert "本周未报 1 个" in page and "主体结构封顶" in page
    again = text(client.post(ADD_WEEKLY, {**data, "progress_text": "设备进场"}))
    assert "所在周已有周报，更正须填写更正原因" in again
    client.post(ADD_WEEKLY, {**data, "progress_text": "设备进场", "reason": "补报设备进场"})
    reports = WeeklyReport.objects.filter(project=on_track).order_by("version")
    assert [(r.version, r.is_current, r.reported_by) for r in reports] == [
        (1, False, alice),
        (2, True, alice),
    ]
    assert reports[0].week == services.week_of(timezone.localdate())
    assert "设备进场" in text(client.get(WEEKLY))
    project_page = text(client.get(on_track.get_absolute_url()))
    assert "设备进场" in project_page and "第2版（更正：补报设备进场）" in project_page
    exported = client.get(WEEKLY, {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert [(r[0], r[4]) for r in rows[1:]] == [
        ("ZD2023-001", "设备进场")
    ]  # 招商局's project is not alice's to export
    assert AuditEvent.objects.filter(kind="export", user_id=alice.pk).exists()


def test_weekly_report_only_for_own_watched_projects(client, leader, charlie, alice, on_track):
    data = {"project": on_track.pk, "week": "2023-10-11", "progress_text": "进展"}
    client.force_login(alice)
    page = text(client.post(ADD_WEEKLY, data))  # not on watch: not a choice
    assert "选择一个有效的选项" in page
    services.set_watch(on_track, leader, True)
    client.force_login(charlie)  # 招商局 may not report for 经济发展局's project
    assert "选择一个有效的选项" in text(client.post(ADD_WEEKLY, data))
    assert not WeeklyReport.objects.exists()


# --- the project page: curve and timeline --------------------------------------------------


def test_investment_curve_against_the_even_plan(on_track):
    curve = services.investment_curve(on_track, OCT)
    assert curve["planned"][0] == 100.0 and curve["planned"][9] == 1000.0 and curve["planned"][11] == 1200.0
    assert curve["done"][:3] == [100.0, 200.0, 300.0] and curve["done"][9] == 1000.0
    assert curve["done"][10:] == [None, None]  # nothing after the month asked for


def test_project_page_has_chart_and_timeline(client, alice, on_track):
    today = timezone.localdate()
    Milestone.objects.create(
        project=on_track,
        kind="land",
        planned_on=today - datetime.timedelta(days=40),
        actual_on=today - datetime.timedelta(days=30),
    )
    Milestone.objects.create(project=on_track, kind="start", planned_on=today - datetime.timedelta(days=12))
    Milestone.objects.create(
        project=on_track, kind="completed", planned_on=today + datetime.timedelta(days=300)
    )
    client.force_login(alice)
    response = client.get(on_track.get_absolute_url(), {"period": "2023-10"})
    html = response.content.decode()
    assert (
        'id="curve-data"' in html
        and "vendor/echarts/echarts.min.js" in html
        and "js/project_curve.js" in html
    )
    page = text(response)
    assert "2023年投资完成曲线（万元）" in page
    # October 2023 is a past month: the timeline stands as it was on 31 October 2023
    assert "计至2023-10-31" in page and "天未完成" not in page and "滞后" not in page
    assert page.count("未到计划日期") == 3
    # the latest month (the page's default) counts to today
    page = text(client.get(on_track.get_absolute_url()))
    assert f"计至{today:%Y-%m-%d}" in page
    assert "拿地 计划" in page and "滞后10天完成" in page
    assert "开工 计划" in page and "逾期12天未完成" in page and "未到计划日期" in page
    assert "开工节点逾期12天" in page  # the light says the same


# --- statistics ----------------------------------------------------------------------------


@pytest.fixture
def statistics_book(econ_dept):
    """Hand-computed for 2023-10 (序时 83.3 %):

    A 2亿 产业, 省 2000 + 市 1800, started 2023-03 (亿元以上), YTD 1500 → 75 %, yellow
    B 0.8亿 基础设施, 市 1000, completed 2023-09 (竣工), YTD 1000 → 100 %, green
    C 5亿 社会民生, 区 3000, started 2022, YTD 1000 → 33.3 %, red
    E 1.2亿 产业, 区 500, start planned 2023-05 not done, YTD 0 → red
    D 3亿 产业 on the 2022 list only: not in the 2023 figures."""
    registered = {"fai_registered": True, "fai_registered_on": datetime.date(2023, 1, 1)}

    def project(code, kind, total, plans, started=None, completed=None, monthly=None, planned_start=None):
        p = make_project(code, econ_dept, plan=None, type=kind, **registered)
        KeyProject.objects.filter(pk=p.pk).update(total_investment_wan=Decimal(total))
        for year, level, amount in plans:
            ProjectYearPlan.objects.create(project=p, year=year, level=level, annual_plan_wan=Decimal(amount))
        if started or planned_start:
            Milestone.objects.create(
                project=p, kind="start", planned_on=planned_start or started, actual_on=started
            )
        if completed:
            Milestone.objects.create(project=p, kind="completed", planned_on=completed, actual_on=completed)
        for month in range(1, 11) if monthly else []:
            report(p, 2023, month, monthly)
        return p

    return {
        "A": project(
            "A",
            "industry",
            20000,
            [(2023, "province", 2000), (2023, "city", 1800)],
            datetime.date(2023, 3, 1),
            monthly="150",
        ),
        "B": project(
            "B",
            "infrastructure",
            8000,
            [(2023, "city", 1000)],
            datetime.date(2023, 4, 1),
            datetime.date(2023, 9, 30),
            "100",
        ),
        "C": project(
            "C", "livelihood", 50000, [(2023, "district", 3000)], datetime.date(2022, 6, 1), monthly="100"
        ),
        "D": project("D", "industry", 30000, [(2022, "district", 900)], datetime.date(2023, 2, 1)),
        "E": project(
            "E", "industry", 12000, [(2023, "district", 500)], planned_start=datetime.date(2023, 5, 1)
        ),
    }


def test_statistics_against_the_hand_computed_book(statistics_book):
    figures = services.statistics(KeyProject.objects.all(), OCT)
    assert (figures["listed"], figures["started_billion"], figures["finished"]) == (4, 1, 1)

    def rows(key):
        return [(r["label"], r["count"], r["plan"], r["ytd"], r["rate_text"]) for r in figures[key]]

    assert rows("by_level") == [
        ("省重点", 1, Decimal("2000"), Decimal("1500"), "75.0%"),
        ("市重点", 2, Decimal("2800"), Decimal("2500"), "89.3%"),
        ("区重点", 2, Decimal("3500"), Decimal("1000"), "28.6%"),
    ]
    assert rows("by_type") == [
        ("产业", 2, Decimal("2500"), Decimal("1500"), "60.0%"),
        ("基础设施", 1, Decimal("1000"), Decimal("1000"), "100.0%"),
        ("社会民生", 1, Decimal("3000"), Decimal("1000"), "33.3%"),
    ]
    total = figures["total"]
    assert (total["count"], total["plan"], total["ytd"], total["rate_text"]) == (
        4,
        Decimal("6500"),
        Decimal("3500"),
        "53.8%",
    )
    assert [(r["label"], r["count"]) for r in figures["lights"]] == [("绿灯", 1), ("黄灯", 1), ("红灯", 2)]


def test_statistics_page_links_to_the_filtered_list(client, leader, statistics_book):
    client.force_login(leader)
    response = client.get(STATISTICS, {"period": "2023-10"})
    page = text(response)
    assert "开工亿元以上项目 1个" in page and "竣工投产 1个" in page and "2023年在库重点项目 4个" in page
    html = response.content.decode()
    lst = reverse("projects:keyproject_list")
    for query, codes in [
        ("listed=true&started_billion=true", ["A"]),
        ("listed=true&finished=true", ["B"]),
        ("level=city", ["A", "B"]),
        ("listed=true&type=industry", ["A", "E"]),
        ("listed=true&light=red", ["C", "E"]),
    ]:
        url = f"{lst}?period=2023-10&{query}"
        assert url in html, query
        listed = client.get(url + "&export=xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(listed.content)).active
        assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == codes, query


def test_statistics_export_is_audited(client, leader, statistics_book):
    client.force_login(leader)
    response = client.get(STATISTICS, {"period": "2023-10", "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(v for v in r if v is not None) for r in sheet.iter_rows(values_only=True)]
    assert ("开工亿元以上项目（个）", 1) in rows
    assert ("市重点", 2, 2800, 2500, "89.3%") in rows
    assert ("合计", 4, 6500, 3500, "53.8%") in rows
    assert ("红灯", 2) in rows
    event = AuditEvent.objects.get(kind="export")
    assert event.user_id == leader.pk and "重点项目统计（2023年10月）" in event.detail


def statistics_sheet(content):
    """The exported statistics sheet as a user reads it: its title, whether a row is frozen,
    and the sections between empty rows, each ``(heading, bold, rows)``: the heading's values,
    whether every heading cell (and no other cell) is bold, the rows' cells."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    sections, cells = [], []
    for row in [*sheet.iter_rows(), ()]:
        filled = [c for c in row if c.value is not None]
        if filled:
            cells.append(filled)
        elif cells:
            heading, *rows = cells
            bold = all(c.font.b for c in heading) and not any(c.font.b for r in rows for c in r)
            sections.append(([c.value for c in heading], bold, rows))
            cells = []
    return sheet.title, sheet.freeze_panes, sections


def sheet_rows(figures):
    """The rows the sheet must hold for ``figures``, as the page shows them."""

    def table(rows):
        return [
            (str(r["label"]), r["count"], float(r["plan"]), float(r["ytd"]), r["rate_text"]) for r in rows
        ]

    return [
        [("本年在库项目（个）", figures["listed"]), ("开工亿元以上项目（个）", figures["started_billion"]),
         ("竣工投产项目（个）", figures["finished"])],
        table(figures["by_level"]),
        table([*figures["by_type"], figures["total"]]),
        [(str(r["label"]), r["count"]) for r in figures["lights"]],
    ]  # fmt: skip


def assert_statistics_sheet(content, title, figures):
    """The export holds the page's figures: the title, the headline counts, the three tables
    under bold headings, numbers as numbers (thousands separators), the rate as its text."""
    name, frozen, sections = statistics_sheet(content)
    assert (name, frozen) == ("项目统计", None)  # sections: no single header row to freeze
    table = ["项目数（个）", "年度计划投资（万元）", "累计完成投资（万元）", "完成率"]
    assert [(heading, bold) for heading, bold, _ in sections] == [
        ([title], True), (["按级别", *table], True), (["按类型", *table], True), (["亮灯", "项目数（个）"], True),
    ]  # fmt: skip
    read = [[tuple(c.value for c in row) for row in rows] for _, _, rows in sections]
    assert read == sheet_rows(figures)
    for _, _, rows in sections:
        for row in rows:
            assert row[0].data_type == "s" and all(c.data_type == "n" for c in row[1:4]), row
            whole = [c.value == int(c.value) for c in row[1:4]]
            assert [c.number_format for c in row[1:4]] == ["#,##0" if w else "#,##0.0###" for w in whole], row
            assert all(c.data_type == "s" and re.fullmatch(r"\d+\.\d%|—", c.value) for c in row[4:]), row
    return read


def test_statistics_export_holds_the_pages_figures(client, leader, statistics_book):
    client.force_login(leader)
    response = client.get(STATISTICS, {"period": "2023-10", "export": "xlsx"})
    assert response["Content-Disposition"].endswith(quote("重点项目统计（2023年10月）.xlsx"))
    figures = services.statistics(KeyProject.objects.all(), OCT, today=timezone.localdate())
    read = assert_statistics_sheet(response.content, "重点项目统计（2023年10月）", figures)
    assert read[0] == [("本年在库项目（个）", 4), ("开工亿元以上项目（个）", 1), ("竣工投产项目（个）", 1)]
    assert read[1][1] == ("市重点", 2, 2800, 2500, "89.3%")
    assert read[2][-1] == ("合计", 4, 6500, 3500, "53.8%")
    assert read[3] == [("绿灯", 1), ("黄灯", 1), ("红灯", 2)]
    assert AuditEvent.objects.get(kind="export").data["rows"] == 3 + 3 + 4 + 3
    # 2022: only D is listed, on the 区 list; a level without a plan has no rate (—)
    response = client.get(STATISTICS, {"period": "2022-10", "export": "xlsx"})
    figures = services.statistics(
        KeyProject.objects.all(), datetime.date(2022, 10, 1), today=timezone.localdate()
    )
    read = assert_statistics_sheet(response.content, "重点项目统计（2022年10月）", figures)
    assert read[1][0] == ("省重点", 0, 0, 0, "—") and read[1][2][:3] == ("区重点", 1, 900)


def test_statistics_needs_a_view_grant(client, grid_worker, auditor):
    for user in (grid_worker, auditor):
        client.force_login(user)
        assert client.get(STATISTICS).status_code == 403


# --- light rules ---------------------------------------------------------------------------


def formset_data(bands, existing=()):
    data = {
        "form-TOTAL_FORMS": str(len(bands)),
        "form-INITIAL_FORMS": str(len(existing)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        VERSION_FIELD: str(set_version(LightRule)),  # the page as opened now
    }
    for i, (lower, upper, light, *delete) in enumerate(bands):
        if i < len(existing):
            data[f"form-{i}-id"] = str(existing[i].pk)
        data.update({f"form-{i}-lower": lower, f"form-{i}-upper": upper, f"form-{i}-light": light})
        if delete:
            data[f"form-{i}-DELETE"] = "on"
    return data


def test_rule_pages_for_admins_and_leader_only(client, leader, sysadmin, alice, grid_worker):
    edit = reverse("projects:lightrule_edit", args=["progress"])
    client.force_login(alice)
    assert client.get(RULES).status_code == 200 and client.get(edit).status_code == 403
    client.force_login(grid_worker)
    assert client.get(RULES).status_code == 403
    for user in (leader, sysadmin):
        client.force_login(user)
        assert "修改规则" in text(client.get(RULES)) and client.get(edit).status_code == 200


def test_an_uncovered_range_is_a_form_error_and_nothing_changes(client, leader):
    client.force_login(leader)
    edit = reverse("projects:lightrule_edit", args=["progress"])
    existing = list(LightRule.objects.filter(kind="progress"))  # −∞..−15 red, −15..−5, −5..+∞
    gap = formset_data([("", "-15", "red"), ("-15", "-10", "yellow"), ("-5", "", "green")], existing)
    page = text(client.post(edit, gap))
    assert "配置错误：[-10, -5)区间未覆盖" in page
    assert LightRule.objects.get(pk=existing[1].pk).upper == Decimal("-5")
    overlap = formset_data([("", "-15", "red"), ("-15", "-5", "yellow"), ("-8", "", "green")], existing)
    assert "区间重叠" in text(client.post(edit, overlap))
    moved = formset_data([("", "-20", "red"), ("-20", "-10", "yellow"), ("-10", "", "green")], existing)
    assert client.post(edit, moved).status_code == 302
    bands = [(r.lower, r.upper, r.light) for r in LightRule.objects.filter(kind="progress")]
    assert bands == [
        (None, Decimal("-20"), "red"),
        (Decimal("-20"), Decimal("-10"), "yellow"),
        (Decimal("-10"), None, "green"),
    ]
    assert (
        ObjectChange.objects.filter(
            content_type__model="lightrule", action="update", user_id=leader.pk
        ).count()
        == 3
    )


def test_rule_sets_add_and_delete_bands(client, sysadmin, far_behind):
    client.force_login(sysadmin)
    edit = reverse("projects:lightrule_edit", args=["progress"])
    existing = list(LightRule.objects.filter(kind="progress"))
    two = formset_data(
        [("", "-40", "red"), ("-15", "-5", "yellow", "delete"), ("-40", "", "green")], existing
    )
    assert client.post(edit, two).status_code == 302
    assert LightRule.objects.filter(kind="progress").count() == 2
    assert services.light(far_behind, OCT).light == "red"  # 50 points behind
    now = list(LightRule.objects.filter(kind="progress"))
    three = formset_data([("", "-60", "red"), ("-40", "", "green"), ("-60", "-40", "yellow")], now)
    assert client.post(edit, three).status_code == 302
    assert services.light(far_behind, OCT).light == "yellow"


def test_rule_list_export_is_audited(client, leader):
    client.force_login(leader)
    response = client.get(RULES, {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("规则类别", "下限（含）", "上限（不含）", "亮灯") and len(rows) == 10
    assert AuditEvent.objects.filter(kind="export", user_id=leader.pk).exists()


@pytest.mark.parametrize(
    "days, kind, expected",
    [
        (0, "milestone", "green"),
        (1, "milestone", "yellow"),
        (89, "milestone", "yellow"),
        (90, "milestone", "red"),
        (30, "fai_lag", "green"),
        (31, "fai_lag", "yellow"),
        (61, "fai_lag", "yellow"),
        (62, "fai_lag", "red"),
    ],
)
def test_day_band_edges(econ_dept, days, kind, expected):
    """Overdue days and 入库 lag at the band edges of the default rules (lower bound inclusive)."""
    project = make_project("P1", econ_dept, plan=None)
    end = datetime.date(2023, 10, 31)
    start = end - datetime.timedelta(days=days)
    if kind == "milestone":
        Milestone.objects.create(project=project, kind="topped", planned_on=start)
    else:
        Milestone.objects.create(project=project, kind="start", planned_on=start, actual_on=start)
    assert services.light(project, OCT).light == expected


# --- blockers become demands or tasks ------------------------------------------------------


@pytest.fixture
def blocker(on_track, owned_enterprise):
    KeyProject.objects.filter(pk=on_track.pk).update(enterprise=owned_enterprise)
    return Blocker.objects.create(
        project=on_track,
        kind="power",
        description="施工用电未接入",
        owner_department=on_track.department,
        deadline=datetime.date(2099, 1, 31),
    )


@pytest.fixture
def work_point(db):
    return WorkPoint.objects.create(year=2023, number="01", title="重点项目攻坚", source="meeting")


def test_blocker_becomes_a_demand_once(client, alice, blocker, owned_enterprise):
    url = reverse("projects:blocker_to_demand", args=[blocker.pk])
    client.force_login(alice)
    form = client.get(url)
    assert form.context["form"].initial["category"].name == "用电"
    response = client.post(url, {"category": form.context["form"].initial["category"].pk})
    assert response.status_code == 302
    blocker.refresh_from_db()
    demand = blocker.demand
    assert (
        demand.enterprise == owned_enterprise
        and demand.received_by == alice
        and demand.category.name == "用电"
    )
    assert "施工用电未接入" in demand.description
    page = text(client.get(blocker.project.get_absolute_url()))
    assert f"企业诉求 {demand.number} （{demand.get_status_display()}）" in page
    again = text(client.post(url, {"category": demand.category_id}))
    assert "不能重复转办" in again and Demand.objects.count() == 1
    task = text(client.post(reverse("projects:blocker_to_task", args=[blocker.pk]), {}))
    assert "不能重复转办" in task and not Task.objects.exists()


def test_blocker_becomes_a_supervision_task(client, alice, blocker, work_point):
    url = reverse("projects:blocker_to_task", args=[blocker.pk])
    client.force_login(alice)
    assert client.post(url, {"work_point": work_point.pk, "due_on": "2099-01-31"}).status_code == 302
    task = Task.objects.get()
    assert task.department == blocker.owner_department and task.work_point == work_point
    assert task.report_cycle == "weekly" and "施工用电未接入" in task.text
    assert ObjectChange.objects.filter(content_type__model="task", action="create", user_id=alice.pk).exists()
    blocker.refresh_from_db()
    assert blocker.task == task
    page = text(client.get(blocker.project.get_absolute_url()))
    assert f"督办任务 {task.number} （{task.get_status_display()}" in page


def test_conversion_permissions(client, leader, charlie, grid_worker, blocker, work_point):
    client.force_login(leader)  # may see the blocker but not add demands
    assert client.post(reverse("projects:blocker_to_demand", args=[blocker.pk]), {}).status_code == 403
    client.force_login(charlie)  # may add tasks, but only for 招商局
    data = {"work_point": work_point.pk, "due_on": "2099-01-31"}
    assert client.post(reverse("projects:blocker_to_task", args=[blocker.pk]), data).status_code == 403
    assert not Task.objects.exists()
    blocker.refresh_from_db()
    assert blocker.task is None
    client.force_login(grid_worker)  # no grant on blockers at all
    assert client.get(reverse("projects:blocker_to_task", args=[blocker.pk])).status_code == 404


def test_a_project_without_owner_enterprise_cannot_become_a_demand(client, alice, on_track):
    blocker = Blocker.objects.create(project=on_track, kind="land", description="用地指标未落实")
    client.force_login(alice)
    page = text(
        client.post(
            reverse("projects:blocker_to_demand", args=[blocker.pk]),
            {"category": Demand._meta.get_field("category").related_model.objects.get(name="用地").pk},
        )
    )
    assert "没有业主企业，不能转为企业诉求" in page and not Demand.objects.exists()
