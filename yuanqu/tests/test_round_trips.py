"""What an authenticated GET asks the database before its view: one statement. The session's
row comes with the data version (the change log's chain head) and with the row of the user
the session was last seen with, which carries the unread-message count (``users.sessions``,
``users.backends``, ``core.pagecache``), so a page from the response cache is one round trip
to PostgreSQL instead of four — every value read fresh, none kept across requests, the user
row used only when the session names that user. And an audit event written on its own is two
round trips on PostgreSQL, its read events committed without waiting for the WAL flush
(``core.changelog.audit``)."""

import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.core import chain, pagecache
from yuanqu.core.changelog import audit
from yuanqu.core.models import AuditEvent
from yuanqu.notifications.models import Notification
from yuanqu.notifications.services import notify, unread_count
from yuanqu.users.sessions import SessionStore
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.pagecache import hit, page_cache_on  # noqa: F401 (an autouse fixture)

LIST = reverse("enterprises:enterprise_list")
BADGE = re.compile(r'class="badge unread-count">(\d+)<')


def statements(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [q["sql"] for q in queries.captured_queries]


def badge(response):
    found = BADGE.search(response.content.decode())
    return int(found.group(1)) if found else 0


@pytest.mark.django_db
def test_a_page_from_the_cache_is_one_statement(client, leader, owned_enterprise):
    client.force_login(leader)
    client.get(LIST)
    client.get(LIST)
    response, sql = statements(client, LIST)
    assert hit(response) and response.wsgi_request.user.pk == leader.pk
    assert len(sql) == 1, sql
    for table in ("django_session", "core_auditchain", "users_user", "notifications_notification"):
        assert table in sql[0]


@pytest.mark.django_db
def test_the_user_read_ahead_is_used_only_for_the_user_the_session_names(leader, econ_dept, owned_enterprise):
    """The guess of whose row to read with the session is a hint: a wrong one (here forced)
    costs a second statement and never gives another user's page."""
    from yuanqu.users import sessions

    other = f.user("leader2", leader.role, econ_dept, name="王主任")
    first, second = Client(), Client()
    first.force_login(leader)
    second.force_login(other)
    for client in (first, second):
        client.get(LIST)
        client.get(LIST)
    sessions._USER_OF_SESSION[first.session.session_key] = str(other.pk)
    response, sql = statements(first, LIST)
    assert response.wsgi_request.user.pk == leader.pk
    assert "刘主任" in response.content.decode() and "王主任" not in response.content.decode()
    assert len(sql) == 2 and "django_session" in sql[0] and "users_user" in sql[1]
    # Seen again with its own user, the next request is one statement.
    response, sql = statements(first, LIST)
    assert response.wsgi_request.user.pk == leader.pk and len(sql) == 1
    response, sql = statements(second, LIST)
    assert response.wsgi_request.user.pk == other.pk and "王主任" in response.content.decode()


@pytest.mark.django_db
def test_no_read_ahead_for_a_post_nor_outside_a_request(client, leader, owned_enterprise):
    from yuanqu.users.backends import READ_AHEAD, UserBackend

    client.force_login(leader)
    client.get(LIST)
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("notifications:mark_all_read"))
    assert "users_user" not in queries.captured_queries[0]["sql"]
    store = SessionStore(client.session.session_key)
    assert store.load()["_auth_user_id"] == str(leader.pk)
    assert READ_AHEAD.get() is None
    leader.is_active = False
    leader.save()
    assert UserBackend().get_user(leader.pk) is None


@pytest.mark.django_db
def test_the_version_read_with_the_session_is_the_chain_head(leader, owned_enterprise):
    store = SessionStore()
    store["_auth_user_id"] = str(leader.pk)
    store.create()
    loaded = SessionStore(store.session_key)
    assert loaded["_auth_user_id"] == str(leader.pk)
    assert loaded.data_version == pagecache.data_version() is not None
    owned_enterprise.name = "东区精密机械集团有限公司"
    owned_enterprise.save()
    again = SessionStore(store.session_key)
    assert again.load() and again.data_version == pagecache.data_version() != loaded.data_version
    # An unknown key still learns the version (the row is joined to the head, not the reverse).
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.data_version == pagecache.data_version()
    assert SessionStore().data_version is pagecache.NOT_READ  # no key: nothing read


@pytest.mark.django_db
def test_a_request_without_a_session_reads_the_version_itself(rf):
    request = rf.get("/")
    assert pagecache.request_data_version(request) == pagecache.data_version()


