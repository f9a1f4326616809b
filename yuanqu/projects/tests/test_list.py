"""The key-project list: the 原因 of yellow and red lights, open blockers counted and linked,
the same in the Excel export, and a query count that does not grow with the projects."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.projects.models import Milestone
from yuanqu.users.models import ObjectPermission

from .conftest import (
    BEHIND_CAUSE,
    OCTOBER,
    OVERDUE_CAUSE,
    add_blockers,
    list_rows,
    make_project,
    report,
    xlsx_rows,
)

LIST = reverse("projects:keyproject_list")


def test_reason_column_explains_yellow_and_red_only(
    client, alice, behind_on_investment, overdue_start, green
):
    client.force_login(alice)
    rows = list_rows(client.get(LIST, {"period": OCTOBER}))
    assert rows["ZD2023-101"]["亮灯"] == "红灯" and rows["ZD2023-101"]["原因"] == BEHIND_CAUSE
    assert rows["ZD2023-102"]["亮灯"] == "黄灯" and rows["ZD2023-102"]["原因"] == OVERDUE_CAUSE
    assert rows["ZD2023-103"]["亮灯"] == "绿灯" and rows["ZD2023-103"]["原因"] == "—"


def test_a_red_project_gives_every_reason_worst_first(client, leader, behind_on_investment):
    """Behind on investment (red) and its start 12 days overdue (yellow): both, red first."""
    Milestone.objects.create(
        project=behind_on_investment, kind="start", planned_on=datetime.date(2023, 10, 19)
    )
    client.force_login(leader)
    rows = list_rows(client.get(LIST, {"period": OCTOBER, "light": "red"}))
    assert list(rows) == ["ZD2023-101"]
    assert rows["ZD2023-101"]["原因"] == f"{BEHIND_CAUSE}；{OVERDUE_CAUSE}"


def test_excel_export_has_the_reason_column(client, leader, behind_on_investment, overdue_start, green):
    client.force_login(leader)
    response = client.get(LIST, {"period": OCTOBER, "export": "xlsx"})
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert {code: (row["亮灯"], row["原因"]) for code, row in rows.items()} == {
        "ZD2023-101": ("红灯", BEHIND_CAUSE),
        "ZD2023-102": ("黄灯", OVERDUE_CAUSE),
        "ZD2023-103": ("绿灯", None),
    }
    assert rows["ZD2023-103"]["已入库"] == "是" and rows["ZD2023-101"]["已入库"] == "否"


def test_open_blockers_are_counted_and_open_the_projects_blockers(
    client, alice, leader, behind_on_investment, green
):
    add_blockers(behind_on_investment, open_count=2, resolved_count=3)
    client.force_login(alice)
    response = client.get(LIST, {"period": OCTOBER})
    rows = list_rows(response)
    assert rows["ZD2023-101"]["未解决堵点"] == "2"
    assert rows["ZD2023-103"]["未解决堵点"] == "0"
    link = f'href="{behind_on_investment.get_absolute_url()}?period={OCTOBER}#blockers"'
    assert link in response.content.decode()
    page = client.get(f"{behind_on_investment.get_absolute_url()}?period={OCTOBER}")
    assert page.status_code == 200 and 'id="blockers"' in page.content.decode()
    assert page.content.decode().count("未解决</td>") == 2  # the two the list counted
    client.force_login(leader)  # staff export their own department's projects only
    export = xlsx_rows(client.get(LIST, {"period": OCTOBER, "export": "xlsx"}))
    assert export["ZD2023-101"]["未解决堵点"] == 2 and export["ZD2023-103"]["未解决堵点"] == 0


def test_blockers_are_counted_within_the_users_grant(client, charlie, econ_dept, invest_dept):
    """A user who sees every project but only the own department's blockers counts those only."""
    ObjectPermission.objects.filter(role=charlie.role, model="projects.blocker").update(enabled=False)
    ObjectPermission.objects.create(
        name="测试-本部门堵点",
        user=charlie,
        model="projects.blocker",
        actions=["view"],
        constraint="own_department",
    )
    own = make_project("ZD2023-201", invest_dept, plan="1200")
    other = make_project("ZD2023-202", econ_dept, plan="1200")
    add_blockers(own, open_count=1)
    add_blockers(other, open_count=4)
    client.force_login(charlie)
    rows = list_rows(client.get(LIST, {"period": OCTOBER}))
    assert (rows["ZD2023-201"]["未解决堵点"], rows["ZD2023-202"]["未解决堵点"]) == ("1", "0")
    ObjectPermission.objects.filter(user=charlie).update(enabled=False)
    charlie.refresh_from_db()
    rows = list_rows(client.get(LIST, {"period": OCTOBER}))
    assert rows["ZD2023-201"]["未解决堵点"] == "—"  # no grant on blockers: no number, no link


def _busy_projects(department, first, count):
    """Projects with a plan, a month's report (far behind: red), a start 30 days overdue
    (yellow) and an open blocker each."""
    for n in range(first, first + count):
        project = make_project(f"ZD2023-{n:03d}", department, plan="1200")
        report(project, 2023, 10, str(n))
        Milestone.objects.create(project=project, kind="start", planned_on=datetime.date(2023, 10, 1))
        add_blockers(project, open_count=1)


def _queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, params)
    assert response.status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_the_projects(client, leader, econ_dept):
    """10 projects or 50 (two pages): the page, the red filter and the export take the same
    number of queries; lights, 原因 and blocker counts are never fetched one project at a time."""
    client.force_login(leader)
    _busy_projects(econ_dept, 1, 10)
    _queries(client, {"period": OCTOBER})  # warm the session and the grants
    few = [_queries(client, p) for p in ({"period": OCTOBER}, {"period": OCTOBER, "light": "red"})]
    few_export = _queries(client, {"period": OCTOBER, "export": "xlsx"})
    _busy_projects(econ_dept, 11, 40)
    many = [_queries(client, p) for p in ({"period": OCTOBER}, {"period": OCTOBER, "light": "red"})]
    many_export = _queries(client, {"period": OCTOBER, "export": "xlsx"})
    assert many == few and many_export == few_export
    rows = list_rows(client.get(LIST, {"period": OCTOBER, "light": "red"}))
    assert len(rows) == 25  # a full page of the 50 red projects, each with its reason and blockers
    # 2 of 1200 is 0.17 %; 83.33 − 0.17 = 83.17 points behind; 2 … 31 October is 30 days
    assert rows["ZD2023-002"]["原因"] == (
        "完成投资2万元，序时应完成1,000万元，落后序时进度83.2个百分点；开工节点逾期30天（计划2023-10-01）"
    )
    assert all(r["原因"].endswith("；开工节点逾期30天（计划2023-10-01）") for r in rows.values())
    assert {r["未解决堵点"] for r in rows.values()} == {"1"}
