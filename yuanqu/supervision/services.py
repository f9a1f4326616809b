"""The supervision clock (report rhythm, lights) and the rectification actions."""

import calendar as month_calendar
import datetime
import re

from django.db import transaction
from django.utils import timezone

from yuanqu.core.workdays import add_workdays, workdays_between
from yuanqu.utilities.concurrency import refresh_locked
from yuanqu.utilities.periods import shift_date

from .choices import OPEN_STATUSES, ReportCycle, ReviewResult, TaskStatus
from .models import LookbackReview, TaskUrge

# A task shows yellow this many working days before its due date.
YELLOW_BEFORE_WORKDAYS = 5
LIGHTS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}


class SupervisionError(Exception):
    """A supervision action refused, with the reason in Chinese."""


CHINESE_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
DUE_TEXT = re.compile(
    r"^(?:(\d{4})年)?(\d{1,2}|十[一二]?|[一二三四五六七八九十])月(?:(底|末|上旬|中旬|下旬)|(\d{1,2})日)?前?"
)
PART_DAYS = {"上旬": 10, "中旬": 20}


def _month_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text.startswith("十") and len(text) == 2:
        return 10 + CHINESE_NUMERALS[text[1]]
    return CHINESE_NUMERALS[text]


def parse_due_text(text: str, year: int) -> datetime.date:
    """The date a 时限 phrase means: “6月底前完成” → 6-30, “9月15日前” → 9-15, “10月中旬” → 10-20,
    “2025年3月底” → 2025-03-31; the year is the task's unless named."""
    match = DUE_TEXT.match(re.sub(r"\s+", "", text or ""))
    if not match:
        raise SupervisionError(f"无法识别时限“{text}”，请写成“6月底前完成”“9月15日前”或直接填写日期")
    year = int(match.group(1) or year)
    month = _month_number(match.group(2))
    if not 1 <= month <= 12:
        raise SupervisionError(f"时限“{text}”中的月份{month}不存在")
    last = month_calendar.monthrange(year, month)[1]
    part, day = match.group(3), match.group(4)
    if day:
        if not 1 <= int(day) <= last:
            raise SupervisionError(f"时限“{text}”中的日期{year}年{month}月{day}日不存在")
        return datetime.date(year, month, int(day))
    return datetime.date(year, month, PART_DAYS.get(part, last))


def next_report_due(cycle: str, last_reported_on: datetime.date) -> datetime.date:
    """The date the next report is due: one cycle after the last report (or the task's start)."""
    if cycle == ReportCycle.WEEKLY:
        return last_reported_on + datetime.timedelta(days=7)
    if cycle == ReportCycle.MONTHLY:
        return shift_date(last_reported_on, 1)
    if cycle == ReportCycle.QUARTERLY:
        return shift_date(last_reported_on, 3)
    raise ValueError(f"未知的报送周期：{cycle}")


def task_next_report_due(task) -> datetime.date:
    last = task.reports.order_by("-reported_on").values_list("reported_on", flat=True).first()
    return next_report_due(task.report_cycle, last or task.start_on)


# No run of days off is this long (the Spring Festival with its weekends is nine days).
LONGEST_DAYS_OFF = 14


def missed(due_on: datetime.date, today: datetime.date, calendar=None) -> bool:
    """A deadline is missed from the working day after it (a working day in (due_on, today]).
    A date long past is missed without asking the calendar, which may not cover its year
    (a task due in 1990 would otherwise fail every page listing it)."""
    if today - due_on > datetime.timedelta(days=LONGEST_DAYS_OFF):
        return True
    return today > due_on and workdays_between(due_on, today, calendar) >= 1


def report_missing(task, today=None, calendar=None) -> bool:
    """True when an open task's next report is past due, from the working day after it was due."""
    if task.status not in OPEN_STATUSES:
        return False
    return missed(task_next_report_due(task), today or timezone.localdate(), calendar)


def light(task, today=None, calendar=None) -> str | None:
    """green / yellow (within YELLOW_BEFORE_WORKDAYS of the due date) / red (from the working
    day after the due date); None for a done or cancelled task."""
    if task.status not in OPEN_STATUSES:
        return None
    today = today or timezone.localdate()
    if missed(task.due_on, today, calendar):
        return "red"
    # Yellow while at most YELLOW_BEFORE_WORKDAYS working days remain (only the calendar
    # around today is consulted, so a far due date needs no calendar of its year).
    if task.due_on < add_workdays(today, YELLOW_BEFORE_WORKDAYS + 1, calendar):
        return "yellow"
    return "green"


