"""The system administrator pastes next year's holiday notice, checks it on the calendar and
confirms; the calendar page then lists the year and its red warning is gone."""

import datetime
from pathlib import Path

import pytest

from yuanqu.core.models import CalendarDay, CalendarYear
from yuanqu.core.workdays import add_workdays

from .conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTICE_2027 = (Path(__file__).parents[1] / "core" / "tests" / "notices" / "2027_example.txt").read_text(
    encoding="utf-8"
)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_sysadmin_pastes_the_notice_checks_the_calendar_and_confirms(page, sysadmin):
    login_as(page, "sysadmin")
    page.goto("/calendar/")
    page.get_by_role("link", name="按国务院通知录入").click()
    page.wait_for_url("**/calendar/notice/")
    page.fill("#id_text", NOTICE_2027)
    page.click("#notice-form button[type=submit]")
    preview = page.locator("#notice-preview")
    assert "读取结果：国务院办公厅关于2027年部分节假日安排的通知" in preview.inner_text()
    assert page.locator("#holiday-count").inner_text() == "29"
    assert page.locator("#workday-count").inner_text() == "5"
    # February on the grid: 5…13 off, 20 (Sat) worked.
    february = page.locator(".notice-month", has_text="2月").first
    assert february.locator("td.holiday").all_inner_texts() == [str(d) for d in range(5, 14)]
    assert february.locator("td.workday").all_inner_texts() == ["20"]
    assert no_horizontal_scroll(page)
    page.screenshot(path="/tmp/calendar-notice-laptop.png", full_page=True)
    assert not CalendarYear.objects.filter(year=2027).exists()

    page.click("#notice-confirm button[type=submit]")
    page.wait_for_url("**/calendar/?year=2027")
    assert "已按通知保存2027年工作日历" in page.locator(".messages").inner_text()
    assert page.locator(".calendar-warning", has_text="2027年").count() == 0
    assert CalendarDay.objects.filter(date__year=2027).count() == 34
    assert CalendarYear.objects.get(year=2027).complete
    assert add_workdays(datetime.date(2026, 12, 31), 1) == datetime.date(2027, 1, 4)


def test_the_notice_page_on_a_phone(browser, live_server, sysadmin):
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 390, "height": 844}, base_url=live_server.url, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        login_as(page, "sysadmin")
        page.goto("/calendar/notice/")
        page.fill("#id_text", NOTICE_2027)
        page.click("#notice-form button[type=submit]")
        page.locator("#notice-preview").wait_for()
        assert no_horizontal_scroll(page)
        # One month per row, every day cell at least 30 px wide to be read and tapped.
        widths = (
            page.locator(".notice-month")
            .first.locator("td")
            .evaluate_all("cells => cells.map(c => c.getBoundingClientRect().width)")
        )
        assert min(widths) >= 30
        page.screenshot(path="/tmp/calendar-notice-phone.png", full_page=True)
        page.screenshot(path="/tmp/calendar-notice-phone-top.png")
    finally:
        context.close()
