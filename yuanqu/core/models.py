"""The audit trail: object changes and security/data events. Append-only."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuditEventKind, ChangeAction


class AppendOnlyQuerySet(models.QuerySet):
    """Audit rows can be added and read; bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise PermissionDenied("审计记录不可修改")

    def delete(self):
        raise PermissionDenied("审计记录不可删除")

    _raw_delete = delete


class AppendOnlyModel(models.Model):
    """Base for audit rows: saving an existing row or deleting one raises.

    The database refuses the same through triggers (migration core 0002), so not even raw
    SQL from the application can rewrite the trail.
    """

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("审计记录不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计记录不可删除")


class ObjectChange(AppendOnlyModel):
    """One create, update or delete of a domain record, with the values before and after."""

    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # Plain ids, not foreign keys: deleting a user must never touch the trail.
    user_id = models.BigIntegerField(_("用户ID"), null=True, blank=True)
    user_name = models.CharField(_("操作人"), max_length=150, blank=True)
    request_id = models.UUIDField(_("请求编号"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    source = models.CharField(_("途径"), max_length=10, blank=True)
    action = models.CharField(_("操作"), max_length=10, choices=ChangeAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("对象类型"))
    object_id = models.CharField(_("对象ID"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=300)
    related_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("所属对象类型")
    )
    related_id = models.CharField(_("所属对象ID"), max_length=64, blank=True)
    prechange_data = models.JSONField(_("修改前"), null=True, blank=True, encoder=DjangoJSONEncoder)
    postchange_data = models.JSONField(_("修改后"), null=True, blank=True, encoder=DjangoJSONEncoder)
    message = models.CharField(_("说明"), max_length=300, blank=True)

    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["related_type", "related_id"]),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.object_repr}"

    def get_absolute_url(self):
        return reverse("core:objectchange", args=[self.pk])

    def diff(self):
        """Rows of (field label, before, after) for the fields that changed."""
        from .changelog import diff_rows

        return diff_rows(self)


class AuditEvent(AppendOnlyModel):
    """A security or data event: logins, lockouts, exports, imports."""

    time = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    kind = models.CharField(_("事件"), max_length=20, choices=AuditEventKind.choices, db_index=True)
    user_id = models.BigIntegerField(_("用户ID"), null=True, blank=True)
    user_name = models.CharField(_("用户名"), max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=300, blank=True)
    request_id = models.UUIDField(_("请求编号"), null=True, blank=True)
    source = models.CharField(_("途径"), max_length=10, blank=True)
    detail = models.CharField(_("详情"), max_length=500, blank=True)
    data = models.JSONField(_("数据"), null=True, blank=True, encoder=DjangoJSONEncoder)

    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["-time", "-id"]
        verbose_name = _("安全与数据事件")
        verbose_name_plural = _("安全与数据事件")

    def __str__(self):
        return f"{self.get_kind_display()} {self.user_name}"

    def get_absolute_url(self):
        return reverse("core:auditevent_list") + f"?q={self.user_name}"


class SeededDefault(models.Model):
    """Remembers which defaults were seeded once, so a deleted default stays deleted."""

    kind = models.CharField(max_length=30)
    key = models.CharField(max_length=200)

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = _("已预置项")
        verbose_name_plural = _("已预置项")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="seeded_default_unique")]

    def __str__(self):
        return f"{self.kind}:{self.key}"