@pytest.mark.django_db
def test_each_user_gets_their_own_count_read_fresh(leader, econ_dept, owned_enterprise):
    """Two users with different counts, asked alternately: each page shows its own, and a
    message created or read shows on that user's next page."""
    other = f.user("leader2", leader.role, econ_dept, name="王主任")
    first, second = Client(), Client()
    first.force_login(leader)
    second.force_login(other)
    notify([leader], "请审核企业名录", email=False)
    notify([other], "一", email=False)
    notify([other], "二", email=False)
    for _ in range(2):
        assert badge(first.get(LIST)) == 1
        assert badge(second.get(LIST)) == 2
    assert hit(first.get(LIST)) and hit(second.get(LIST))
    Notification.objects.filter(
        pk=Notification.objects.filter(recipient=other).order_by("pk")[0].pk
    ).mark_read()
    page = second.get(LIST)
    assert not hit(page) and badge(page) == 1
    assert badge(first.get(LIST)) == 1
    notify([leader], "再一条", email=False)
    page = first.get(LIST)
    assert not hit(page) and badge(page) == 2


@pytest.mark.django_db
def test_a_request_that_writes_counts_again(rf, leader):
    """The count read with the user serves a GET; any other method counts when asked (its
    view may have read or made messages since)."""
    from yuanqu.users.backends import UserBackend

    notify([leader], "请审核", email=False)
    user = UserBackend().get_user(leader.pk)
    assert user.user_state == {"unread_notifications": 1}
    Notification.objects.filter(recipient=leader).mark_read()
    get, post = rf.get("/"), rf.post("/")
    get.user = post.user = user
    assert unread_count(get) == 1  # as read with the user, at the start of the request
    assert unread_count(post) == 0


@pytest.mark.django_db
def test_a_deactivated_user_is_refused_on_the_next_request(client, alice, owned_enterprise):
    url = reverse("supervision:my_work")
    client.force_login(alice)
    client.get(url)  # gives the client the CSRF cookie; the next is stored
    client.get(url)
    assert hit(client.get(url))
    alice.is_active = False
    alice.save()
    response = client.get(url)
    assert response.status_code == 302 and not hit(response)


@pytest.mark.django_db
def test_a_changed_password_ends_the_other_sessions_at_once(client, alice, owned_enterprise):
    client.force_login(alice)
    client.get(LIST)
    client.get(LIST)
    assert hit(client.get(LIST))
    alice.set_password("Another-Passw0rd-2026")
    alice.save()
    assert client.get(LIST).status_code == 302


def _trail_is_whole():
    count, broken = chain.verify(AuditEvent)
    assert broken is None
    return count


@pytest.mark.django_db(transaction=True)
def test_an_audit_event_on_its_own_is_written_whole(leader, settings):
    """Outside a transaction: the first event makes the chain head (the model's save), the
    next ones are two statements on PostgreSQL; every row links and verifies, with the
    database's time, and only a read event commits asynchronously. Inside a transaction the
    event is part of it. (One test: a transactional test empties the database after it.)"""
    settings.YUANQU_AUDIT_READS_ASYNC_COMMIT = True
    first = audit("login", user=leader, detail="登录")
    with CaptureQueriesContext(connection) as queries:
        read = audit("personal_read", user=leader, detail="接口读取", data={"count": 50, "名称": "东区"})
    sql = [q["sql"] for q in queries.captured_queries]
    with CaptureQueriesContext(connection) as queries:
        export = audit("export", user=leader, detail="导出")
    export_sql = [q["sql"] for q in queries.captured_queries]
    settings.YUANQU_AUDIT_READS_ASYNC_COMMIT = False
    with CaptureQueriesContext(connection) as queries:
        audit("personal_read", user=leader, detail="接口读取")
    durable_sql = [q["sql"] for q in queries.captured_queries]
    if connection.vendor == "postgresql":
        assert len(sql) == 2 and "synchronous_commit TO OFF" in sql[0] and sql[1].rstrip().endswith("COMMIT")
        assert len(export_sql) == 2 and "synchronous_commit" not in export_sql[0]
        assert len(durable_sql) == 2 and "synchronous_commit" not in durable_sql[0]
    else:
        assert not any("synchronous_commit" in s for s in sql + export_sql + durable_sql)
    stored = AuditEvent.objects.get(pk=read.pk)
    assert (stored.kind, stored.user_id, stored.user_name, stored.detail, stored.data) == (
        "personal_read",
        leader.pk,
        leader.username,
        "接口读取",
        {"count": 50, "名称": "东区"},
    )
    assert stored.time == read.time and stored.chain == read.chain
    assert first.time <= read.time <= export.time
    assert list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True)) == [
        "login",
        "personal_read",
        "export",
        "personal_read",
    ]
    assert _trail_is_whole() == 4
    assert not connection.in_atomic_block and connection.get_autocommit()

    # In a transaction the event is the caller's: rolled back with it, durable with it.
    with pytest.raises(RuntimeError), transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            audit("personal_read", user=leader, detail="接口读取")
        assert not any("synchronous_commit" in q["sql"] for q in queries.captured_queries)
        raise RuntimeError("rolled back")
    assert AuditEvent.objects.count() == 4
    audit("personal_read", user=leader, detail="接口读取")
    assert _trail_is_whole() == 5
