"""Login limits (issue 12, finding 3): the failure counter cannot be raced, and one address
trying many usernames is stopped too — with the same answer as a wrong password."""

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.users import hashers
from yuanqu.users.auth import REFUSED
from yuanqu.users.models import LoginThrottle, User
from yuanqu.utilities.testing.factories import PASSWORD

LOGIN = reverse("users:login")
WRONG = "Wrong-Password-1"


@pytest.fixture
def checked(monkeypatch):
    """Counts the passwords the hasher checks (slowed a little, so that parallel requests
    overlap between reading the counter and checking the password)."""
    import time

    lock, count = threading.Lock(), [0]
    original = hashers.FastArgon2PasswordHasher.verify

    def verify(self, password, encoded):
        with lock:
            count[0] += 1
        time.sleep(0.02)
        return original(self, password, encoded)

    monkeypatch.setattr(hashers.FastArgon2PasswordHasher, "verify", verify)
    return count


@pytest.fixture
def file_database(transactional_db, tmp_path):
    """The test database copied to a file, which new threads open (WAL, busy timeout) for
    the duration of the test: the in-memory test database locks whole tables against a
    second writer, a file waits for it as production's SQLite does."""
    connection = connections["default"]
    if connection.vendor != "sqlite":
        yield  # PostgreSQL: the threads share the test database as it is
        return
    connection.ensure_connection()
    path = str(tmp_path / "parallel.sqlite3")
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = path
    try:
        yield
    finally:
        connection.settings_dict["NAME"] = original


def in_thread(function):
    """Run ``function`` in a fresh thread (and so on the threads' database)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: _closing(function)).result()


def _closing(function):
    try:
        return function()
    finally:
        connections.close_all()


def post(username, password, address="10.0.0.1"):
    try:
        response = Client(REMOTE_ADDR=address).post(LOGIN, {"username": username, "password": password})
        return response.status_code
    finally:
        connections.close_all()  # each thread's own connection


def test_parallel_wrong_logins_check_at_most_the_limit(alice, checked, settings, file_database):
    settings.YUANQU_LOGIN_ADDRESS_MAX_FAILURES = 1000  # only the account's limit here
    with ThreadPoolExecutor(max_workers=24) as pool:
        statuses = list(pool.map(lambda i: post("alice", WRONG, f"10.0.1.{i}"), range(24)))
    assert statuses == [200] * 24
    assert 1 <= checked[0] <= settings.YUANQU_LOGIN_MAX_FAILURES

    def events(kind):
        return AuditEvent.objects.filter(kind=kind, user_name="alice").count()

    assert in_thread(lambda: User.objects.get(pk=alice.pk).is_locked)
    assert in_thread(lambda: events("lockout")) == 1
    assert in_thread(lambda: events("login_failed")) == checked[0]
    assert in_thread(lambda: events("login_locked")) == 24 - checked[0]
    # Locked: the right password is not even checked.
    before = checked[0]
    assert in_thread(lambda: post("alice", PASSWORD)) == 200
    assert checked[0] == before


@pytest.mark.django_db(transaction=True)
def test_parallel_logins_from_one_address_check_at_most_its_limit(alice, checked, settings, file_database):
    settings.YUANQU_LOGIN_ADDRESS_MAX_FAILURES = 6
    with ThreadPoolExecutor(max_workers=24) as pool:
        list(pool.map(lambda i: post(f"user{i}", WRONG, "10.0.2.1"), range(24)))
    assert checked[0] <= 6
    assert in_thread(lambda: AuditEvent.objects.filter(kind="address_locked").count()) == 1


@pytest.mark.django_db
def test_one_address_is_locked_across_usernames(client, alice, settings):
    settings.YUANQU_LOGIN_ADDRESS_MAX_FAILURES = 4
    for name in ["zhang", "li", "wang", "alice"]:
        response = client.post(LOGIN, {"username": name, "password": WRONG}, REMOTE_ADDR="10.0.0.9")
        assert response.content.decode().count(REFUSED) == 1
    assert LoginThrottle.objects.get(address="10.0.0.9").locked_until is not None
    event = AuditEvent.objects.get(kind="address_locked")
    assert "10.0.0.9" in event.detail and event.ip == "10.0.0.9"

    # From that address even the right password is refused, with the same answer …
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 200 and REFUSED in response.content.decode()
    assert AuditEvent.objects.filter(kind="login_locked", user_name="alice").exists()
    alice.refresh_from_db()
    assert alice.failed_login_count == 1 and not alice.is_locked  # the account itself is not locked
    # … while alice logs in from elsewhere.
    assert (
        Client(REMOTE_ADDR="10.0.0.10").post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code
        == 302
    )


@pytest.mark.django_db
def test_good_logins_do_not_use_up_the_address(client, alice, settings):
    settings.YUANQU_LOGIN_ADDRESS_MAX_FAILURES = 2
    for _ in range(3):
        assert (
            Client(REMOTE_ADDR="10.0.0.7")
            .post(LOGIN, {"username": "alice", "password": PASSWORD})
            .status_code
            == 302
        )
    assert LoginThrottle.objects.get(address="10.0.0.7").failures == 0


@pytest.mark.django_db
def test_the_address_window_starts_again(client, alice, settings):
    import datetime

    from django.utils import timezone

    settings.YUANQU_LOGIN_ADDRESS_MAX_FAILURES = 2
    client.post(LOGIN, {"username": "zhang", "password": WRONG}, REMOTE_ADDR="10.0.0.8")
    LoginThrottle.objects.filter(address="10.0.0.8").update(
        window_start=timezone.now() - datetime.timedelta(minutes=16)
    )
    client.post(LOGIN, {"username": "li", "password": WRONG}, REMOTE_ADDR="10.0.0.8")
    throttle = LoginThrottle.objects.get(address="10.0.0.8")
    assert throttle.failures == 1 and throttle.locked_until is None


@pytest.mark.django_db
def test_a_locked_account_and_an_unknown_one_get_the_wrong_password_answer(client, alice):
    User.objects.filter(pk=alice.pk).update(locked_until="2999-01-01T00:00:00Z")
    answers = {
        client.post(LOGIN, {"username": name, "password": pw}).content.decode().count(REFUSED)
        for name, pw in [("alice", PASSWORD), ("nobody", PASSWORD), ("bob_missing", WRONG)]
    }
    assert answers == {1}
    assert "已锁定" not in client.post(LOGIN, {"username": "alice", "password": PASSWORD}).content.decode()
