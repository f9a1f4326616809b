"""Idle sessions end after thirty minutes, yet a busy user's session is written at most once a
minute; SQLite runs in WAL mode."""

import datetime
import time

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.utils import ConnectionHandler
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yuanqu.users.sessions import TOUCHED
from yuanqu.utilities.testing.factories import PASSWORD

LOGIN = reverse("users:login")
HOME = reverse("home")


def log_in(client):
    response = client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and not response["Location"].startswith(LOGIN)
    return Session.objects.get(session_key=client.session.session_key)


def set_last_touch(client, seconds_ago):
    """Move the clock of the session data back, as if the last touch was that long ago."""
    session = client.session
    session[TOUCHED] = int(time.time()) - seconds_ago
    session.save()


def session_writes(queries):
    return [
        q["sql"]
        for q in queries
        if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]


def test_the_idle_timeout_is_thirty_minutes_without_a_save_on_every_request():
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    middleware = settings.MIDDLEWARE
    assert (
        middleware.index("django.contrib.sessions.middleware.SessionMiddleware")
        < middleware.index("yuanqu.users.sessions.IdleSessionMiddleware")
        < middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    )


@pytest.mark.django_db
def test_thirty_idle_minutes_log_the_user_out(client, alice):
    key = log_in(client).session_key
    assert client.get(HOME).status_code == 200

    set_last_touch(client, 30 * 60 + 1)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    # The session is gone, not only this request refused.
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(HOME).status_code == 302


@pytest.mark.django_db
def test_twenty_nine_idle_minutes_keep_the_user_in_and_restart_the_clock(client, alice):
    session = log_in(client)
    set_last_touch(client, 29 * 60)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + datetime.timedelta(minutes=1))

    assert client.get(HOME).status_code == 200
    assert abs(client.session[TOUCHED] - time.time()) < 5
    expiry = Session.objects.get(pk=session.pk).expire_date - timezone.now()
    assert datetime.timedelta(seconds=1790) < expiry <= datetime.timedelta(seconds=1800)


@pytest.mark.django_db
def test_two_requests_within_a_minute_write_the_session_once(client, alice):
    session = log_in(client)
    set_last_touch(client, 61)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() + datetime.timedelta(minutes=5))

    with CaptureQueriesContext(connection) as first:
        assert client.get(HOME).status_code == 200
    after_first = Session.objects.get(pk=session.pk).expire_date
    with CaptureQueriesContext(connection) as second:
        assert client.get(HOME).status_code == 200

    assert len(session_writes(first.captured_queries)) == 1
    assert session_writes(second.captured_queries) == []
    assert Session.objects.get(pk=session.pk).expire_date == after_first
    assert after_first - timezone.now() > datetime.timedelta(seconds=1790)


@pytest.mark.django_db
def test_the_login_itself_starts_the_clock(client, alice):
    log_in(client)
    assert abs(client.session[TOUCHED] - time.time()) < 5
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    assert session_writes(queries.captured_queries) == []


@pytest.mark.django_db
def test_an_expired_session_row_logs_the_user_out(client, alice):
    session = log_in(client)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_anonymous_visitors_get_no_session_row(client):
    assert client.get("/healthz").status_code == 200
    assert client.get(LOGIN).status_code == 200
    assert client.get(HOME).status_code == 302
    assert Session.objects.count() == 0


def test_a_new_sqlite_connection_runs_in_wal_mode(tmp_path, django_db_blocker):
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "wal.sqlite3"),
                "OPTIONS": settings.YUANQU_SQLITE_OPTIONS,
            }
        }
    )
    wal = handler["default"]
    with django_db_blocker.unblock():
        try:
            with wal.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA synchronous")
                assert cursor.fetchone()[0] == 1  # NORMAL
        finally:
            wal.close()
    if connection.vendor == "sqlite":  # and the configured database gets the same options
        assert (
            connection.settings_dict["OPTIONS"]["init_command"]
            == settings.YUANQU_SQLITE_OPTIONS["init_command"]
        )