def board(tasks, today=None, calendar=None) -> list[dict]:
    """Counts per lead department: total, green, yellow, red, done."""
    rows: dict = {}
    for task in tasks:
        name = str(task.department) if task.department_id else "（未指定）"
        row = rows.setdefault(
            name,
            {
                "department": name,
                "department_id": task.department_id,
                "total": 0,
                "green": 0,
                "yellow": 0,
                "red": 0,
                "done": 0,
            },
        )
        row["total"] += 1
        if task.status == "done":
            row["done"] += 1
        value = light(task, today, calendar)
        if value:
            row[value] += 1
    return sorted(rows.values(), key=lambda r: (-r["red"], -r["yellow"], r["department"]))


def my_tasks(tasks, user, today=None, calendar=None) -> list[dict]:
    """我的任务: the open tasks my department leads or I am the responsible leader of, the
    nearest deadline first, each with its light and next report date."""
    today = today or timezone.localdate()
    rows = []
    for task in tasks:
        if task.status not in OPEN_STATUSES:
            continue
        if task.department_id != user.department_id and task.leader_id != user.pk:
            continue
        due = task_next_report_due(task)
        rows.append(
            {
                "task": task,
                "light": light(task, today, calendar),
                "next_report_due": due,
                "report_missing": missed(due, today, calendar),
            }
        )
    return sorted(rows, key=lambda r: (r["task"].due_on, r["task"].number))


def overdue(tasks, today=None, calendar=None) -> list:
    """The open tasks showing red, the earliest due first."""
    return sorted((t for t in tasks if light(t, today, calendar) == "red"), key=lambda t: t.due_on)


def file_report(task, report):
    """Append a progress report (never an edit); a report of 100% completes an open task on
    its report date, which ends its light."""
    with transaction.atomic():
        refresh_locked(task)  # the status as it is now, not as the page found it
        report.task = task
        report.save()
        if report.percent == 100 and task.status in OPEN_STATUSES:
            task.status = TaskStatus.DONE
            task.done_on = report.reported_on
            task._change_message = "报送完成进度100%，任务完成"
            task.save()
    return report


TASK_NUMBER_PREFIX = "DB{year}-"  # 督办任务编号: DB2026-001, DB2026-002 … (the demo numbers so too)


def next_task_number(year: int) -> str:
    """The year's next free 任务编号 (the highest serial of the year plus one)."""
    from .models import Task

    prefix = TASK_NUMBER_PREFIX.format(year=year)
    numbers = Task.objects.filter(number__startswith=prefix).values_list("number", flat=True)
    serials = [int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()]
    return f"{prefix}{max(serials, default=0) + 1:03d}"


def open_task(
    *, work_point, text: str, department, report_cycle: str, start_on, due_on, leader=None, message: str = ""
):
    """Open a task for another app's record (a project's blocker …): the one place that numbers
    a task (``next_task_number`` of its start year). Saved through the model, so the change
    log records it (with ``message``); the caller checks the user's right to add it."""
    from .models import Task

    task = Task(
        number=next_task_number(start_on.year),
        work_point=work_point,
        text=text,
        department=department,
        leader=leader,
        report_cycle=report_cycle,
        start_on=start_on,
        due_on=due_on,
    )
    task._change_message = message
    task.save()
    return task


def cancel_task(task, reason: str):
    """取消 with a reason; a done or cancelled task cannot be cancelled."""
    if not (reason or "").strip():
        raise SupervisionError("取消任务须填写取消原因。")
    with transaction.atomic():
        refresh_locked(task)  # cancelled or done meanwhile: refused, not cancelled twice
        if task.status not in OPEN_STATUSES:
            raise SupervisionError(f"任务{task.number}当前状态为“{task.get_status_display()}”，不能取消。")
        task.status = TaskStatus.CANCELLED
        task.cancel_reason = reason.strip()
        task._change_message = "取消任务"
        task.save()
    return task


def urge(task, user, text: str, today=None) -> TaskUrge:
    """催办 by the supervision office: a dated record on the task."""
    if not (text or "").strip():
        raise SupervisionError("请填写催办内容。")
    with transaction.atomic():
        refresh_locked(task)
        if task.status not in OPEN_STATUSES:
            raise SupervisionError(f"任务{task.number}当前状态为“{task.get_status_display()}”，无需催办。")
        return TaskUrge.objects.create(
            task=task, urged_on=today or timezone.localdate(), text=text.strip(), urged_by=user
        )


# The columns 我的待办 reads: values() rows, not model instances (a page of a few dozen rows
# built ~300 instances with their related records, and asked each task's last report apart).
WORK_TASK_FIELDS = ("pk", "number", "text", "status", "due_on", "done_on", "start_on", "report_cycle")
WORK_DEMAND_FIELDS = ("pk", "number", "title", "status", "due_on", "answered_at", "enterprise_has_account")


