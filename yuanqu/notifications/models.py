"""In-app notifications (我的消息): one row per recipient and message.

A notification is the user's own mail, not a record of the zone: nobody else reads it, so
it is not granted through ``ObjectPermission`` (no ``restrict_paths``) and every queryset a
user reaches is ``Notification.objects.for_user(user)``. What caused it (a demand's 催办 …)
is recorded and change-logged where it happened; reading a message is not logged.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own notifications; nothing for an anonymous or inactive user."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self):
        return self.unread().update(read_at=timezone.now())


class Notification(models.Model):
    """One message to one user, with a link to what it is about."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类型"), max_length=40, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notifications:open", args=[self.pk])

    @property
    def safe_link(self) -> str:
        """The link if it stays on this site (a path), else nothing."""
        link = self.link or ""
        return link if link.startswith("/") and not link.startswith("//") else ""
