"""One 原因 and one 逾期天数 for a project wherever it is read: the project page (light and
milestone timeline), the list, the list's export, the scheduling meeting and its export, and
the statistics. Days are calendar days after the planned date, counted to today for the latest
month (every page's default) and to the month's last day for an earlier month."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from yuanqu.projects import services
from yuanqu.projects.models import Milestone
from yuanqu.utilities.periods import last_complete_month as default_period

from .conftest import (
    BEHIND_CAUSE,
    OCTOBER,
    OVERDUE_CAUSE,
    list_rows,
    make_project,
    report,
    xlsx_rows,
)
from .test_views import text

LIST = reverse("projects:keyproject_list")
SCHEDULING = reverse("projects:scheduling")
STATISTICS = reverse("projects:statistics")


def test_overdue_days_rule():
    """Planned on the 19th: done that day is on time; not done, the 20th is 1 day overdue."""
    start = Milestone(kind="start", planned_on=datetime.date(2023, 10, 19))
    assert services.overdue_days(start, datetime.date(2023, 10, 19)) == 0
    assert services.overdue_days(start, datetime.date(2023, 10, 20)) == 1
    assert services.overdue_days(start, datetime.date(2023, 10, 31)) == 12
    start.actual_on = datetime.date(2023, 11, 2)  # done after the day counted to: still overdue then
    assert services.overdue_days(start, datetime.date(2023, 10, 31)) == 12
    assert services.overdue_days(start, datetime.date(2023, 11, 2)) == 0
    assert services.late_days(start) == 14


def test_amounts_in_reasons_read_as_the_list_columns():
    assert [services.wan(Decimal(v)) for v in ("1200.00", "7435.30", "104818.74", "0")] == [
        "1,200",
        "7,435.30",
        "104,818.74",
        "0",
    ]


def test_as_of_day_is_today_for_the_latest_month_and_the_end_of_an_earlier_one():
    today = datetime.date(2026, 12, 2)
    assert services.as_of_day(datetime.date(2026, 11, 1), today) == today  # last complete month
    assert services.as_of_day(datetime.date(2026, 12, 1), today) == today  # the running month
    assert services.as_of_day(datetime.date(2026, 10, 1), today) == datetime.date(2026, 10, 31)
    assert services.as_of_day(datetime.date(2026, 1, 1), datetime.date(2026, 1, 5)) == datetime.date(
        2026, 1, 5
    )  # December of the year before is the latest month in early January
    assert services.as_of_day(datetime.date(2025, 12, 1), datetime.date(2026, 1, 5)) == datetime.date(
        2026, 1, 5
    )


def test_a_past_month_shows_the_same_overdue_days_on_page_list_and_export(client, leader, overdue_start):
    client.force_login(leader)
    page = text(client.get(overdue_start.get_absolute_url(), {"period": OCTOBER}))
    assert f"原因 {OVERDUE_CAUSE}" in page
    assert "开工 计划 2023-10-19 · 实际 未完成 · 逾期12天未完成" in page
    assert list_rows(client.get(LIST, {"period": OCTOBER}))["ZD2023-102"]["原因"] == OVERDUE_CAUSE
    export = xlsx_rows(client.get(LIST, {"period": OCTOBER, "export": "xlsx"}))
    assert export["ZD2023-102"]["原因"] == OVERDUE_CAUSE


def test_the_latest_month_counts_to_today_everywhere(client, leader, econ_dept):
    """The case the issue found: the light counted to the month's end, the timeline to today."""
    today = timezone.localdate()
    period = default_period()
    project = make_project("ZD-LATE", econ_dept, plan="1200", year=period.year)
    for month in range(1, period.month + 1):
        report(project, period.year, month, "100")  # on 序时进度: only the node lights
    planned = today - datetime.timedelta(days=12)
    Milestone.objects.create(project=project, kind="start", planned_on=planned)
    cause = f"开工节点逾期12天（计划{planned:%Y-%m-%d}）"
    client.force_login(leader)
    page = text(client.get(project.get_absolute_url()))
    assert cause in page and "逾期12天未完成" in page and f"计至{today:%Y-%m-%d}" in page
    assert list_rows(client.get(LIST))["ZD-LATE"]["原因"] == cause
    assert xlsx_rows(client.get(LIST, {"export": "xlsx"}))["ZD-LATE"]["原因"] == cause


def test_statistics_and_list_count_the_same_reds(client, leader, econ_dept):
    """A start 90 days overdue today is red; counted to the last month's end it would be
    yellow (fewer than 90 days). The statistics and the list's red filter agree on red."""
    today = timezone.localdate()
    period = default_period()
    project = make_project("ZD-90", econ_dept, plan="1200", year=period.year)
    for month in range(1, period.month + 1):
        report(project, period.year, month, "100")
    Milestone.objects.create(project=project, kind="start", planned_on=today - datetime.timedelta(days=90))
    client.force_login(leader)
    response = client.get(STATISTICS, {"period": f"{period:%Y-%m}"})
    reds = next(r for r in response.context["figures"]["lights"] if r["light"] == "red")
    assert reds["count"] == 1
    assert list(list_rows(client.get(LIST, {"light": "red"}))) == ["ZD-90"]
    assert f"计至{today:%Y-%m-%d}" in text(response)


def test_scheduling_meeting_and_project_page_give_the_same_reason(
    client, leader, behind_on_investment, overdue_start
):
    Milestone.objects.create(
        project=behind_on_investment, kind="start", planned_on=datetime.date(2023, 10, 19)
    )
    cause = f"{BEHIND_CAUSE}；{OVERDUE_CAUSE}"
    client.force_login(leader)
    meeting = client.get(SCHEDULING, {"period": OCTOBER})
    assert [(p.code, r.cause) for p, r in meeting.context["reds"]] == [("ZD2023-101", cause)]
    assert cause in text(meeting)
    assert cause in text(client.get(behind_on_investment.get_absolute_url(), {"period": OCTOBER}))
    assert list_rows(client.get(LIST, {"period": OCTOBER}))["ZD2023-101"]["原因"] == cause
    sheet = xlsx_rows(client.get(SCHEDULING, {"period": OCTOBER, "export": "xlsx"}))
    assert sheet["红灯"]["提级理由/亮灯原因"] == cause
