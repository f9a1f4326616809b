"""The working-day clock: REFERENCE §9.1's worked examples, 调休, the receipt rules, a year the
calendar lacks, the CLI and the 工作日历 pages.

requirements.lock pins chinesecalendar 1.11.0, which covers 2004–2026: 2027 is the missing year.
"""

import datetime
import logging
from io import StringIO

import chinese_calendar
import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from yuanqu.core.models import CalendarDay, CalendarYear, ObjectChange
from yuanqu.core.workdays import (
    CalendarMissing,
    add_workdays,
    calendar_warnings,
    deadline,
    is_workday,
    received_on,
    workdays_between,
)

D = datetime.date
MISSING_2027 = "工作日历缺少2027年的节假日安排，请系统管理员在“工作日历”中补录"


def at(*args):
    """An aware datetime in the zone's local time (Asia/Shanghai)."""
    return timezone.make_aware(datetime.datetime(*args))


pytestmark = pytest.mark.django_db


# --- the calendar ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "n", "due"),
    [
        (D(2024, 9, 27), 5, D(2024, 10, 10)),  # spans National Day 10-01…10-07
        (D(2024, 9, 27), 3, D(2024, 10, 8)),  # 2024-09-29 (Sun) is a make-up working day
        (D(2024, 2, 2), 5, D(2024, 2, 8)),  # 2024-02-04 (Sun) is a make-up working day
    ],
)
def test_reference_worked_examples(received, n, due):
    assert add_workdays(received, n) == due
    assert deadline(received, n) == due
    assert workdays_between(received, due) == n


def test_make_up_weekend_days_work_and_holiday_weekdays_rest():
    assert is_workday(D(2024, 10, 12))  # Saturday, 调休上班
    assert is_workday(D(2024, 9, 29))  # Sunday, 调休上班
    assert is_workday(D(2024, 2, 4))  # Sunday, 调休上班 for the Spring Festival
    assert not is_workday(D(2024, 10, 1))  # National Day
    assert not is_workday(D(2024, 10, 7))  # Monday, 调休放假
    assert not is_workday(D(2024, 9, 28))  # an ordinary Saturday
    assert is_workday(D(2024, 9, 25))  # an ordinary Wednesday
    # Through the Spring Festival of 2024: 02-10 … 02-17 off, 02-18 (Sun) works.
    assert add_workdays(D(2024, 2, 9), 1) == D(2024, 2, 18)
    assert add_workdays(D(2024, 10, 11), 1) == D(2024, 10, 12)


def test_between_counts_the_end_not_the_start_and_matches_add():
    assert workdays_between(D(2024, 9, 27), D(2024, 9, 27)) == 0
    assert workdays_between(D(2024, 9, 27), D(2024, 9, 29)) == 1  # the make-up Sunday
    assert workdays_between(D(2024, 9, 30), D(2024, 10, 7)) == 0  # the holiday only
    assert workdays_between(D(2024, 10, 10), D(2024, 9, 27)) == -5
    for start in [D(2024, 1, 1), D(2024, 2, 2), D(2024, 9, 27), D(2025, 1, 24), D(2026, 9, 30)]:
        for n in range(0, 25):
            assert workdays_between(start, add_workdays(start, n)) == n, (start, n)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError, match="工作日数不能为负数"):
        add_workdays(D(2024, 9, 27), -1)


def test_the_seeded_table_is_the_official_calendar():
    days = CalendarDay.objects.all()
    assert days.count() == 108
    assert {d.date.year for d in days} == {2024, 2025, 2026}
    for day in days:
        assert day.is_workday == chinese_calendar.is_workday(day.date), day.date
    national_day = CalendarDay.objects.get(date=D(2024, 10, 1))
    assert (national_day.name, national_day.kind, national_day.is_workday) == ("国庆节", "holiday", False)
    makeup = CalendarDay.objects.get(date=D(2024, 2, 4))
    assert (makeup.name, makeup.get_kind_display(), makeup.is_workday) == ("春节", "调休上班", True)
    assert str(makeup) == "2024-02-04 春节（上班）"


