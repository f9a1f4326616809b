"""The working-day clock: deadlines counted in working days (工作日) on the official calendar.

Where a day's status comes from, first match wins:

1. the override table ``core.CalendarDay`` (工作日历, kept by the system administrator);
2. chinesecalendar (statutory holidays and 调休 make-up working days; 2004–2026 in 1.11);
3. Monday to Friday — only for a year an administrator has declared complete
   (``core.CalendarYear`` with ``complete``).

**A year is known** when chinesecalendar covers it OR an administrator has declared it
complete. Any other year raises ``CalendarMissing`` with a Chinese message naming the year:
the clock never guesses Monday to Friday for a year whose holidays nobody has entered. Rows
in CalendarDay alone do not make a year known (one entered holiday says nothing about the
others); the declaration does.

Counting (REFERENCE §9.1): *n* working days after a date are found by stepping one calendar
day at a time from the day after it, counting the days the calendar marks as working days
(make-up weekend days included) until *n* are counted; ``add_workdays(d, 0) == d``.
``workdays_between(a, b)`` counts the working days in (a, b] — ``a`` not counted, ``b``
counted — so that ``workdays_between(d, add_workdays(d, n)) == n``; when ``b`` is before
``a`` it is ``-workdays_between(b, a)`` (how many working days a deadline is overdue).

Receipt (local rules, both settings): ``received_on(dt)`` is the working day a request counts
as received — one received at or after ``YUANQU_WORKDAY_CUTOFF_HOUR`` local time (default
17) counts from the next day, and one received on a day off from the next working day.
``deadline(received_at, n)`` is the due date: *n* working days after that day, the receipt
day itself not counted unless ``YUANQU_WORKDAY_COUNT_RECEIPT_DAY`` is true (then it is the
first of the *n*, so ``n=1`` is due the day of receipt). A deadline that reaches a year the
calendar lacks also alerts the administrators (log warning and e-mail, once a day per year).

Lookups are cached per call: a ``WorkCalendar`` loads each year's overrides once; pass one
``calendar=`` to several calls to share it.
"""

import datetime
import functools
import logging

import chinese_calendar
from django.conf import settings
from django.core.cache import cache
from django.core.mail import mail_admins, send_mail
from django.utils import timezone

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)
# The years the installed chinesecalendar has data for.
LIBRARY_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


