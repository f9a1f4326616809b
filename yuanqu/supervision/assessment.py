"""目标管理考核: the department ranking the supervision office publishes (周通报 / 月小结).

For each department and period [start_on, end_on] five rates (in %) are measured:

* 任务按时完成率 — of the tasks it leads that fall due in the period (not cancelled), those
  done on or before their due date (``done_on <= due_on``);
* 按时报送率 — of the report dates its open tasks had in the period (the task's start plus
  whole cycles, up to its due date), those met by a report filed after the previous date and
  on or before that one;
* 诉求按时办结率 and 诉求满意率 — ``demands.services.statistics`` for demands received in
  the period, the department's row;
* 目标完成率 — the targets of the year's target sheet (``targets.Target``) the department is
  responsible for, judged by ``targets.progress.stand`` (console rights) at the last complete
  month of the period: the month of ``end_on`` when ``end_on`` is that month's last day, else
  the month before (a week ending 10-06 is judged at September; a month's 小结 at its own
  month). The targets are those of that month's year, so a week early in January judges last
  year's sheet at December. Rate = (green + 0.5 × yellow) / targets with a light; targets
  without a light (no data, no report yet) are left out, and none lit is nothing to rate.

A component scores ``weight × rate / 100``; a department with nothing to rate in a component
gets the full weight (nothing went wrong). The deduction is ``overdue_deduction`` per overdue
item at the end of the period (an open task past due, a rectification item not closed by its
deadline) plus ``notice_deduction`` per 通报 in the period; the total never goes below 0.
Ranks are competition ranks (equal totals share a rank: 1, 1, 3); the change is last period's
rank minus this one (+2: up two places), from the latest earlier period of the same kind.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from yuanqu.targets.choices import Light
from yuanqu.targets.progress import sheet, stand
from yuanqu.users.models import Department

from .choices import OPEN_STATUSES, TaskStatus
from .models import AssessmentPeriod, AssessmentScore, RectificationItem, Task
from .services import missed, next_report_due

CENT = Decimal("0.01")
TENTH = Decimal("0.1")
COMPONENTS = [
    ("task", "weight_tasks", "任务按时完成"),
    ("report", "weight_reports", "按时报送"),
    ("demand_on_time", "weight_demands_on_time", "诉求按时办结"),
    ("demand_satisfied", "weight_demands_satisfied", "诉求满意"),
    ("target", "weight_targets", "目标完成"),
]
HALF = Decimal("0.5")


def rate(part: int, whole: int) -> Decimal | None:
    return (Decimal(100) * part / whole).quantize(TENTH, ROUND_HALF_UP) if whole else None


def component_score(weight, value) -> Decimal:
    """weight × rate / 100; the full weight when there was nothing to rate."""
    weight = Decimal(weight)
    if value is None:
        return weight.quantize(CENT)
    return (weight * Decimal(value) / 100).quantize(CENT, ROUND_HALF_UP)


def task_counts(tasks, start, end) -> tuple[int, int]:
    """(done on time, due) for the tasks due in [start, end]."""
    due = [t for t in tasks if start <= t.due_on <= end and t.status != TaskStatus.CANCELLED]
    on_time = [t for t in due if t.status == TaskStatus.DONE and t.done_on and t.done_on <= t.due_on]
    return len(on_time), len(due)


def report_windows(task, start, end) -> list[tuple[datetime.date, datetime.date]]:
    """(previous date, date) for each scheduled report date in [start, end]: the task's start
    plus whole cycles, not after its due date."""
    windows, previous = [], task.start_on
    day = next_report_due(task.report_cycle, previous)
    while day <= min(end, task.due_on):
        if day >= start:
            windows.append((previous, day))
        previous, day = day, next_report_due(task.report_cycle, day)
    return windows


def report_counts(task, reported_on: list[datetime.date], start, end) -> tuple[int, int]:
    """(met, scheduled): a date is met by a report after the previous date, on or before it."""
    if task.status == TaskStatus.CANCELLED:
        return 0, 0
    windows = report_windows(task, start, end)
    met = sum(1 for previous, day in windows if any(previous < r <= day for r in reported_on))
    return met, len(windows)


def overdue_count(tasks, items, end, calendar=None) -> int:
    """Items overdue at the end of the period: open tasks past due, items not closed in time."""
    count = sum(1 for t in tasks if t.status in OPEN_STATUSES and missed(t.due_on, end, calendar))
    count += sum(
        1
        for i in items
        if (i.closed_on is None or i.closed_on > end) and i.due_on < end and missed(i.due_on, end, calendar)
    )
    return count


def judged_month(period) -> datetime.date:
    """The last complete month within the period (its first day): ``end_on``'s month when
    ``end_on`` is the month's last day, else the month before."""
    end = period.end_on
    if (end + datetime.timedelta(days=1)).day == 1:
        return end.replace(day=1)
    return (end.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def target_rate(lights: list[str]) -> Decimal | None:
    """(green + 0.5 × yellow) / targets with a light, in %; None when none is lit."""
    lit = [light for light in lights if light]
    if not lit:
        return None
    points = lit.count(Light.GREEN) + HALF * lit.count(Light.YELLOW)
    return (Decimal(100) * points / len(lit)).quantize(TENTH, ROUND_HALF_UP)


def target_lights(period) -> dict[int, list[str]]:
    """department id → the lights of the targets it is responsible for, at the judged month."""
    month = judged_month(period)
    targets = sheet(month.year).exclude(department=None)
    lights: dict[int, list[str]] = {}
    for standing in stand(targets, month):
        lights.setdefault(standing.target.department_id, []).append(standing.light)
    return lights


@dataclass
class Row:
    department: Department
    rates: dict
    scores: dict
    overdue: int
    notices: int
    deduction: Decimal
    total: Decimal
    rank: int = 0
    change: int | None = None


def score_row(period, department, rates: dict, overdue: int, notices: int) -> Row:
    """One department's scores from its five rates and its counts, by the period's rules."""
    scores = {key: component_score(getattr(period, weight), rates[key]) for key, weight, _ in COMPONENTS}
    deduction = (
        overdue * Decimal(period.overdue_deduction) + notices * Decimal(period.notice_deduction)
    ).quantize(CENT)
    total = max(Decimal("0.00"), sum(scores.values()) - deduction).quantize(CENT)
    return Row(department, rates, scores, overdue, notices, deduction, total)


def rank(rows: list[Row]) -> list[Row]:
    """Sort by total (then name) and give competition ranks: equal totals share a rank."""
    rows = sorted(rows, key=lambda r: (-r.total, r.department.name))
    for i, row in enumerate(rows):
        row.rank = rows[i - 1].rank if i and row.total == rows[i - 1].total else i + 1
    return rows


def compute(period, today=None, calendar=None) -> list[Row]:
    """The ranking of every department that leads a task, handled a demand in the period or is
    responsible for a target of the judged month's year."""
    from yuanqu.demands.services import statistics

    start, end = period.start_on, period.end_on
    tasks = list(Task.objects.exclude(department=None).prefetch_related("reports"))
    items = list(RectificationItem.objects.exclude(department=None))
    _, demand_rows = statistics(start, end, today=today or max(end, timezone.localdate()))
    demands = {row.label: row for row in demand_rows}
    notices: dict[int, int] = {}
    for department_id in period.notices.values_list("department_id", flat=True):
        notices[department_id] = notices.get(department_id, 0) + 1
    lights = target_lights(period)
    department_ids = {t.department_id for t in tasks} | set(notices) | set(lights)
    departments = Department.objects.filter(pk__in=department_ids) | Department.objects.filter(
        name__in=demands
    )
    rows = []
    for department in departments.distinct().order_by("name"):
        own = [t for t in tasks if t.department_id == department.pk]
        done, due = task_counts(own, start, end)
        met = scheduled = 0
        for task in own:
            m, s = report_counts(task, [r.reported_on for r in task.reports.all()], start, end)
            met, scheduled = met + m, scheduled + s
        stats = demands.get(department.name)
        rates = {
            "task": rate(done, due),
            "report": rate(met, scheduled),
            "demand_on_time": _decimal(stats.on_time_rate) if stats else None,
            "demand_satisfied": _decimal(stats.satisfaction_rate) if stats else None,
            "target": target_rate(lights.get(department.pk, [])),
        }
        own_items = [i for i in items if i.department_id == department.pk]
        overdue = overdue_count(own, own_items, end, calendar)
        rows.append(score_row(period, department, rates, overdue, notices.get(department.pk, 0)))
    return rank(rows)


def _decimal(value):
    return None if value is None else Decimal(str(value)).quantize(TENTH, ROUND_HALF_UP)


@transaction.atomic
def save(period, rows: list[Row]) -> list[AssessmentScore]:
    """Replace the period's stored scores by ``rows`` (each delete and create change-logged)."""
    for score in period.scores.all():
        score.delete()
    saved = [
        AssessmentScore.objects.create(
            period=period,
            department=row.department,
            task_rate=row.rates["task"],
            report_rate=row.rates["report"],
            demand_on_time_rate=row.rates["demand_on_time"],
            demand_satisfied_rate=row.rates["demand_satisfied"],
            target_rate=row.rates["target"],
            task_score=row.scores["task"],
            report_score=row.scores["report"],
            demand_on_time_score=row.scores["demand_on_time"],
            demand_satisfied_score=row.scores["demand_satisfied"],
            target_score=row.scores["target"],
            overdue_count=row.overdue,
            notice_count=row.notices,
            deduction=row.deduction,
            total=row.total,
            rank=row.rank,
        )
        for row in rows
    ]
    period.computed_at = timezone.now()
    period.save()
    return saved


def previous_period(period):
    return (
        AssessmentPeriod.objects.filter(kind=period.kind, end_on__lt=period.start_on)
        .order_by("-end_on")
        .first()
    )


def ranking(period, scores) -> list[dict]:
    """The published table: the stored scores with the change of rank from last period."""
    before = previous_period(period)
    last = dict(before.scores.values_list("department_id", "rank")) if before else {}
    return [
        {"score": s, "change": last[s.department_id] - s.rank if s.department_id in last else None}
        for s in scores
    ]
