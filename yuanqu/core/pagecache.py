"""Whole pages answered again, unchanged, while nothing they show can have changed.

A page opted in by its app (``registry.register_cached_page``) is stored after it is
rendered, and a later GET by the same session with the same key gets the stored body back
without running the view. The key holds everything the page can depend on:

- the session (its key, so never another user's page) and the CSRF cookie (the page's forms
  carry a token made from it; a page with a form is stored only once the client has one);
- the data version: the head of the change log's hash chain (``data_version``). Every
  change-logged write moves it — a form, an import, a value, a project, a grant, a user, a
  zone — raw-SQL writers included (``chain.link_rows``), and writers hold the head's row lock
  until they commit. A user's grants, role and department are change-logged, so what the
  user may see is versioned too;
- today's date (deadlines, 逾期, 序时进度 and default months move with it);
- the URL with its query, the htmx headers and ``Accept`` (a partial, a page of a list, the
  API's format);
- what every page shows that is not versioned by the change log: the ``state`` functions
  apps register (the unread-message count of the shell).

A response is stored only when it is a plain 200 made without side effects: the view ran no
statement other than a read (an export, a sweep, anything written is not cached), set no
cookie, did not change the session, used no CSP nonce and sent no file. The one write allowed
is an audit event (``changelog.audit``, e.g. the API's ``personal_read``): it is stored with
the page and written again, for this request, each time the page is answered from the cache,
so an audited read stays audited on every request. A request with a message waiting to be
shown is answered by the view.

The entries live in Django's cache (the local-memory cache by default: one per worker process),
for ``TIMEOUT`` at most, a bound on memory rather than on correctness (the version is in the key).
"""

import contextlib
import hashlib
from contextvars import ContextVar

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.deprecation import MiddlewareMixin

from yuanqu.registry import registry, resolve

TIMEOUT = 600  # seconds
PREFIX = "yuanqu:response:"
# Statements that do not write: a read, and the savepoints Django wraps around atomic blocks.
READS = ("SELECT", "SAVEPOINT", "RELEASE")
# Headers of the request a page may answer differently to.
VARY = ("Accept", "HX-Request", "HX-Target", "HX-Trigger", "HX-Trigger-Name", "HX-Boosted")
# Headers of the response set by the middleware around the view: never stored.
SKIP_HEADERS = {"set-cookie"}


NOT_READ = object()  # a session store that did not read the version (no session row asked for)

# The chain head as a part of another statement (the session's: ``users.sessions``): a join
# on the head's row, and the two columns it gives, aliased ``h``.
VERSION_COLUMNS = "h.length, h.last_hash"


def version_join():
    """(SQL, params) of a ``LEFT JOIN`` of the change log's chain head as ``h``."""
    from yuanqu.core.models import AuditChain, ObjectChange

    return f"LEFT JOIN {AuditChain._meta.db_table} AS h ON h.name = %s", [ObjectChange._meta.db_table]


def data_version():
    """The change log's chain head (length, last link), or None before the first write.
    One statement by primary key, without the ORM; a request with a session has it already
    (``request_data_version``)."""
    from yuanqu.core.models import AuditChain, ObjectChange

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT length, last_hash FROM {AuditChain._meta.db_table} WHERE name = %s",  # noqa: S608 (model names)
            [ObjectChange._meta.db_table],
        )
        row = cursor.fetchone()
    return None if row is None else tuple(row)


def request_data_version(request):
    """The data version of this request, read once: the response cache's key and the page
    parts a view caches (``economy.pagecache``) ask for it in the same GET, which writes
    nothing. A request whose session was read from the database has it from that statement
    (``users.sessions.SessionStore``); read before the view ran, it is never newer than what
    the page reads, so a page is never stored under a version it does not show."""
    if "_data_version" not in request.__dict__:
        session = getattr(request, "session", None)
        version = getattr(session, "data_version", NOT_READ)
        request._data_version = data_version() if version is NOT_READ else version
    return request._data_version


def user_state_sql(column: str) -> list[tuple[str, str]]:
    """[(name, SQL)] of the page state the user's own statement reads (``users.backends``):
    each registered state function with a ``user_sql`` attribute, a function of the quoted
    user-id column giving a scalar subquery (the unread count)."""
    found = []
    for state in registry["cached_pages"]["state"]:
        make = getattr(resolve(state.function), "user_sql", None)
        if make is not None:
            found.append((state.name, make(column)))
    return found