class CalendarMissing(Exception):
    """The calendar has no holiday schedule for this year."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(f"工作日历缺少{year}年的节假日安排，请系统管理员在“工作日历”中补录")


def year_known(year: int) -> bool:
    from .models import CalendarYear

    return year in LIBRARY_YEARS or CalendarYear.objects.filter(year=year, complete=True).exists()


class WorkCalendar:
    """The calendar as one computation sees it: each year checked and loaded once."""

    def __init__(self):
        self._overrides: dict[int, dict[datetime.date, bool]] = {}

    def _year(self, year: int) -> dict[datetime.date, bool]:
        if year not in self._overrides:
            from .models import CalendarDay

            if not year_known(year):
                raise CalendarMissing(year)
            rows = CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
            self._overrides[year] = dict(rows)
        return self._overrides[year]

    def is_workday(self, day: datetime.date) -> bool:
        overrides = self._overrides.get(day.year)
        if overrides is None:
            overrides = self._year(day.year)
        if day in overrides:
            return overrides[day]
        return _published_workday(day)


@functools.cache
def _published_workday(day: datetime.date) -> bool:
    """The State Council's arrangement as the library carries it (weekends otherwise): fixed
    for a process, asked for every day of every deadline and overdue count."""
    if day.year in LIBRARY_YEARS:
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def is_workday(day: datetime.date, calendar: WorkCalendar | None = None) -> bool:
    return (calendar or WorkCalendar()).is_workday(day)


def add_workdays(day: datetime.date, n: int, calendar: WorkCalendar | None = None) -> datetime.date:
    """The date *n* working days after ``day`` (``day`` itself not counted)."""
    if n < 0:
        raise ValueError("工作日数不能为负数")
    calendar = calendar or WorkCalendar()
    counted = 0
    while counted < n:
        day += ONE_DAY
        if calendar.is_workday(day):
            counted += 1
    return day


def workdays_between(start: datetime.date, end: datetime.date, calendar: WorkCalendar | None = None) -> int:
    """The working days in (start, end]; negative when ``end`` is before ``start``."""
    if end < start:
        return -workdays_between(end, start, calendar)
    calendar = calendar or WorkCalendar()
    return sum(calendar.is_workday(start + datetime.timedelta(days=i)) for i in range(1, (end - start).days + 1))


def received_on(received_at: datetime.datetime | datetime.date, calendar: WorkCalendar | None = None) -> datetime.date:
    """The working day a request counts as received (cut-off hour and days off applied).

    A plain date has no time of day, so the cut-off does not apply to it.
    """
    if isinstance(received_at, datetime.datetime):
        local = timezone.localtime(received_at) if timezone.is_aware(received_at) else received_at
        day = local.date()
        if local.hour >= settings.YUANQU_WORKDAY_CUTOFF_HOUR:
            day += ONE_DAY
    else:
        day = received_at
    calendar = calendar or WorkCalendar()
    while not calendar.is_workday(day):
        day += ONE_DAY
    return day


def deadline(
    received_at: datetime.datetime | datetime.date, n: int, calendar: WorkCalendar | None = None
) -> datetime.date:
    """The due date of something received at ``received_at`` with *n* working days to act."""
    calendar = calendar or WorkCalendar()
    try:
        start = received_on(received_at, calendar)
        if settings.YUANQU_WORKDAY_COUNT_RECEIPT_DAY and n > 0:
            return add_workdays(start, n - 1, calendar)
        return add_workdays(start, n, calendar)
    except CalendarMissing as exc:
        alert_calendar_missing(exc.year)
        raise


def missing_years(today: datetime.date | None = None) -> list[int]:
    """Years within the next 365 days that the calendar lacks."""
    today = today or timezone.localdate()
    last = today + datetime.timedelta(days=365)
    return [year for year in range(today.year, last.year + 1) if not year_known(year)]


def calendar_warnings(today: datetime.date | None = None) -> list[str]:
    """What the administrator must do about the calendar, one message per missing year."""
    return [
        f"{CalendarMissing(year)}。涉及该年的办理期限在补录前无法计算；"
        f"可在“工作日历”中按国务院办公厅关于{year}年部分节假日安排的通知粘贴录入（确认后即声明完整），"
        f"或逐日补录全部法定节假日和调休上班日后，在“日历年度”中声明{year}年已完整录入。"
        for year in missing_years(today)
    ]


def alert_calendar_missing(year: int) -> None:
    """Tell the administrators a deadline hit a missing year: a log warning every time,
    an e-mail (ADMINS and active system administrators) once a day per year."""
    from yuanqu.users.choices import Role
    from yuanqu.users.models import User

    message = str(CalendarMissing(year))
    logger.warning("%s（办理期限计算失败）", message)
    if not cache.add(f"yuanqu:calendar-missing:{year}:{timezone.localdate()}", True, 24 * 3600):
        return
    subject = f"工作日历缺少{year}年的节假日安排"
    body = (
        f"{message}。\n\n有办理期限需要按{year}年的工作日计算，但系统没有该年的法定节假日和调休安排，"
        f"期限无法计算。请在“工作日历”中点“按国务院通知录入”，粘贴国务院办公厅关于{year}年部分节假日安排的通知，"
        f"核对后确认保存；或逐日补录{year}年的法定节假日和调休上班日，然后在“日历年度”中声明{year}年已完整录入。"
    )
    mail_admins(subject, body, fail_silently=True)
    admins = {email for _, email in settings.ADMINS}
    recipients = sorted(
        set(User.objects.filter(role=Role.SYSADMIN, is_active=True).exclude(email="").values_list("email", flat=True))
        - admins
    )
    if recipients:
        send_mail(settings.EMAIL_SUBJECT_PREFIX + subject, body, None, recipients, fail_silently=True)
