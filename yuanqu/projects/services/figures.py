"""The key-project figures: 1–N月累计 from the current monthly reports, the plan of a
project's highest list, the day 逾期天数 are counted to, the milestone timeline and the
investment curve of the project page."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from yuanqu.utilities.periods import add_months, month_end

from ..choices import LEVEL_ORDER


def current_progress(project):
    from ..models import MonthlyProgress

    return MonthlyProgress.objects.filter(project=project, is_current=True)


def ytd(project, period: datetime.date) -> Decimal:
    """1–N月累计完成投资: the sum of the current versions of January..period (never typed)."""
    total = (
        current_progress(project)
        .filter(period__year=period.year, period__lte=period)
        .aggregate(total=Sum("month_investment_wan"))["total"]
    )
    # SQLite sums decimals through floats: round back to the field's two places.
    return (total or Decimal(0)).quantize(Decimal("0.01"))


def ytd_by_project(projects, period: datetime.date) -> dict:
    """project id → 1–N月累计完成投资 for many projects in one query (as ``ytd`` for one)."""
    from ..models import MonthlyProgress

    sums = (
        MonthlyProgress.objects.filter(
            project__in=[p.pk for p in projects],
            is_current=True,
            period__year=period.year,
            period__lte=period,
        )
        .values("project")
        .annotate(total=Sum("month_investment_wan"))
    )
    found = {row["project"]: row["total"] for row in sums}
    return {p.pk: (found.get(p.pk) or Decimal(0)).quantize(Decimal("0.01")) for p in projects}


def primary_plan(project, year: int):
    """The project's plan of its highest list that year (省 before 市 before 区), or None."""
    plans = {p.level: p for p in project.plans.all() if p.year == year}
    for level in LEVEL_ORDER:
        if level in plans:
            return plans[level]
    return None


def as_of_day(period: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """The day a month's 逾期天数 (and 开工后未入库天数) are counted to, one rule for the
    light, the milestone timeline, the list, the statistics, the scheduling meeting and every
    export: today while ``period`` is the latest reported month (the last complete month, every
    page's default) or later, so that the figure is the one on the office calendar; the
    month's last day for an earlier month, so that a past month's light stays what it was."""
    today = today or timezone.localdate()
    if period >= add_months(today.replace(day=1), -1):
        return today
    return month_end(period)


def done_by(milestone, as_of: datetime.date) -> bool:
    return milestone.actual_on is not None and milestone.actual_on <= as_of


def overdue_days(milestone, as_of: datetime.date) -> int:
    """逾期天数 of a milestone not done by ``as_of``: calendar days after its planned date (the
    planned day itself is on time, the day after is 1 day overdue); 0 when it was done by then
    or is not due yet."""
    if done_by(milestone, as_of) or milestone.planned_on >= as_of:
        return 0
    return (as_of - milestone.planned_on).days


def late_days(milestone) -> int:
    """Calendar days a done milestone was finished after its planned date (0 when on time)."""
    return max((milestone.actual_on - milestone.planned_on).days, 0)


def wan(value: Decimal) -> str:
    """An amount in 万元 with thousands separators, to the cent unless whole, as the list's
    columns hold it: 1,200 / 1,486.95 / 7,435.30."""
    text = f"{Decimal(value):,.2f}"
    return text.removesuffix(".00")


def json_number(value, digits=2):
    """A Decimal as a float rounded for JSON and charts (None stays None)."""
    return None if value is None else round(float(value), digits)


def investment_curve(project, period: datetime.date) -> dict:
    """Month by month of ``period``'s year: the planned cumulative investment (序时, the
    annual plan phased evenly) and the completed cumulative up to ``period`` (None after)."""
    plan = primary_plan(project, period.year)
    monthly = dict(
        current_progress(project)
        .filter(period__year=period.year, period__lte=period)
        .values_list("period__month", "month_investment_wan")
    )
    planned, done, total = [], [], Decimal(0)
    for month in range(1, 13):
        planned.append(None if plan is None else json_number(plan.annual_plan_wan * month / 12))
        total += monthly.get(month, Decimal(0))
        done.append(json_number(total) if month <= period.month else None)
    return {
        "months": [f"{m}月" for m in range(1, 13)],
        "planned": planned,
        "done": done,
        "plan": json_number(plan.annual_plan_wan) if plan else None,
        "title": f"{period.year}年投资完成曲线（万元）",
    }


@dataclass
class TimelineEntry:
    milestone: object
    status: str  # done, late, overdue, pending
    days: int = 0

    @property
    def label(self) -> str:
        return {
            "done": "按期完成",
            "late": f"滞后{self.days}天完成",
            "overdue": f"逾期{self.days}天未完成",
            "pending": "未到计划日期",
        }[self.status]


def timeline(milestones, as_of: datetime.date) -> list[TimelineEntry]:
    """The milestones by planned date, each done on time, late, overdue (planned date passed,
    not done by ``as_of``: the light's ``as_of_day``, so both say the same 逾期天数) or
    pending. A milestone done after ``as_of`` is shown as it stood that day."""
    entries = []
    for m in sorted(milestones, key=lambda m: m.planned_on):
        if done_by(m, as_of):
            late = late_days(m)
            entries.append(TimelineEntry(m, "late" if late else "done", late))
        elif overdue_days(m, as_of):
            entries.append(TimelineEntry(m, "overdue", overdue_days(m, as_of)))
        else:
            entries.append(TimelineEntry(m, "pending"))
    return entries