def test_the_override_table_comes_before_the_library():
    CalendarDay.objects.create(date=D(2024, 10, 8), is_workday=False, kind="other", name="台风停工")
    assert add_workdays(D(2024, 9, 27), 3) == D(2024, 10, 9)
    CalendarDay.objects.filter(date=D(2024, 9, 29)).update(is_workday=False, kind="other")
    assert add_workdays(D(2024, 9, 27), 3) == D(2024, 10, 10)


def test_a_day_cannot_be_a_working_holiday():
    with pytest.raises(ValidationError) as holiday:
        CalendarDay(date=D(2027, 1, 1), is_workday=True, kind="holiday", name="元旦").full_clean()
    assert "法定节假日不能是工作日" in str(holiday.value)
    with pytest.raises(ValidationError) as makeup:
        CalendarDay(date=D(2027, 2, 7), is_workday=False, kind="makeup_workday").full_clean()
    assert "调休上班日必须是工作日" in str(makeup.value)


def test_a_long_deadline_loads_each_year_once(django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # 2024 and 2025: one query per year
        due = deadline(D(2024, 1, 2), 400)
    assert due.year == 2025 and workdays_between(D(2024, 1, 2), due) == 400
    CalendarYear.objects.create(year=2027)
    with django_assert_max_num_queries(3):  # 2026 from the table; 2027 declared, then its rows
        add_workdays(D(2026, 12, 1), 200)


# --- receipt rules ---------------------------------------------------------------------


def test_received_after_the_cut_off_hour_counts_from_the_next_working_day():
    assert received_on(at(2024, 9, 27, 16, 59)) == D(2024, 9, 27)
    assert deadline(at(2024, 9, 27, 16, 59), 5) == D(2024, 10, 10)
    # Friday 18:00 counts as received on the next working day, the make-up Sunday 09-29.
    assert received_on(at(2024, 9, 27, 18, 0)) == D(2024, 9, 29)
    assert received_on(at(2024, 9, 27, 17, 0)) == D(2024, 9, 29)
    assert deadline(at(2024, 9, 27, 18, 0), 5) == D(2024, 10, 11)
    # Local time decides: 09:30 UTC is 17:30 in Shanghai.
    utc = datetime.datetime(2024, 9, 27, 9, 30, tzinfo=datetime.UTC)
    assert received_on(utc) == D(2024, 9, 29)


def test_the_cut_off_hour_is_a_setting(settings):
    settings.YUANQU_WORKDAY_CUTOFF_HOUR = 24
    assert received_on(at(2024, 9, 27, 23, 30)) == D(2024, 9, 27)
    settings.YUANQU_WORKDAY_CUTOFF_HOUR = 12
    assert received_on(at(2024, 9, 27, 12, 0)) == D(2024, 9, 29)


def test_received_on_a_day_off_counts_from_the_next_working_day():
    assert received_on(at(2024, 10, 1, 10, 0)) == D(2024, 10, 8)
    assert deadline(at(2024, 10, 1, 10, 0), 1) == D(2024, 10, 9)
    assert received_on(D(2024, 9, 28)) == D(2024, 9, 29)


def test_whether_the_receipt_day_counts_is_a_setting(settings):
    assert deadline(at(2024, 9, 27, 10, 0), 1) == D(2024, 9, 29)
    settings.YUANQU_WORKDAY_COUNT_RECEIPT_DAY = True
    assert deadline(at(2024, 9, 27, 10, 0), 1) == D(2024, 9, 27)
    assert deadline(at(2024, 9, 27, 10, 0), 5) == D(2024, 10, 9)
    assert deadline(at(2024, 9, 27, 18, 0), 1) == D(2024, 9, 29)


# --- a year the calendar lacks ---------------------------------------------------------


def test_a_year_the_calendar_lacks_is_an_error_not_a_guess():
    with pytest.raises(CalendarMissing) as missing:
        add_workdays(D(2026, 12, 20), 20)
    assert str(missing.value) == MISSING_2027
    assert missing.value.year == 2027
    with pytest.raises(CalendarMissing, match="工作日历缺少2003年"):
        is_workday(D(2003, 6, 2))
    # Rows alone do not make the year known: the other holidays may still be missing.
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, kind="holiday", name="元旦")
    with pytest.raises(CalendarMissing):
        workdays_between(D(2026, 12, 30), D(2027, 1, 5))
    # A year being prepared (not yet complete) is not known either.
    CalendarYear.objects.create(year=2027, complete=False)
    with pytest.raises(CalendarMissing):
        add_workdays(D(2026, 12, 31), 1)


