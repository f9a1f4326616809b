"""Months and years: the arithmetic and the parsing of ``?period=`` / ``?year=`` / ``?zone=``.

A *period* is a month, stored as its first day (``datetime.date(2023, 10, 1)``). Every page,
importer, command and service computes months here, so that “the previous month”, “the same
month last year” and “1–N月” mean the same thing everywhere, and a bad parameter in a URL is
a Chinese message (or the page's default), never a server error.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

# The years a period or a ``?year=`` may name: wide enough for any archive or plan, narrow
# enough that month arithmetic around them never leaves ``datetime.date``'s range.
FIRST_YEAR = 1900
LAST_YEAR = 2999
PERIOD_HINT = "应为“2023-10”这样的年-月"


# --- arithmetic -----------------------------------------------------------------------------


def month_start(day: datetime.date) -> datetime.date:
    """The period a day falls in (its month's first day)."""
    return day.replace(day=1)


def month_end(period: datetime.date) -> datetime.date:
    """The month's last day."""
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def add_months(period: datetime.date, months: int) -> datetime.date:
    """The period ``months`` later (earlier when negative), as a month's first day."""
    index = period.year * 12 + period.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def shift_date(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, clamped to the month's last day (1-31 + 1 month = 2-28/29)."""
    first = add_months(day.replace(day=1), months)
    return first.replace(day=min(day.day, calendar.monthrange(first.year, first.month)[1]))


def previous_month(period: datetime.date) -> datetime.date:
    return add_months(period, -1)


def same_month_last_year(period: datetime.date) -> datetime.date:
    """上年同月: the period twelve months earlier."""
    return datetime.date(period.year - 1, period.month, 1)


def last_complete_month(today: datetime.date | None = None) -> datetime.date:
    """The last complete month: every month page's default."""
    return add_months((today or timezone.localdate()).replace(day=1), -1)


def month_range(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The periods from ``first`` to ``last``, both included (empty when ``last`` is earlier)."""
    first, last = first.replace(day=1), last.replace(day=1)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, n) for n in range(max(count, 0))]


def year_to_date(period: datetime.date) -> list[datetime.date]:
    """1–N月: January to ``period`` of its year."""
    return month_range(datetime.date(period.year, 1, 1), period)


def describe(period: datetime.date) -> str:
    """“2023年10月”."""
    return f"{period.year}年{period.month}月"


def describe_ytd(period: datetime.date) -> str:
    """“2023年1–10月” (“2023年1月” for January)."""
    if period.month == 1:
        return describe(period)
    return f"{period.year}年1–{period.month}月"


# --- parsing --------------------------------------------------------------------------------


def parse_period(text) -> datetime.date:
    """“2023-10” (or “2023-10-01”) → the month's first day; a Chinese ValidationError otherwise
    that names the text and what is wrong with it."""
    raw = str(text if text is not None else "").strip()
    parts = raw.split("-")
    if len(parts) not in (2, 3) or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValidationError(f"月份“{raw}”格式不对，{PERIOD_HINT}")
    year, month = int(parts[0]), int(parts[1])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(f"月份“{raw}”格式不对，年份{year}超出范围（{FIRST_YEAR}–{LAST_YEAR}）")
    if not 1 <= month <= 12 or (
        len(parts) == 3 and not 1 <= int(parts[2]) <= calendar.monthrange(year, month)[1]
    ):
        raise ValidationError(f"月份“{raw}”格式不对，{PERIOD_HINT}")
    return datetime.date(year, month, 1)


def parse_year(text) -> int:
    """“2024” → 2024; a Chinese ValidationError for anything else (negative, non-digits,
    out of range)."""
    raw = str(text if text is not None else "").strip()
    if not (raw.isascii() and raw.isdigit()):
        raise ValidationError(f"年份“{raw}”格式不对，应为“2024”这样的四位数字")
    year = int(raw)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(f"年份{year}超出范围（{FIRST_YEAR}–{LAST_YEAR}）")
    return year


def period_param(request, default, name="period") -> tuple[datetime.date, str]:
    """The month a page was asked for (``?period=2023-10``) and "" — or, when the parameter is
    missing, the default (a date or a callable giving one), and when it is malformed the
    default with the Chinese error to show on the page."""
    text = (request.GET.get(name) or "").strip()
    if text:
        try:
            return parse_period(text), ""
        except ValidationError as exc:
            return (default() if callable(default) else default), exc.messages[0]
    return (default() if callable(default) else default), ""


def year_param(request, default, name="year") -> tuple[int, str]:
    """As ``period_param`` for ``?year=2024``."""
    text = (request.GET.get(name) or "").strip()
    if text:
        try:
            return parse_year(text), ""
        except ValidationError as exc:
            return (default() if callable(default) else default), exc.messages[0]
    return (default() if callable(default) else default), ""


def id_param(request, name) -> int | None:
    """A record id from the query string (``?zone=3``), or None when missing or not a
    plausible id (non-digits, or too large for the database's integer)."""
    text = (request.GET.get(name) or "").strip()
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def zone_param(request, name="zone"):
    """The 片区 of ``?zone=`` (any zone: zones are reference data every user may name), or None
    for a missing, malformed or unknown id."""
    from yuanqu.users.models import Zone

    pk = id_param(request, name)
    return Zone.objects.filter(pk=pk).first() if pk is not None else None
