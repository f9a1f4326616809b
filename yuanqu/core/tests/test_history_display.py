"""What a user reads in a record's history and on the change log: Chinese labels, local
time to the minute, the person's name, values as shown on screen, and only real changes."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from yuanqu.core.changelog import history_for, record_change, serialize_object
from yuanqu.core.context import acting_as
from yuanqu.core.models import ObjectChange
from yuanqu.enterprises.models import Contact
from yuanqu.utilities.testing.pages import page_text

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.django_db
def test_history_names_the_person_in_local_time_with_labels_and_values(client, alice, owned_enterprise, west):
    before = serialize_object(owned_enterprise)
    with acting_as(alice, source="web"):
        owned_enterprise.zone = west
        owned_enterprise.status = "stopped"
        owned_enterprise.founded_on = datetime.date(2015, 3, 9)
        owned_enterprise.save()
    change = ObjectChange.objects.filter(action="update").latest("time")
    local = change.time.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")

    client.force_login(alice)
    history = page_text(client.get(owned_enterprise.get_absolute_url()), "history")
    assert f"{local} 王丽 修改" in history
    assert "片区 ：东区 → 西区" in history  # a foreign key by its name
    assert "经营状态 ：在营 → 停产" in history and "stopped" not in history  # a choice by its label
    assert "成立日期 ：— → 2015-03-09" in history
    assert "alice" not in history and "zone" not in history and "T0" not in history
    assert before["status"] == "operating"


@pytest.mark.django_db
def test_an_update_that_changed_nothing_real_is_not_listed(alice, owned_enterprise):
    data = serialize_object(owned_enterprise)
    stored = dict(data, land_area_mu="5.00")
    with acting_as(alice, source="web"):
        record_change(owned_enterprise, "update", stored, dict(data, land_area_mu=5))
        shown = record_change(owned_enterprise, "update", stored, dict(data, land_area_mu="7.5"))

    history = history_for(owned_enterprise)
    assert [c.pk for c in history if c.action == "update"] == [shown.pk]
    assert shown.diff() == [("用地面积（亩）", "5", "7.50")]


@pytest.mark.django_db
def test_a_moment_stored_in_utc_is_shown_in_shanghai_time_to_the_minute(alice):
    from yuanqu.evaluation.models import EvaluationScheme

    scheme = EvaluationScheme.objects.create(year=2025, department=alice.department)
    data = serialize_object(scheme)
    with acting_as(None, source="system"):
        change = record_change(
            scheme,
            "update",
            dict(data, evaluated_at=None, cut_a="20.00", populations=["industry"]),
            dict(data, evaluated_at="2026-10-12T06:03:40.077426+00:00", cut_a=20, populations=["industry"]),
        )
    assert change.diff() == [("最近评价时间", "—", "2026-10-12 14:03")]
    from yuanqu.utilities.templatetags.yuanqu import person

    assert person(change) == "系统"


@pytest.mark.django_db
def test_json_codes_read_as_their_chinese_labels(alice):
    from yuanqu.evaluation.models import EvaluationScheme

    with acting_as(alice, source="web"):
        scheme = EvaluationScheme.objects.create(
            year=2024, department=alice.department, populations=["industry"]
        )
    change = ObjectChange.objects.get(
        action="create", object_id=str(scheme.pk), content_type__model="evaluationscheme"
    )
    rows = dict((label, after) for label, _, after in change.diff())
    assert rows["参评规上类别"] == "规上工业"
    assert "industry" not in str(change.diff())


@pytest.mark.django_db
def test_a_child_records_change_is_labelled_in_chinese_on_the_parents_history(
    client, alice, owned_enterprise
):
    with acting_as(alice, source="web"):
        Contact.objects.create(enterprise=owned_enterprise, name="周敏", position="财务总监", is_primary=True)
    client.force_login(alice)
    history = page_text(client.get(owned_enterprise.get_absolute_url()), "history")
    assert "王丽 新建 周敏（东区精密机械有限公司）" in history
    assert "职务 ：财务总监" in history and "主要联系人 ：是" in history
    assert "position" not in history


@pytest.mark.django_db
def test_change_log_lists_person_object_type_and_source_in_chinese(client, auditor, alice, owned_enterprise):
    with acting_as(alice, source="web"):
        owned_enterprise.short_name = "东区精密"
        owned_enterprise.save()
    change = ObjectChange.objects.filter(action="update").latest("time")
    local = change.time.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")
    client.force_login(auditor)

    listing = page_text(client.get(reverse("core:objectchange_list"), {"action": "update"}))
    assert f"{local} 王丽 修改 企业 东区精密机械有限公司 网页" in listing
    assert "enterprises" not in listing and " web " not in listing

    detail = page_text(client.get(change.get_absolute_url()))
    assert f"时间 {local} 操作人 王丽" in detail
    assert "途径 网页" in detail
    assert "简称 — 东区精密" in detail

    by_name = page_text(client.get(reverse("core:objectchange_list"), {"user_name": "王丽"}))
    assert "东区精密机械有限公司" in by_name
