"""Annual targets (list/add/edit/delete, phasing that must add up to 100%) and month locks
(lock and unlock by users with the grant, change-logged; a locked month refuses values)."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.economy.models import AnnualTarget, Indicator, PeriodLock
from yuanqu.economy.services import record_enterprise_value

from .test_pages_zone_figures import grant
from .test_views import text

TARGETS = reverse("economy:annualtarget_list")
ADD = reverse("economy:annualtarget_add")
LOCKS = reverse("economy:periodlock_list")


def changes(model, pk, action):
    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(pk), action=action
    )


@pytest.fixture
def gdp(db):
    return Indicator.objects.get(code="gdp")


def test_targets_list_and_export(client, leader, grid_worker, east, gdp):
    AnnualTarget.objects.create(indicator=gdp, year=2024, target_growth=D("0.09"))
    AnnualTarget.objects.create(indicator=gdp, year=2024, zone=east, target_value=D(220))
    client.force_login(leader)
    body = text(client.get(TARGETS, {"year": 2024}))
    assert "增长9.0%以上" in body and "全园区" in body and "东区" in body
    assert "全园区" not in text(client.get(TARGETS, {"zone": east.pk})).split("分月进度")[-1]
    rows = client.get(TARGETS, {"export": "xlsx"})
    assert rows.status_code == 200 and AuditEvent.objects.filter(kind="export").exists()
    client.force_login(grid_worker)
    assert client.get(TARGETS).status_code == 403


def test_add_with_even_phasing_then_edit_phasing_and_delete(client, alice, econ_dept, gdp):
    client.force_login(alice)
    data = {"indicator": gdp.pk, "year": 2024, "target_value": "", "target_growth": "9"}
    # 部门人员 keep their own department's targets by default, not the park's.
    assert "超出了您的权限范围" in text(client.post(ADD, data)) and not AnnualTarget.objects.exists()
    grant(alice, "economy.annualtarget", ["add", "change", "delete"])
    response = client.post(ADD, data)
    target = AnnualTarget.objects.get()
    assert response.status_code == 302 and response.url == reverse("economy:annualtarget", args=[target.pk])
    assert (target.target_growth, target.monthly_phasing) == (D("0.09"), None)
    assert changes(AnnualTarget, target.pk, "create").get().user_id == alice.pk
    assert "按月均匀" in text(client.get(response.url))

    edit = reverse("economy:annualtarget_edit", args=[target.pk])
    shares = {f"share_{m}": "8" for m in range(1, 13)}
    refused = client.post(edit, {**data, **shares})
    assert "分月进度12个月合计应为100%，实际为96%" in text(refused)
    partial = client.post(edit, {**data, "share_1": "50", "share_2": "50"})
    assert "分月进度须12个月都填写或都留空（按月均匀），缺少：3月、4月" in text(partial)
    assert AnnualTarget.objects.get().monthly_phasing is None
    shares.update(share_12="12")  # 8 × 11 + 12 = 100
    assert client.post(edit, {**data, **shares}).status_code == 302
    target.refresh_from_db()
    assert target.monthly_phasing[0] == pytest.approx(0.08) and target.monthly_phasing[-1] == 1.0
    assert target.monthly_phasing[10] == pytest.approx(0.88)
    assert changes(AnnualTarget, target.pk, "update").get().user_id == alice.pk
    form = client.get(edit).context["form"]
    assert form["share_12"].value() == D(12)

    nothing = client.post(edit, {**data, "target_growth": ""})
    assert "目标值和目标增速至少填写一项" in text(nothing)
    assert client.post(reverse("economy:annualtarget_delete", args=[target.pk])).status_code == 302
    assert not AnnualTarget.objects.exists() and changes(AnnualTarget, target.pk, "delete").exists()


def test_department_targets_are_limited_to_own_department(client, alice, econ_dept, invest_dept, gdp):
    client.force_login(alice)
    data = {"indicator": gdp.pk, "year": 2024, "target_value": "30"}
    response = client.post(ADD, {**data, "department": invest_dept.pk})
    assert "超出了您的权限范围" in text(response) and not AnnualTarget.objects.exists()
    assert client.post(ADD, {**data, "department": econ_dept.pk}).status_code == 302
    other = AnnualTarget.objects.create(indicator=gdp, year=2025, department=invest_dept, target_value=1)
    assert client.get(reverse("economy:annualtarget_edit", args=[other.pk])).status_code == 404


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
