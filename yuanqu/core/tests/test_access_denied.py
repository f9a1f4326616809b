"""A denied request is an audit event, not an error log; every page finds its icon."""

import logging

from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.economy.models import PeriodLock


def test_denied_request_writes_one_audit_event_and_no_traceback(client, grid_worker, caplog):
    client.force_login(grid_worker)
    before = AuditEvent.objects.count()
    locks_before = PeriodLock.objects.count()
    with caplog.at_level(logging.DEBUG):
        response = client.get(reverse("economy:periodlock_list"), {"year": "2026"})
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    events = AuditEvent.objects.filter(kind="access_denied")
    assert AuditEvent.objects.count() == before + 1
    event = events.get()
    assert event.user_name == "grid"
    assert event.data["path"] == "/period-locks/"
    assert "没有查看权限" in event.detail
    assert not [r for r in caplog.records if r.exc_info], "a denial must not log a traceback"
    assert not [r for r in caplog.records if r.name == "django.request"]
    assert PeriodLock.objects.count() == locks_before


def test_denied_post_is_audited_and_changes_nothing(client, grid_worker):
    client.force_login(grid_worker)
    response = client.post(reverse("economy:periodlock_list"), {"period": "2026-01", "comments": "x"})
    assert response.status_code == 403
    event = AuditEvent.objects.get(kind="access_denied")
    assert event.data["method"] == "POST"
    assert not PeriodLock.objects.exists()


def test_favicon_is_served_to_anyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    content = b"".join(icon.streaming_content) if icon.streaming else icon.content
    assert content[:4] == b"\x00\x00\x01\x00"  # an ICO header


def test_every_page_names_its_icon(client, alice):
    client.force_login(alice)
    page = client.get("/").content.decode()
    assert 'rel="icon"' in page
    assert "favicon.svg" in page
    assert client.get("/static/favicon.svg").status_code == 200
