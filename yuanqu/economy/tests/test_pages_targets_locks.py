"""The link to the year's targets (the target sheet) and month locks (lock and unlock by users
with the grant, change-logged; a locked month refuses values)."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.economy.models import Indicator, PeriodLock
from yuanqu.economy.services import record_enterprise_value

from .test_pages_zone_figures import grant
from .test_views import text

SUMMARY = reverse("economy:summary")
LOCKS = reverse("economy:periodlock_list")


def changes(model, pk, action):
    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(pk), action=action
    )


@pytest.mark.urls("yuanqu.economy.tests.sheet_urls")
def test_the_summary_links_to_the_target_sheet_for_those_who_may_view_it(client, leader, grid_worker):
    client.force_login(leader)
    page = client.get(SUMMARY, {"period": "2024-08"}).content.decode()
    sheet = re.search(r'href="([^"]*)">目标责任书</a>', page).group(1)
    assert sheet.startswith("/targets/") and sheet.endswith("?year=2024")
    assert sheet == reverse("targets:sheet") + "?year=2024"
    assert client.get(sheet).status_code == 200
    assert "/annual-targets/" not in page
    client.force_login(grid_worker)  # no grant on the target sheet: no link to it
    assert "目标责任书" not in client.get(SUMMARY, {"period": "2024-08"}).content.decode()


# --- month locks ----------------------------------------------------------------------------


def test_locks_page_lock_and_unlock(client, sysadmin, leader, owned_enterprise):
    output = Indicator.objects.get(code="industrial_output")
    record_enterprise_value(
        owned_enterprise, output, datetime.date(2024, 8, 1), month_value=D(1), ytd_value=D(8)
    )
    client.force_login(leader)  # sees the locks, may not lock
    page = client.get(LOCKS)
    assert page.status_code == 200 and 'id="lock-form"' not in page.content.decode()
    assert client.post(LOCKS, {"period": "2024-08"}).status_code == 403
    client.force_login(sysadmin)  # default grant: view, add (lock) and delete (unlock)
    page = client.get(LOCKS)
    assert page.status_code == 200
    rows = {r["label"]: r for r in page.context["rows"]}
    assert rows["2024年8月"]["values"] == 1 and rows["2024年8月"]["lock"] is None and len(rows) == 24
    assert client.post(LOCKS, {"period": "2024-08", "comments": "9月10日已发布"}).status_code == 302
    lock = PeriodLock.objects.get()
    assert changes(PeriodLock, lock.pk, "create").get().user_id == sysadmin.pk
    body = text(client.get(LOCKS))
    assert "已锁定" in body and "9月10日已发布" in body
    assert reverse("economy:periodlock_unlock", args=[lock.pk]) in client.get(LOCKS).content.decode()
    again = client.post(LOCKS, {"period": "2024-08"})
    assert again.status_code == 400 and "2024年8月已经锁定" in text(again)
    bad = client.post(LOCKS, {"period": "八月"})
    assert "月份“八月”格式不对" in text(bad)
    assert client.post(reverse("economy:periodlock_unlock", args=[lock.pk])).status_code == 302
    assert (
        not PeriodLock.objects.exists()
        and changes(PeriodLock, lock.pk, "delete").get().user_id == sysadmin.pk
    )


def test_lock_and_unlock_need_their_grants(client, alice, sysadmin):
    lock = PeriodLock.objects.create(period=datetime.date(2024, 7, 1))
    grant(alice, "economy.periodlock", ["view"])
    client.force_login(alice)
    page = client.get(LOCKS)
    assert page.status_code == 200 and "/unlock/" not in page.content.decode()
    assert client.post(LOCKS, {"period": "2024-08"}).status_code == 403
    # get_for_action: the lock is visible to this user, unlocking is not allowed: 403, nothing removed.
    assert client.post(reverse("economy:periodlock_unlock", args=[lock.pk])).status_code == 403
    assert PeriodLock.objects.count() == 1
