"""``notify()``: write the in-app message and send it by e-mail.

Mail goes through Django's mail settings (``YUANQU_EMAIL_BACKEND``; the console backend in
the demo). A user without an e-mail address gets the in-app message only; a mail failure is
logged and never undoes the message or the step that caused it.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import connections, router
from django.utils import timezone

from yuanqu.core.pagecache import read_with_user

from .models import Notification

logger = logging.getLogger(__name__)


def notify(
    users: Iterable, title: str, body: str = "", link: str = "", kind: str = "", email: bool = True, at=None
):
    """One notification per distinct active user; returns the rows written."""
    recipients, seen = [], set()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        recipients.append(user)
    at = at or timezone.now()
    rows = Notification.objects.bulk_create(
        [
            Notification(recipient=u, title=title[:200], body=body, link=link, kind=kind, created=at)
            for u in recipients
        ]
    )
    if email:
        send_email([u.email for u in recipients if u.email], title, body, link)
    return rows


def send_email(addresses, title, body, link=""):
    """Send one mail per address; failures are logged, not raised."""
    text = body
    if link and getattr(settings, "YUANQU_SITE_URL", ""):
        text = f"{body}\n\n{settings.YUANQU_SITE_URL.rstrip('/')}{link}"
    sent = 0
    for address in addresses:
        try:
            sent += send_mail(settings.EMAIL_SUBJECT_PREFIX + title, text, None, [address])
        except Exception:  # a mail server down must not stop the caller
            logger.exception("消息邮件发送失败：%s → %s", title, address)
    return sent


def unread_count(request) -> int:
    """The request user's unread messages (0 for anonymous or inactive users: ``for_user``),
    counted once per request: the page shell shows it and the response cache's key holds it
    (``core.pagecache``), so it is on every page. A GET has it from the statement that read
    its user (``user_sql`` below, ``users.backends``); otherwise one plain statement."""
    cached = request.__dict__.get("_unread_notifications")
    if cached is None:
        user = getattr(request, "user", None)
        cached = 0
        if user is not None and user.is_authenticated and user.is_active:
            cached = read_with_user(request, UNREAD_STATE)
            if cached is None:
                with connections[router.db_for_read(Notification)].cursor() as cursor:
                    cursor.execute(f"SELECT {_unread_sql('%s')}", [user.pk])
                    cached = cursor.fetchone()[0]
        request._unread_notifications = cached
    return cached


UNREAD_STATE = "unread_notifications"  # its name as page state (apps.py)


def _unread_sql(user: str) -> str:
    """The count of ``user``'s unread messages as a scalar subquery; ``user`` is SQL (a
    column, a placeholder)."""
    meta = Notification._meta
    return (
        f"(SELECT COUNT(*) FROM {meta.db_table} WHERE {meta.get_field('recipient').column} = {user} "  # noqa: S608
        f"AND {meta.get_field('read_at').column} IS NULL)"
    )


unread_count.user_sql = _unread_sql
