"""Who is acting, from which request: carried through a context variable.

The middleware sets it for web requests; commands set it with ``acting_as``. The change
log reads it from here, so no model or view has to pass it around.
"""

import contextvars
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class ChangeContext:
    user: object = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    ip: str | None = None
    source: str = "web"  # web, api, cli, system
    user_agent: str = ""
    request: object = None

    def acting_user(self):
        """The authenticated user, read late: DRF authenticates tokens after the middleware."""
        user = self.user
        if user is None and self.request is not None:
            user = getattr(self.request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return user
        return None


_current: contextvars.ContextVar[ChangeContext | None] = contextvars.ContextVar("yuanqu_change", default=None)


def current() -> ChangeContext:
    ctx = _current.get()
    if ctx is None:
        ctx = ChangeContext(source="system")
    return ctx


@contextmanager
def acting_as(user=None, source="cli", ip=None, user_agent=""):
    token = _current.set(ChangeContext(user=user, source=source, ip=ip, user_agent=user_agent))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None