def read_with_user(request, name):
    """The page state ``name`` as the request's user statement read it, or None. Only for a
    GET or HEAD: those read before the view and write nothing, while a request that writes
    may change the state after the user was read."""
    if request.method not in ("GET", "HEAD"):
        return None
    user = getattr(request, "user", None)
    return getattr(user, "user_state", {}).get(name)


_resolved: dict = {}


def _state_functions() -> tuple:
    """The registered page-state functions, imported once per process (not on every page)."""
    states = tuple(registry["cached_pages"]["state"])
    found = _resolved.get(states)
    if found is None:
        found = _resolved[states] = tuple(resolve(state.function) for state in states)
    return found


def page_key(request):
    """The cache key of this request's page, or None when it cannot be cached."""
    session_key = request.session.session_key
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    if not session_key:
        return None
    version = request_data_version(request)
    if version is None:
        return None
    state = tuple(function(request) for function in _state_functions())
    headers = tuple(request.headers.get(name, "") for name in VARY)
    raw = repr(
        (session_key, csrf_cookie, version, timezone.localdate(), request.get_full_path(), headers, state)
    )
    return PREFIX + hashlib.sha256(raw.encode()).hexdigest()


class _WriteWatch:
    """A database execute wrapper noting whether the view ran anything but a read, and the
    audit events it wrote (``replayable``)."""

    def __init__(self):
        self.wrote = False
        self.paused = False
        self.audits = []

    def __call__(self, execute, sql, params, many, context):
        if not self.paused and not sql.lstrip()[:9].upper().startswith(READS):
            self.wrote = True
        return execute(sql, params, many, context)


# The watch of the page being made in this thread, if it may be stored.
_watching: ContextVar = ContextVar("page_cache_watch", default=None)


@contextlib.contextmanager
def replayable(kind: str, user_name: str, detail: str, data):
    """Around the write of one audit event: a page being made that writes it may still be
    stored, with the event to write again on each answer from the cache."""
    watch = _watching.get()
    if watch is None:
        yield
        return
    watch.paused = True
    try:
        yield
    finally:
        watch.paused = False
    watch.audits.append((kind, user_name, detail, data))


class PageCacheMiddleware(MiddlewareMixin):
    """Answers an opted-in page from the cache, or stores it after the view (see the module).
    It is the last middleware: its ``process_view`` runs after the session, the user, the
    CSRF cookie and the login checks are settled, and its ``process_response`` sees the view's
    own response before the others add their headers and cookies."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            not settings.YUANQU_PAGE_CACHE
            or request.method != "GET"
            or match is None
            or match.view_name not in registry["cached_pages"]["views"]
        ):
            return None
        if not request.user.is_authenticated or len(messages.get_messages(request)):
            return None
        key = page_key(request)
        if key is None:
            return None
        entry = cache.get(key)
        if entry is not None:
            status, headers, content, audits = entry
            if audits:
                from .changelog import audit

                for kind, user_name, detail, data in audits:
                    audit(
                        kind,
                        user=request.user,
                        user_name=user_name,
                        detail=detail,
                        data=data,
                        request=request,
                    )
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            request.page_cache_hit = True
            return response
        watch = _WriteWatch()
        connection.execute_wrappers.append(watch)
        request._page_cache = (key, watch, request.session.modified, _watching.set(watch))
        return None

    def process_response(self, request, response):
        pending = request.__dict__.pop("_page_cache", None)
        if pending is None:
            return response
        key, watch, session_modified, token = pending
        _watching.reset(token)
        if watch in connection.execute_wrappers:
            connection.execute_wrappers.remove(watch)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not watch.wrote
            and request.session.modified == session_modified
            and getattr(request, "_csp_nonce", None) is None
            and "Content-Disposition" not in response
            # A page with a form made a CSRF token: stored only when the client already has
            # the cookie it comes from (else the token's cookie is new in this response).
            and (
                request.COOKIES.get(settings.CSRF_COOKIE_NAME)
                or not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            )
        ):
            headers = [(name, value) for name, value in response.items() if name.lower() not in SKIP_HEADERS]
            cache.set(key, (response.status_code, headers, response.content, watch.audits), TIMEOUT)
        return response
