"""我的待办's two tabs: open work overdue first then by deadline, answered demands and tasks
reported done on 已办待确认, the counts on the tabs, and a bounded number of queries."""

import datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yuanqu.demands import services as demand_services
from yuanqu.demands.models import DemandCategory
from yuanqu.supervision.models import TaskReport

from .test_views import text

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _demand(alice, enterprise, title, received):
    return demand_services.receive(
        alice,
        enterprise=enterprise,
        category=DemandCategory.objects.get(name="用电"),  # 5 working days
        channel="visit",
        title=title,
        description=title,
        received_at=received,
    )


def test_open_work_first_and_answered_demands_on_their_own_tab(
    client, alice, bob, task, other_task, owned_enterprise
):
    now = timezone.now()
    overdue = _demand(
        alice, owned_enterprise, "超期的诉求", datetime.datetime(2024, 7, 1, 10, tzinfo=SHANGHAI)
    )
    fresh = _demand(alice, owned_enterprise, "新到的诉求", now - datetime.timedelta(minutes=5))
    answered = _demand(alice, owned_enterprise, "已答复的诉求", now - datetime.timedelta(hours=3))
    demand_services.assign(answered, alice, alice.department, at=now - datetime.timedelta(hours=2))
    demand_services.accept(answered, bob, at=now - datetime.timedelta(hours=2))
    demand_services.answer(answered, bob, "已办理", at=now - datetime.timedelta(hours=1))
    client.force_login(alice)

    response = client.get(reverse("supervision:my_work"))
    numbers = [r["number"] for r in response.context["rows"]]
    # Overdue first (the demand due 2024-07-08, the task due 2024-09-30), then the fresh demand.
    assert numbers == [overdue.number, task.number, fresh.number]
    page = text(response)
    assert "待办（3） 已办待确认（1）" in page and "2 项超期" in page and "已答复的诉求" not in page

    done = client.get(reverse("supervision:my_work"), {"tab": "done"})
    assert [r["number"] for r in done.context["rows"]] == [answered.number]
    page = text(done)
    # 东区精密机械 has no enterprise account here: alice's department calls back.
    assert "已答复的诉求" in page and "已答复，企业无账号，待您电话回访" in page and "超期的诉求" not in page


def test_a_task_reported_done_moves_to_the_finished_tab(client, alice, task):
    from yuanqu.supervision import services

    today = timezone.localdate()
    services.file_report(
        task, TaskReport(reported_on=today, progress="全部完成", percent=100, reporter=alice)
    )
    client.force_login(alice)
    response = client.get(reverse("supervision:my_work"))
    assert task.number not in [r["number"] for r in response.context["rows"]]
    done = client.get(reverse("supervision:my_work"), {"tab": "done"})
    assert [(r["number"], r["finished_on"], r["note"]) for r in done.context["rows"]] == [
        (task.number, today, "已报送完成")
    ]


def test_enterprise_user_sees_answers_to_confirm_as_open_work(
    client, alice, bob, enterprise_user, owned_enterprise
):
    demand = _demand(alice, owned_enterprise, "待确认", timezone.now() - datetime.timedelta(hours=3))
    demand_services.assign(demand, alice, alice.department)
    demand_services.accept(demand, bob)
    demand_services.answer(demand, bob, "已办理")
    client.force_login(enterprise_user)
    response = client.get(reverse("supervision:my_work"))
    assert [r["number"] for r in response.context["rows"]] == [demand.number]
    client.force_login(bob)
    assert [
        r["number"] for r in client.get(reverse("supervision:my_work"), {"tab": "done"}).context["rows"]
    ] == [demand.number]
    assert "已答复，待企业确认" in text(client.get(reverse("supervision:my_work"), {"tab": "done"}))


def test_queries_do_not_grow_with_the_demands(client, alice, owned_enterprise):
    for n in range(3):
        _demand(alice, owned_enterprise, f"诉求{n}", timezone.now() - datetime.timedelta(hours=n + 1))
    client.force_login(alice)
    client.get(reverse("supervision:my_work"))  # warm the session and the calendar
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("supervision:my_work"))
    for n in range(3, 10):
        _demand(alice, owned_enterprise, f"诉求{n}", timezone.now() - datetime.timedelta(hours=n + 1))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("supervision:my_work"))
    assert len(response.context["rows"]) == 10
    assert len(many) == len(few) <= 15


def test_queries_do_not_grow_with_the_tasks_and_each_shows_its_next_report(
    client, alice, leader, task, other_task, work_point
):
    """Each task's next report is read from its last report in the same query (not one query
    per task): reported today, a monthly task reports next a month on, a weekly one a week on."""
    from yuanqu.supervision.models import Task

    today = timezone.localdate()
    TaskReport.objects.create(task=task, reported_on=today, progress="进展", percent=40, reporter=alice)

    def add(n):
        extra = Task.objects.create(
            number=f"2024-00{n}",
            work_point=work_point,
            text=f"任务{n}",
            department=task.department,
            report_cycle="weekly",
            start_on=today,
            due_on=today + datetime.timedelta(days=200),
            status="on_track",
        )
        TaskReport.objects.create(task=extra, reported_on=today, progress="进展", percent=10, reporter=alice)

    add(3)
    client.force_login(alice)
    client.get(reverse("supervision:my_work"))  # warm the session and the calendar
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("supervision:my_work"))
    for n in range(4, 8):
        add(n)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("supervision:my_work"))
    assert len(many) == len(few), [q["sql"][:150] for q in many.captured_queries]
    rows = {r["number"]: r for r in response.context["rows"]}
    # other_task is 招商局's and not alice's: not listed.
    assert set(rows) == {task.number, *(f"2024-00{n}" for n in range(3, 8))}
    next_month = services_next(today)
    assert rows[task.number]["note"] == f"下次报送 {next_month:%Y-%m-%d}"
    assert rows["2024-003"]["note"] == f"下次报送 {today + datetime.timedelta(days=7):%Y-%m-%d}"
    assert rows[task.number]["light"] == "red" and rows["2024-003"]["light"] == "green"
    assert rows[task.number]["department"] == "经济发展局"
    assert rows[task.number]["url"] == reverse("supervision:task", args=[task.pk])


def services_next(day):
    from yuanqu.utilities.periods import shift_date

    return shift_date(day, 1)
