"""The computed part of the cockpit and of the indicator page, cached per (what the user may
see, data version), so that a page asked again before anything changed costs a cache read.

The data version is the head of the change log's hash chain (``core.chain``): every
change-logged write — a form, an import, a value, a project, a grant, a zone, a user — moves
it, raw-SQL writers included (``chain.link_rows``), and writers hold its row lock until they
commit, so a later commit never shows an older head. Reading it is one lookup by primary key.
Rollups are rebuilt inside the writes they follow, so they are covered too. A database with
no change log yet (no head) is never cached.

What the user may see is every input ``restrict()`` and ``has_perm()`` read of the user:
the grants (by model and action, with their constraints), the role, department, 片区 and
enterprise. Two users with the same of all these see the same page part and share an entry.
The figures also move with the calendar (逾期, 序时进度, the default month), so today's date
is part of the key. Django's cache framework holds the entries (the local-memory cache by
default: one per worker process).
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from yuanqu.core.pagecache import request_data_version
from yuanqu.users.permissions import scope_signature

TIMEOUT = 600  # seconds: a bound on memory, not on correctness (the version is in the key)
PREFIX = "yuanqu:page:"


def cached_part(request, name: str, params, build, template: str) -> tuple[dict, str]:
    """(context, HTML of ``template`` rendered with it) of the page part ``name`` for these
    request ``params``: from the cache when nothing changed since it was built, else
    ``build()`` (the context) rendered and stored."""
    version = request_data_version(request)
    if version is None:
        context = build()
        return context, render_to_string(template, context, request)
    raw = repr((name, scope_signature(request.user), version, timezone.localdate(), params))
    key = PREFIX + hashlib.sha256(raw.encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        return hit
    context = build()
    html = render_to_string(template, context, request)
    cache.set(key, (context, html), TIMEOUT)
    return context, html