def test_a_year_declared_complete_counts_with_its_rows_and_otherwise_monday_to_friday():
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, kind="holiday", name="元旦")
    CalendarYear.objects.create(year=2027, complete=True, notes="国办发明电〔2026〕X号")
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)  # 01-01 (Fri) off, then the weekend
    assert workdays_between(D(2026, 12, 30), D(2027, 1, 8)) == 6
    assert not is_workday(D(2027, 1, 9))
    assert deadline(at(2026, 12, 31, 18, 0), 5) == D(2027, 1, 11)


def test_a_deadline_in_a_missing_year_alerts_the_administrators(settings, sysadmin, caplog):
    cache.clear()
    settings.ADMINS = [("运维值班", "ops@example.com")]
    sysadmin.email = "sysadmin@example.com"
    sysadmin.save()
    with caplog.at_level(logging.WARNING, logger="yuanqu.core.workdays"), pytest.raises(CalendarMissing):
        deadline(at(2026, 12, 20, 9, 0), 20)
    assert MISSING_2027 in caplog.text
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "ops@example.com",
        "sysadmin@example.com",
    ]
    assert all("工作日历缺少2027年的节假日安排" in message.subject for message in mail.outbox)
    assert "日历年度" in mail.outbox[0].body
    # Repeated the same day: logged again, mailed once.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="yuanqu.core.workdays"), pytest.raises(CalendarMissing):
        deadline(at(2026, 12, 21, 9, 0), 20)
    assert MISSING_2027 in caplog.text
    assert len(mail.outbox) == 2


def test_calendar_warnings_name_the_years_within_the_next_365_days():
    assert calendar_warnings(D(2025, 6, 1)) == []
    warnings = calendar_warnings(D(2026, 11, 23))
    assert len(warnings) == 1 and warnings[0].startswith(MISSING_2027)
    CalendarYear.objects.create(year=2027, complete=False)
    assert len(calendar_warnings(D(2026, 11, 23))) == 1
    CalendarYear.objects.filter(year=2027).update(complete=True)
    assert calendar_warnings(D(2026, 11, 23)) == []
    assert "2028年" in calendar_warnings(D(2027, 3, 1))[0]


# --- the CLI ---------------------------------------------------------------------------


def run(*args):
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_cli_add_and_between():
    assert run("add", "2024-09-27", "5") == "2024-10-10"
    assert run("add", "2024-02-02", "5") == "2024-02-08"
    assert run("add", "2024-09-27", "0") == "2024-09-27"
    assert run("between", "2024-09-27", "2024-10-10") == "5"
    assert run("between", "2024-10-10", "2024-09-27") == "-5"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "2026-12-20", "20"), MISSING_2027),
        (("between", "2026-12-01", "2027-01-31"), MISSING_2027),
        (("add", "2024-02-30", "5"), "日期“2024-02-30”无效，应为YYYY-MM-DD格式的日期"),
        (("between", "2024/09/27", "2024-10-10"), "日期“2024/09/27”无效"),
        (("add", "2024-09-27", "五"), "工作日数“五”无效，应为0或正整数"),
        (("add", "2024-09-27", "-3"), "工作日数“-3”无效"),
    ],
)
def test_cli_refuses_with_exit_status_1(args, message):
    with pytest.raises(CommandError) as refused:
        run(*args)
    assert message in str(refused.value)
    assert refused.value.returncode == 1


