"""The enterprise portal in a browser: the reminder, the month's form, the derived 1–N月累计."""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator
from yuanqu.economy.services import add_months, record_enterprise_value

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(page, live_server, user):
    """The browser carries a session of ``user`` (the login form has its own tests): one page
    load fewer than filling the form."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_enterprise_user_fills_the_month_and_sees_the_ytd(
    page, live_server, enterprise_user, owned_enterprise
):
    last = add_months(timezone.localdate().replace(day=1), -1)
    flows = Indicator.objects.filter(code__in=["revenue", "profit", "tax_all_levels", "rd_expenditure"])
    for indicator in flows:  # the earlier months of the year are in, so 1–N月累计 is derived
        for month in range(1, last.month):
            record_enterprise_value(
                owned_enterprise, indicator, datetime.date(last.year, month, 1), month_value=100
            )
    employees = Indicator.objects.get(code="employees")
    for month in range(1, last.month):
        record_enterprise_value(
            owned_enterprise, employees, datetime.date(last.year, month, 1), month_value=80
        )
    revenue = Indicator.objects.get(code="revenue")
    earlier = Decimal(100 * (last.month - 1))

    signed_in(page, live_server, enterprise_user)
    page.goto("/")
    reminder = page.locator("#portal-due")
    assert reminder.locator("li").count() == 1  # the months before are in
    assert f"{last.year}年{last.month}月" in reminder.inner_text() and "未填报" in reminder.inner_text()
    page.click("text=去填报月报")
    page.wait_for_url("**/portal/**")
    assert owned_enterprise.name in page.locator("h1").inner_text()

    page.fill("#id_m_revenue", "250")
    row = page.locator("tr[data-code=revenue]")
    expected = f"{earlier + 250:,}"
    assert row.locator(".js-ytd").inner_text() == expected  # shown as one types
    for code in ("profit", "tax_all_levels", "rd_expenditure"):
        page.fill(f"#id_m_{code}", "10")
    page.fill("#id_m_employees", "85")
    page.click("#portal-form button[type=submit]")
    page.wait_for_selector(".msg.success")
    assert "已保存" in page.locator(".msg.success").inner_text()
    assert page.locator("tr[data-code=revenue] .js-ytd").inner_text() == expected  # stored
    value = EnterpriseMonthlyValue.objects.get(enterprise=owned_enterprise, indicator=revenue, period=last)
    assert (value.month_value, value.ytd_value) == (250, earlier + 250)
    assert "月报均已填报" in page.locator("#portal-due").inner_text()
