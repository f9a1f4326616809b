"""The response cache (``core.pagecache``): an opted-in page asked again by the same session
while nothing it shows changed is answered from the cache, byte for byte the page the view
made; anything it shows that changed — a change-logged write, a grant, the day, an unread
message, a message to show once — makes the view run again, and a page whose view wrote
anything (an audited export) is never stored."""

import datetime
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import MessageEncoder
from django.test import Client
from django.urls import reverse

from yuanqu.core import pagecache
from yuanqu.core.models import AuditEvent
from yuanqu.economy.models import Indicator
from yuanqu.notifications.services import notify
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.pagecache import hit, page_cache_on  # noqa: F401 (an autouse fixture)

LIST = reverse("enterprises:enterprise_list")


def ask(client, url, **extra):
    """Ask three times: the first runs the view (and gives the client the CSRF cookie a page
    with a form needs before it is stored), the last is answered from the cache. Returns
    the last two."""
    first = client.get(url, **extra)
    assert not hit(first)
    stored = client.get(url, **extra)
    again = client.get(url, **extra)
    return stored, again


@pytest.mark.parametrize(
    "url, who",
    [
        (reverse("economy:cockpit"), "leader"),
        ("indicator", "leader"),
        (LIST, "leader"),
        (LIST + "?q=东区&sort=name", "alice"),
        (reverse("enterprises-api:enterprise-list"), "leader"),
        (reverse("supervision:my_work"), "alice"),
    ],
)
def test_each_cached_page_is_answered_again_unchanged(
    client, request, url, who, owned_enterprise, other_enterprise
):
    user = request.getfixturevalue(who)
    if url == "indicator":
        url = reverse("economy:indicator", args=[Indicator.objects.order_by("pk").first().pk])
    client.force_login(user)
    stored, again = ask(client, url)
    assert stored.status_code == again.status_code == 200
    assert hit(again)
    assert again.content == stored.content
    assert again["Content-Type"] == stored["Content-Type"]
    # The middleware around the view still answers: headers of the shell, the policy.
    assert again["Cache-Control"] == stored["Cache-Control"]
    assert "Content-Security-Policy" in again


def test_a_change_logged_write_shows_on_the_next_request(client, leader, owned_enterprise):
    client.force_login(leader)
    stored, again = ask(client, LIST)
    assert hit(again)
    version = pagecache.data_version()
    owned_enterprise.name = "东区精密机械集团有限公司"
    owned_enterprise.save()
    assert pagecache.data_version() != version
    after = client.get(LIST)
    assert not hit(after)
    assert "东区精密机械集团有限公司" in after.content.decode()


def test_sessions_never_share_an_entry(leader, econ_dept, owned_enterprise):
    """Two leaders with the same grants each get their own page (their names are in the shell)."""
    first, second = Client(), Client()
    first.force_login(leader)
    second.force_login(f.user("leader2", leader.role, econ_dept, name="王主任"))
    ask(first, LIST)
    page = second.get(LIST)
    assert not hit(page)
    assert "王主任" in page.content.decode() and "刘主任" not in page.content.decode()


def test_a_withdrawn_grant_is_refused_on_the_next_request(client, leader, owned_enterprise):
    client.force_login(leader)
    assert hit(ask(client, LIST)[1])
    for grant in ObjectPermission.objects.filter(role=leader.role, model="enterprises.enterprise"):
        grant.enabled = False
        grant.save()
    assert client.get(LIST).status_code == 403


def test_a_new_unread_message_shows_in_the_shell(client, leader, owned_enterprise):
    client.force_login(leader)
    stored, again = ask(client, LIST)
    assert "unread-count" not in again.content.decode()
    notify([leader], "请审核企业名录", email=False)  # not a change-logged write
    after = client.get(LIST)
    assert not hit(after)
    assert re.search(r'class="badge unread-count">1<', after.content.decode())


def test_a_message_is_shown_once_and_not_stored(client, leader, owned_enterprise):
    client.force_login(leader)
    ask(client, LIST)
    session = client.session
    session["_messages"] = MessageEncoder().encode([Message(constants.SUCCESS, "企业名录已更新")])
    session.save()
    shown = client.get(LIST)
    assert not hit(shown) and "企业名录已更新" in shown.content.decode()
    after = client.get(LIST)
    assert "企业名录已更新" not in after.content.decode()


def test_the_next_day_is_another_page(client, leader, owned_enterprise, monkeypatch):
    client.force_login(leader)
    assert hit(ask(client, LIST)[1])
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    monkeypatch.setattr(pagecache.timezone, "localdate", lambda *args: tomorrow)
    assert not hit(client.get(LIST))


def test_an_htmx_partial_and_the_page_are_separate_entries(client, leader, owned_enterprise):
    client.force_login(leader)
    page = ask(client, LIST)[1]
    partial = client.get(LIST, headers={"HX-Request": "true", "HX-Target": "enterprise-table"})
    assert not hit(partial)
    assert partial.content != page.content


def test_an_export_writes_its_audit_event_every_time(client, leader, owned_enterprise):
    """The export is a GET of the list page whose view writes an audit event: never stored."""
    client.force_login(leader)
    client.get(LIST)
    before = AuditEvent.objects.count()
    exports = [client.get(LIST, {"export": "xlsx"}) for _ in range(2)]
    assert [r.status_code for r in exports] == [200, 200]
    assert not any(hit(r) for r in exports)
    assert exports[1]["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.count() == before + 2


def test_a_page_from_the_cache_carries_a_working_csrf_token(leader, owned_enterprise):
    """The page's forms (退出) post with the token of the stored page."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    again = ask(client, LIST)[1]
    assert hit(again)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again.content.decode()).group(1)
    response = client.post(reverse("users:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(LIST).status_code == 302  # logged out: to the login page


def test_off_by_setting(client, leader, owned_enterprise, settings):
    settings.YUANQU_PAGE_CACHE = False
    client.force_login(leader)
    assert not hit(ask(client, LIST)[1])


def test_an_audited_read_from_the_cache_is_audited_again(client, leader, owned_enterprise):
    """The API list shows the leader a contact's mobile in clear: every answer writes its
    ``personal_read`` event, the ones from the cache included, with this request's time."""
    from yuanqu.enterprises.models import Contact

    Contact.objects.create(enterprise=owned_enterprise, name="周敏", mobile="13912344321")
    client.force_login(leader)
    url = reverse("enterprises-api:enterprise-list")
    answers = [client.get(url) for _ in range(3)]
    assert [hit(a) for a in answers] == [False, True, True]
    assert answers[2].content == answers[0].content
    assert "13912344321" in answers[2].content.decode()
    events = list(AuditEvent.objects.filter(kind="personal_read").order_by("pk"))
    assert len(events) == 3
    assert {e.user_id for e in events} == {leader.pk}
    assert len({(e.detail, repr(e.data)) for e in events}) == 1
    assert events[0].time < events[2].time
    assert events[2].request_id and events[2].request_id != events[0].request_id