def test_cli_works_once_the_administrator_completes_the_year():
    CalendarDay.objects.create(date=D(2027, 1, 1), is_workday=False, kind="holiday", name="元旦")
    CalendarYear.objects.create(year=2027)
    assert run("add", "2026-12-31", "1") == "2027-01-04"


# --- the 工作日历 pages ------------------------------------------------------------------


def test_sysadmin_adds_a_calendar_day_and_it_is_in_the_change_log(client, sysadmin):
    client.force_login(sysadmin)
    page = client.get(reverse("core:calendarday_list")).content.decode()
    assert "2024-01-01" in page and "元旦" in page
    # Each year within the next 365 days that the calendar lacks is a red message.
    warnings = calendar_warnings()
    assert page.count('class="msg error calendar-warning"') == len(warnings)
    assert all(warning in page for warning in warnings)
    data = {"date": "2027-01-01", "kind": "holiday", "name": "元旦", "notes": "国办发明电〔2026〕X号"}
    response = client.post(reverse("core:calendarday_add"), data)
    day = CalendarDay.objects.get(date=D(2027, 1, 1))
    assert response.status_code == 302 and response.url == reverse("core:calendarday", args=[day.pk])
    assert not day.is_workday and day.name == "元旦"
    change = ObjectChange.objects.get(content_type__model="calendarday", object_id=str(day.pk))
    assert (change.action, change.user_name, change.postchange_data["name"]) == ("create", "sysadmin", "元旦")
    assert "元旦" in client.get(day.get_absolute_url()).content.decode()
    # A holiday marked as a working day is refused with the reason.
    refused = client.post(reverse("core:calendarday_add"), {**data, "date": "2027-10-01", "is_workday": "on"})
    assert refused.status_code == 200 and "法定节假日不能是工作日" in refused.content.decode()
    # Declaring the year complete clears the red warning for it.
    response = client.post(reverse("core:calendaryear_add"), {"year": "2027", "complete": "on"})
    assert response.status_code == 302
    assert "工作日历缺少2027年" not in client.get(reverse("core:calendarday_list")).content.decode()
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_staff_read_the_calendar_but_cannot_change_it(client, alice):
    client.force_login(alice)
    assert client.get(reverse("core:calendarday_list")).status_code == 200
    assert client.get(reverse("core:calendarday_add")).status_code == 403
    response = client.post(reverse("core:calendarday_add"), {"date": "2027-01-01", "kind": "holiday"})
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date=D(2027, 1, 1)).exists()
    seeded = CalendarDay.objects.get(date=D(2024, 10, 1))
    assert client.post(reverse("core:calendarday_delete", args=[seeded.pk])).status_code == 404
    assert CalendarDay.objects.filter(pk=seeded.pk).exists()


def test_the_calendar_can_be_granted_like_any_domain_record_but_not_to_auditors(client, secadmin, bob):
    client.force_login(secadmin)
    grant = {"name": "李波维护工作日历", "enabled": "on", "user": bob.pk, "model": "core.calendarday",
             "actions": ["view", "add", "change"], "constraint": "all"}
    assert client.post(reverse("users:objectpermission_add"), grant).status_code == 302
    to_auditor = {**grant, "name": "审计员查看日历", "user": "", "role": "auditor", "actions": ["view"]}
    refused = client.post(reverse("users:objectpermission_add"), to_auditor)
    assert refused.status_code == 200 and "审计员只能查看审计记录" in refused.content.decode()
    client.force_login(bob)
    response = client.post(reverse("core:calendarday_add"), {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 302
    assert ObjectChange.objects.get(content_type__model="calendarday", action="create").user_name == "bob"
