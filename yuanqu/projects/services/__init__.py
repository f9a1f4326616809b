"""Computations of the key-project book, by concern:

- ``figures``: 1–N月累计, the primary plan, 逾期天数 and the day they are counted to, the
  milestone timeline and the investment curve;
- ``lights``: the light rules and a project's light with its reasons (the book, the JSON rows);
- ``recording``: versioned monthly reports, escalation and the meeting's decision;
- ``weekly``: weekly watch and weekly reports;
- ``statistics``: the figures the reports quote;
- ``conversions``: blockers become demands or supervision tasks, through those apps' services.

The app's own modules import from the concern's module. The names below are the app's service
interface for everyone else (the cockpit, the command line, the tests): ``services.light(...)``.
"""

from .conversions import blocker_to_demand, blocker_to_task
from .figures import (
    as_of_day,
    investment_curve,
    late_days,
    overdue_days,
    primary_plan,
    timeline,
    wan,
    ytd,
    ytd_by_project,
)
from .lights import as_json_row, book, check_rules, light, lights_by_project, load_rules
from .recording import decide, escalate, record_progress
from .statistics import statistics
from .weekly import record_weekly, set_watch, week_of, weekly_board

__all__ = [
    "as_json_row",
    "as_of_day",
    "blocker_to_demand",
    "blocker_to_task",
    "book",
    "check_rules",
    "decide",
    "escalate",
    "investment_curve",
    "late_days",
    "light",
    "lights_by_project",
    "load_rules",
    "overdue_days",
    "primary_plan",
    "record_progress",
    "record_weekly",
    "set_watch",
    "statistics",
    "timeline",
    "wan",
    "week_of",
    "weekly_board",
    "ytd",
    "ytd_by_project",
]
