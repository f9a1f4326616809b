"""序时进度 and 完成率: how far a year's target (an indicator's, a project's annual plan) should
be by a month, how far it is, and the gap in the words every report uses (REFERENCE §4.5).

A figure that may not exist comes back as a ``Figure`` with a ``note`` saying why, never a
silent 0 or a division error; values stay ``Decimal``, rounded only for display.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

HUNDRED = Decimal(100)


@dataclass
class Figure:
    """A computed value, or None with the reason in ``note``."""

    value: Decimal | None
    note: str = ""


@dataclass
class Progress:
    completion: Decimal | None
    time_progress: Decimal
    gap_pp: Decimal | None
    note: str = ""


def time_progress(
    period: datetime.date, basis: str = "months", phasing=None, on: datetime.date | None = None
) -> Decimal:
    """序时进度 at the end of ``period``: months/12, the target's own phasing, or days elapsed
    / days in the year (``basis="days"``, up to ``on`` or the month's last day)."""
    if phasing:
        return Decimal(str(phasing[period.month - 1]))
    if basis == "days":
        end = on or period.replace(day=calendar.monthrange(period.year, period.month)[1])
        days_in_year = 366 if calendar.isleap(end.year) else 365
        return Decimal(end.timetuple().tm_yday) / Decimal(days_in_year)
    if basis != "months":
        raise ValueError(f"未知的序时进度口径“{basis}”，应为 months 或 days")
    return Decimal(period.month) / Decimal(12)


def completion_rate(ytd: Decimal | None, target: Decimal | None) -> Figure:
    """完成率 = 1–N月累计 / 年度目标."""
    if target is None:
        return Figure(None, "未设定年度目标值")
    if ytd is None:
        return Figure(None, "本期无累计数据")
    if target <= 0:
        return Figure(None, "目标值不大于0，完成率无意义")
    return Figure(ytd / target)


def progress(ytd, target, period, basis="months", phasing=None, on=None) -> Progress:
    """完成率, 序时进度 and the gap in percentage points."""
    elapsed = time_progress(period, basis, phasing, on)
    done = completion_rate(ytd, target)
    if done.value is None:
        return Progress(None, elapsed, None, done.note)
    return Progress(done.value, elapsed, (done.value - elapsed) * HUNDRED)


def gap_text(gap_pp: Decimal | None) -> str:
    """“落后序时进度5.7个百分点” / “超序时进度1.2个百分点” / “与序时进度持平”."""
    if gap_pp is None:
        return ""
    rounded = round(gap_pp, 1)
    if rounded == 0:
        return "与序时进度持平"
    return f"{'超' if rounded > 0 else '落后'}序时进度{abs(rounded)}个百分点"
