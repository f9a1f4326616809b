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
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db as db_sessions
from django.db import connections, router
from django.utils import timezone

from yuanqu.core.pagecache import NOT_READ, VERSION_COLUMNS, version_join

from .backends import ALLOWED, READ_AHEAD, user_select

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
        # The session store may read the user with the session for a GET (users.backends),
        # for this request only.
        token = READ_AHEAD.set(ALLOWED if request.method in ("GET", "HEAD") else None)
        try:
            return self._call(request)
        finally:
            READ_AHEAD.reset(token)

    def _call(self, request):
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


# Per process: the user id each session key was last seen logged in with, a guess of whose
# row to read with the session (``SessionStore``); always checked against the session's data.
_USER_OF_SESSION: dict[str, str] = {}
_USER_OF_SESSION_MAX = 20_000


class SessionStore(db_sessions.SessionStore):
    """Django's database sessions (``SESSION_ENGINE = "yuanqu.users.sessions"``), the row read
    by one plain statement: the load runs on every authenticated request, and building the
    ORM query was most of its cost. Same table, same rule (a row past its expiry is no
    session), same data; saving and deleting stay Django's.

    The same statement reads the data version (the change log's chain head,
    ``core.pagecache.data_version``), which every page the response cache answers asks for,
    and, for a GET, the row of the user this session key was last seen logged in with
    (``users.backends.READ_AHEAD``): on PostgreSQL one round trip instead of three. The
    version is kept as ``data_version`` for the request that loaded the session
    (``pagecache.request_data_version``); being read before the view, it is never newer than
    what the page then reads. The user row is used only if the session, decoded, names that
    user; it is read fresh, with the session, never kept."""

    data_version = NOT_READ

    def _get_session_from_db(self):
        from django.contrib.auth import get_user_model

        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        join, join_params = version_join()
        guess = _USER_OF_SESSION.get(self.session_key) if READ_AHEAD.get() is ALLOWED else None
        user_sql, user_params, width = "", [], 0
        if guess is not None:
            user_model = get_user_model()
            user_alias = router.db_for_read(user_model)
            if user_alias == alias:
                select, width = user_select(alias)
                user_sql, user_params = (
                    f" LEFT JOIN ({select}) AS u ON 1 = 1",
                    [user_model._meta.pk.to_python(guess)],
                )
        with connection.cursor() as cursor:
            # One row whatever the session: the chain head joined to the (possibly absent)
            # session row, so a request without a live session still learns the version.
            cursor.execute(
                f"SELECT s.session_data, {VERSION_COLUMNS}{', u.*' if width else ''} FROM (SELECT 1 AS one) AS o "  # noqa: S608 (model tables)
                f"LEFT JOIN {model._meta.db_table} AS s ON s.session_key = %s AND s.expire_date > %s "
                f"{join}{user_sql}",
                [
                    self.session_key,
                    connection.ops.adapt_datetimefield_value(timezone.now()),
                    *join_params,
                    *user_params,
                ],
            )
            row = cursor.fetchone()
        data, length, last_hash = row[:3]
        self.data_version = None if length is None else (length, last_hash)
        self._user_ahead = (alias, user_params[0], row[3:]) if width and row[3] is not None else None
        if data is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=data)

    def load(self):
        self._user_ahead = None
        key = self.session_key
        data = super().load()
        user_id = data.get(SESSION_KEY)
        if user_id is None:
            _USER_OF_SESSION.pop(key, None)
            return data
        if _USER_OF_SESSION.get(key) != user_id:
            if len(_USER_OF_SESSION) >= _USER_OF_SESSION_MAX:
                _USER_OF_SESSION.clear()
            _USER_OF_SESSION[key] = user_id
        ahead = self._user_ahead
        if ahead is not None and str(ahead[1]) == str(user_id) and READ_AHEAD.get() is ALLOWED:
            READ_AHEAD.set(ahead)  # the session names the user whose row came with it
        return data
