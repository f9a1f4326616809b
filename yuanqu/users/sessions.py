"""The idle timeout without a session write on every request.

A session ends after ``SESSION_COOKIE_AGE`` seconds (30 minutes) without a request. Saving the
session on every request would keep its expiry exact, but costs a database commit (an fsync on
SQLite) per page. Instead the time of the last touch is kept in the session itself and the
session is saved only when that touch is older than ``TOUCH_SECONDS``: at most one write a
minute per user, and the stored expiry is never more than a minute behind the last request.

The session data is also checked on its own: a session whose last touch is older than the idle
timeout is flushed here, before the user is loaded, whatever the session backend's own expiry
says. So is a session logged in longer than ``YUANQU_SESSION_ABSOLUTE_HOURS`` (12), however
busy its user: the time of the login is kept in the session too.
"""

import time

from django.conf import settings
from django.contrib.sessions.backends import db as db_sessions
from django.db import connections, router
from django.utils import timezone

from yuanqu.core.pagecache import NOT_READ, VERSION_COLUMNS, version_join

TOUCHED = "_yuanqu_touched"  # epoch seconds of the last save of the session
LOGGED_IN = "_yuanqu_logged_in"  # epoch seconds of the login: the absolute limit counts from it
TOUCH_SECONDS = 60


def mark_login(sender, request, user, **kwargs):
    """``user_logged_in``: the session's absolute limit starts now."""
    if hasattr(request, "session"):
        request.session[LOGGED_IN] = int(time.time())


def _end_absolute(session, now) -> bool:
    """Flush a logged-in session older than ``YUANQU_SESSION_ABSOLUTE_HOURS``, however busy;
    True when it ended. A session from before this rule starts its count now."""
    if not session.get("_auth_user_id"):
        return False
    started = session.get(LOGGED_IN)
    if started is None:
        session[LOGGED_IN] = now
        return False
    hours = settings.YUANQU_SESSION_ABSOLUTE_HOURS
    if not hours or now - started < hours * 3600:
        return False
    from yuanqu.core.changelog import audit

    from .models import User

    user = User.objects.filter(pk=session["_auth_user_id"]).first()
    session.flush()
    audit("session_expired", user=user, detail=f"登录已满{hours}小时，需重新登录")
    return True


class IdleSessionMiddleware:
    """Placed right after ``SessionMiddleware`` (and before ``AuthenticationMiddleware``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        touched = session.get(TOUCHED)
        if touched is not None or not session.is_empty():  # anonymous visitors get no session
            now = int(time.time())
            if touched is not None and now - touched >= settings.SESSION_COOKIE_AGE:
                session.flush()  # idle too long: logged out
            elif _end_absolute(session, now):
                pass  # logged in too long: logged out
            elif touched is None or now - touched >= TOUCH_SECONDS:
                session[TOUCHED] = now  # modified: SessionMiddleware saves it with a fresh expiry
        response = self.get_response(request)
        if session.modified and not session.is_empty():  # saved anyway (a login, a message …)
            session[TOUCHED] = int(time.time())
        return response


class SessionStore(db_sessions.SessionStore):
    """Django's database sessions (``SESSION_ENGINE = "yuanqu.users.sessions"``), the row read
    by one plain statement: the load runs on every authenticated request, and building the
    ORM query was most of its cost. Same table, same rule (a row past its expiry is no
    session), same data; saving and deleting stay Django's.

    The same statement reads the data version (the change log's chain head,
    ``core.pagecache.data_version``), which every page the response cache answers asks for:
    one round trip to the database instead of two. It is kept as ``data_version`` for the
    request that loaded the session (``pagecache.request_data_version``); being read before
    the view, it is never newer than what the page then reads."""

    data_version = NOT_READ

    def _get_session_from_db(self):
        model = self.model
        connection = connections[router.db_for_read(model)]
        join, join_params = version_join()
        with connection.cursor() as cursor:
            # One row whatever the session: the chain head joined to the (possibly absent)
            # session row, so a request without a live session still learns the version.
            cursor.execute(
                f"SELECT s.session_data, {VERSION_COLUMNS} FROM (SELECT 1 AS one) AS o "  # noqa: S608 (model tables)
                f"LEFT JOIN {model._meta.db_table} AS s ON s.session_key = %s AND s.expire_date > %s "
                f"{join}",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now()), *join_params],
            )
            data, length, last_hash = cursor.fetchone()
        self.data_version = None if length is None else (length, last_hash)
        if data is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=data)
