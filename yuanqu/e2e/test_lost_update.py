"""Two people edit one enterprise in two browsers: the second save does not silently revert the
first (issue 12, finding 4). 李波 saves a new address; 王丽, whose page was opened before,
saves her note and is told who changed what, with her input still on the page and his
address in the field she left alone; pressing 保存 again saves her note and keeps his address."""

import pytest
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.enterprises.models import Enterprise

from .conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_stale_edit_page_is_refused_and_keeps_the_input(
    browser, live_server, page, alice, bob, owned_enterprise
):
    url = reverse("enterprises:enterprise_edit", args=[owned_enterprise.pk])
    first = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    login_as(page, "alice")  # 王丽
    page.goto(url)

    context = browser.new_context(locale="zh-CN", base_url=live_server.url)
    other = context.new_page()
    other.set_default_timeout(15000)
    login_as(other, "bob")  # 李波
    other.goto(url)
    other.fill("input[name=address]", "东区创新路8号")
    with other.expect_navigation():
        other.locator("form button[type=submit].primary", has_text="保存").click()
    assert "/edit/" not in other.url
    context.close()

    page.fill("textarea[name=comments]", "王丽补充：已走访")
    with page.expect_navigation():
        page.locator("form button[type=submit].primary", has_text="保存").click()
    assert "/edit/" in page.url  # shown again, not saved
    message = page.locator("form .msg.error").inner_text()
    assert message.startswith("该记录已被他人修改（李波，"), message
    assert "东区创新路8号" in message and "未保存" in message
    assert page.input_value("textarea[name=comments]") == "王丽补充：已走访"
    assert page.input_value("input[name=address]") == "东区创新路8号"  # his, she had not touched it
    stored = Enterprise.objects.get(pk=owned_enterprise.pk)
    assert (stored.address, stored.comments) == ("东区创新路8号", "")
    changes = ObjectChange.objects.filter(pk__gt=first)
    assert [(c.user_name, c.action) for c in changes] == [("bob", "update")]

    with page.expect_navigation():
        page.locator("form button[type=submit].primary", has_text="保存").click()
    assert "/edit/" not in page.url, page.locator("main").inner_text()
    stored = Enterprise.objects.get(pk=owned_enterprise.pk)
    assert (stored.address, stored.comments) == ("东区创新路8号", "王丽补充：已走访")
