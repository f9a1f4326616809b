"""The idle timeout without a session write on every request.

A session ends after ``SESSION_COOKIE_AGE`` seconds (30 minutes) without a request. Saving the
session on every request would keep its expiry exact, but costs a database commit (an fsync on
SQLite) per page. Instead the time of the last touch is kept in the session itself and the
session is saved only when that touch is older than ``TOUCH_SECONDS``: at most one write a
minute per user, and the stored expiry is never more than a minute behind the last request.

The session data is also checked on its own: a session whose last touch is older than the idle
timeout is flushed here, before the user is loaded, whatever the session backend's own expiry
says.
"""

import time

from django.conf import settings

TOUCHED = "_yuanqu_touched"  # epoch seconds of the last save of the session
TOUCH_SECONDS = 60


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
            elif touched is None or now - touched >= TOUCH_SECONDS:
                session[TOUCHED] = now  # modified: SessionMiddleware saves it with a fresh expiry
        response = self.get_response(request)
        if session.modified and not session.is_empty():  # saved anyway (a login, a message …)
            session[TOUCHED] = int(time.time())
        return response
