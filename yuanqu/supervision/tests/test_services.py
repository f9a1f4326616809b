"""The report rhythm, the lights and the rectification actions, with worked examples on the
2024 official calendar (National Day 10-01..10-07 with make-up Sunday 09-29; 端午 06-10)."""

import datetime

import pytest

from yuanqu.core.models import ObjectChange
from yuanqu.core.workdays import WorkCalendar
from yuanqu.supervision import services
from yuanqu.supervision.filtersets import light_q
from yuanqu.supervision.models import LookbackReview, Task, TaskReport

D = datetime.date


@pytest.mark.parametrize(
    "cycle, last, due",
    [
        ("weekly", D(2024, 9, 20), D(2024, 9, 27)),
        ("monthly", D(2024, 1, 31), D(2024, 2, 29)),
        ("monthly", D(2024, 12, 15), D(2025, 1, 15)),
        ("quarterly", D(2024, 11, 30), D(2025, 2, 28)),
    ],
)
def test_next_report_due_is_one_cycle_after_the_last(cycle, last, due):
    assert services.next_report_due(cycle, last) == due


def test_without_reports_the_cycle_starts_at_the_task_start(task):
    assert services.task_next_report_due(task) == D(2024, 6, 7)


def test_missing_report_is_flagged_the_working_day_after_it_was_due(task):
    # Due Friday 2024-06-07; Monday 06-10 is 端午, so flagged from Tuesday 06-11.
    assert not services.report_missing(task, today=D(2024, 6, 7))
    assert not services.report_missing(task, today=D(2024, 6, 10))
    assert services.report_missing(task, today=D(2024, 6, 11))


def test_a_report_moves_the_next_due_date(task, alice):
    TaskReport.objects.create(
        task=task, reported_on=D(2024, 6, 5), progress="已配备专员120名", percent=40, reporter=alice
    )
    assert services.task_next_report_due(task) == D(2024, 7, 5)
    assert not services.report_missing(task, today=D(2024, 6, 11))


def test_weekly_report_due_in_the_national_day_holiday_is_flagged_after_it(other_task, charlie):
    TaskReport.objects.create(
        task=other_task, reported_on=D(2024, 9, 27), progress="在谈项目8个", percent=50, reporter=charlie
    )
    assert services.task_next_report_due(other_task) == D(2024, 10, 4)
    assert not services.report_missing(other_task, today=D(2024, 10, 7))
    assert services.report_missing(other_task, today=D(2024, 10, 8))


def test_done_or_cancelled_tasks_miss_no_report(task):
    task.status = "done"
    assert not services.report_missing(task, today=D(2024, 12, 1))


@pytest.mark.parametrize(
    "today, expected",
    [
        (D(2024, 9, 23), "green"),  # 6 working days left: 24, 25, 26, 27, 29 (make-up), 30
        (D(2024, 9, 24), "yellow"),  # 5 working days left
        (D(2024, 9, 30), "yellow"),  # the due date itself
        (D(2024, 10, 7), "yellow"),  # past due, but no working day has passed yet
        (D(2024, 10, 8), "red"),  # the first working day after the due date
    ],
)
def test_task_light(task, today, expected):
    assert services.light(task, today=today) == expected


@pytest.mark.parametrize("status", ["done", "cancelled"])
def test_done_and_cancelled_tasks_show_no_light(task, status):
    task.status = status
    assert services.light(task, today=D(2024, 12, 1)) is None


@pytest.mark.parametrize(
    "today", [D(2024, 9, 23), D(2024, 9, 24), D(2024, 9, 30), D(2024, 10, 5), D(2024, 10, 7), D(2024, 10, 8)]
)
def test_light_filter_agrees_with_the_light(task, other_task, today):
    calendar = WorkCalendar()
    for value in ("green", "yellow", "red"):
        filtered = set(Task.objects.filter(light_q(value, today, calendar)))
        assert filtered == {t for t in (task, other_task) if services.light(t, today, calendar) == value}


def test_board_counts_per_department(task, other_task, econ_dept, invest_dept):
    done = Task.objects.create(
        number="2024-003",
        work_point=task.work_point,
        text="出台惠企政策",
        department=econ_dept,
        report_cycle="quarterly",
        start_on=D(2024, 1, 2),
        due_on=D(2024, 6, 30),
        status="done",
    )
    rows = {r["department"]: r for r in services.board([task, other_task, done], today=D(2024, 10, 8))}
    assert rows[econ_dept.name] == {
        "department": econ_dept.name,
        "department_id": econ_dept.pk,
        "total": 2,
        "green": 0,
        "yellow": 0,
        "red": 1,
        "done": 1,
    }
    assert rows[invest_dept.name]["green"] == 1
    assert services.overdue([task, other_task, done], today=D(2024, 10, 8)) == [task]


def test_close_needs_evidence(item):
    with pytest.raises(services.SupervisionError, match="销号须提供佐证材料"):
        services.close_item(item, "  ")
    item.refresh_from_db()
    assert item.closed_on is None


def test_close_with_evidence_is_change_logged(item):
    services.close_item(item, "2024年三季度联合检查计划及执行台账", today=D(2024, 10, 20))
    item.refresh_from_db()
    assert item.closed_on == D(2024, 10, 20)
    assert ObjectChange.objects.filter(object_id=item.pk, object_repr__contains=item.list_name).exists()
    with pytest.raises(services.SupervisionError, match="已于2024-10-20销号"):
        services.close_item(item, "再次销号")


def test_lookback_passed_keeps_the_item_closed(item):
    services.close_item(item, "台账", today=D(2024, 10, 20))
    review = services.lookback(item, True, "抽查5家企业，未再出现重复检查", today=D(2024, 12, 20))
    item.refresh_from_db()
    assert review.get_result_display() == "通过"
    assert item.closed_on == D(2024, 10, 20)


def test_lookback_failed_reopens_the_item(item):
    services.close_item(item, "台账", today=D(2024, 10, 20))
    services.lookback(item, False, "发现两次重复检查", today=D(2024, 12, 20))
    item.refresh_from_db()
    assert item.closed_on is None
    assert LookbackReview.objects.get(item=item).result == "reopened"


def test_lookback_of_an_open_item_is_refused(item):
    with pytest.raises(services.SupervisionError, match="尚未销号"):
        services.lookback(item, True)
