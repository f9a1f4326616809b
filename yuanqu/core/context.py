"""Who is acting, from which request: carried through a context variable.

The middleware sets it for web requests; commands set it with ``acting_as``. The change
log reads it from here, so no model or view has to pass it around.
"""

import contextvars
import ipaddress
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache


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


def _address(text):
    """An IP address from a header entry ("1.2.3.4", "1.2.3.4:5678", "[::1]:80"), else None."""
    text = (text or "").strip().strip('"')
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(proxies: tuple) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _trusted(address, networks) -> bool:
    return any(address.version == n.version and address in n for n in networks)


def client_ip(request) -> str | None:
    """The address of the person at the other end, for the audit trail and the login limits.

    ``X-Forwarded-For`` is believed only when the direct peer is one of
    ``YUANQU_TRUSTED_PROXIES``; then its entries are read from the right (each proxy
    appends the address it saw) and the first one that is not a trusted proxy is the client.
    Anything a client wrote further left is ignored, and a request straight from a client
    keeps its own address whatever headers it sends.
    """
    from django.conf import settings

    peer = _address(request.META.get("REMOTE_ADDR"))
    if peer is None:
        return request.META.get("REMOTE_ADDR") or None
    networks = _networks(tuple(getattr(settings, "YUANQU_TRUSTED_PROXIES", None) or ()))
    if not networks or not _trusted(peer, networks):
        return str(peer)
    client = peer
    entries = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    for entry in reversed(entries):
        address = _address(entry)
        if address is None:  # not written by a proxy of ours: stop at what they vouched for
            break
        client = address
        if not _trusted(address, networks):
            break
    return str(client)