def work_tasks(tasks, user, since) -> list[dict]:
    """The tasks of ``tasks`` (a queryset, already restricted) that my department leads or I am
    the responsible leader of, open or reported done since ``since``: one query of values()
    rows, each with ``department`` (the lead department's name) and ``last_reported_on``."""
    from django.db.models import OuterRef, Q, Subquery

    from .models import TaskReport

    last = TaskReport.objects.filter(task=OuterRef("pk")).order_by("-reported_on").values("reported_on")[:1]
    return list(
        tasks.filter(Q(department_id=user.department_id) | Q(leader_id=user.pk))
        .filter(Q(status__in=OPEN_STATUSES) | Q(status=TaskStatus.DONE, done_on__gte=since))
        .annotate(last_reported_on=Subquery(last))
        .values(*WORK_TASK_FIELDS, "department__name", "last_reported_on")
    )


def work_demands(demands) -> list[dict]:
    """``demands`` (a queryset from ``demands.services.my_demands``, restricted) as values()
    rows with ``department`` and the category's ``yellow_before_workdays``."""
    return list(demands.values(*WORK_DEMAND_FIELDS, "department__name", "category__yellow_before_workdays"))


def task_url(pk) -> str:
    from django.urls import reverse

    return reverse("supervision:task", args=[pk])


def my_work(tasks, demands, today=None, calendar=None) -> list[dict]:
    """我的待办: my open tasks and my demands in one list, the nearest deadline first, from the
    rows of ``work_tasks`` (mine already) and ``work_demands`` (the light and report rules are those of
    ``light``, ``next_report_due`` and ``demands.services.light``). Each row: kind, number,
    title, department, deadline, light, note, url."""
    from types import SimpleNamespace

    from yuanqu.demands import services as demand_services
    from yuanqu.demands.choices import DemandStatus

    today = today or timezone.localdate()
    rows = []
    for task in tasks:
        if task["status"] not in OPEN_STATUSES:  # reported done: the 已办 tab's
            continue
        due = next_report_due(task["report_cycle"], task["last_reported_on"] or task["start_on"])
        rows.append(
            {
                "kind": "督办任务",
                "number": task["number"],
                "title": task["text"],
                "department": task["department__name"],
                "deadline": task["due_on"],
                "light": light(
                    SimpleNamespace(status=task["status"], due_on=task["due_on"]), today, calendar
                ),
                "note": f"下次报送 {due:%Y-%m-%d}" + ("（缺报）" if missed(due, today, calendar) else ""),
                "url": task_url(task["pk"]),
            }
        )
    for demand in demands:
        value = demand_services.light(
            SimpleNamespace(
                status=demand["status"],
                due_on=demand["due_on"],
                category=SimpleNamespace(yellow_before_workdays=demand["category__yellow_before_workdays"]),
            ),
            today,
            calendar,
        )
        rows.append(
            {
                "kind": "企业诉求",
                "number": demand["number"],
                "title": demand["title"],
                "department": demand["department__name"],
                "deadline": demand["due_on"],
                "light": str(value) if value else None,
                "note": str(DemandStatus(demand["status"]).label),
                "url": demand_url(demand["pk"]),
            }
        )
    return sorted(rows, key=lambda r: (r["deadline"] is None, r["deadline"] or today, r["number"]))


def demand_url(pk) -> str:
    from django.urls import reverse

    return reverse("demands:demand", args=[pk])


# --- rectification ---------------------------------------------------------------------


def close_item(item, evidence: str, evidence_file: str = "", today=None):
    """销号: only with evidence of completion, once (two people closing it at once: the
    second is told it is closed)."""
    with transaction.atomic():
        refresh_locked(item)
        if item.closed_on:
            raise SupervisionError(f"整改事项{item.number}已于{item.closed_on:%Y-%m-%d}销号。")
        if not (evidence or "").strip() and not (evidence_file or "").strip():
            raise SupervisionError(f"整改事项{item.number}销号须提供佐证材料（说明或文件名）。")
        item.evidence = (evidence or "").strip()
        item.evidence_file = (evidence_file or "").strip()
        item.closed_on = today or timezone.localdate()
        item.save()
    return item


@transaction.atomic
def lookback(item, passed: bool, note: str = "", today=None) -> LookbackReview:
    """回头看 of a closed item: a review record; a failed review reopens the item."""
    refresh_locked(item)  # reopened meanwhile by another review: refused
    if not item.closed_on:
        raise SupervisionError(f"整改事项{item.number}尚未销号，不能回头看。")
    review = LookbackReview.objects.create(
        item=item,
        reviewed_on=today or timezone.localdate(),
        result=ReviewResult.PASSED if passed else ReviewResult.REOPENED,
        note=note,
    )
    if not passed:
        item.closed_on = None
        item.save()
    return review
