"""Denied requests in the audit trail: the 403 page, the API's 403s and the 404 that hides a
record outside the user's scope, at most one event a minute per person (or address) and path."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from yuanqu.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def denials():
    return AuditEvent.objects.filter(kind="access_denied")


def test_a_repeated_denial_is_audited_once_a_minute(client, grid_worker):
    client.force_login(grid_worker)
    url = reverse("economy:periodlock_list")
    for _ in range(5):
        assert client.get(url).status_code == 403
    assert denials().count() == 1
    # another page is another event
    assert client.post(url, {"period": "2026-01"}).status_code == 403
    assert denials().count() == 1  # same path: still within the minute
    assert client.get(reverse("core:auditevent_list")).status_code == 403
    assert denials().count() == 2


def test_after_the_minute_the_same_denial_is_audited_again(client, grid_worker, monkeypatch):
    from yuanqu.core import middleware

    client.force_login(grid_worker)
    url = reverse("economy:periodlock_list")
    client.get(url)
    later = middleware.timezone.now() + datetime.timedelta(seconds=61)
    monkeypatch.setattr(middleware.timezone, "now", lambda: later)
    client.get(url)
    assert denials().count() == 2


def test_another_person_on_the_same_page_is_audited(client, grid_worker, enterprise_user):
    url = reverse("economy:periodlock_list")
    client.force_login(grid_worker)
    client.get(url)
    client.force_login(enterprise_user)
    client.get(url)
    assert sorted(denials().values_list("user_name", flat=True)) == ["ent", "grid"]


def test_an_api_denial_is_audited(grid_worker):
    token = Token.objects.create(user=grid_worker)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = "/api/enterprises/"
    responses = [api.post(url, {"name": "x"}, content_type="application/json") for _ in range(3)]
    assert {r.status_code for r in responses} == {403}
    event = denials().get()
    assert event.user_name == "grid" and event.data["path"] == url and event.source == "api"
    assert event.data["method"] == "POST" and event.detail.startswith("POST /api/enterprises/")


def test_a_record_outside_the_scope_is_a_denial_a_missing_one_is_not(
    client, enterprise_user, other_enterprise
):
    client.force_login(enterprise_user)
    assert client.get(reverse("enterprises:enterprise", args=[other_enterprise.pk])).status_code == 404
    event = denials().get()
    assert event.data["status"] == 404 and event.data["path"] == f"/enterprises/{other_enterprise.pk}/"
    assert "不在本人可见范围" in event.detail
    assert client.get(reverse("enterprises:enterprise", args=[999999])).status_code == 404
    assert client.get("/no-such-page/").status_code == 404
    assert denials().count() == 1


def test_the_api_hides_a_foreign_record_and_audits_it(enterprise_user, other_enterprise):
    token = Token.objects.create(user=enterprise_user)
    api = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(f"/api/enterprises/{other_enterprise.pk}/").status_code == 404
    assert denials().get().data["path"] == f"/api/enterprises/{other_enterprise.pk}/"
