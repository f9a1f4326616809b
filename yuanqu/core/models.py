"""The audit trail (object changes and security/data events, append-only) and the
working-day calendar the deadlines are counted on."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, router, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .choices import AuditEventKind, ChangeAction
from .mixins import ChangeLoggedModel


class AppendOnlyQuerySet(models.QuerySet):
    """Audit rows can be added and read; bulk updates and deletes are refused. Added rows
    are linked into the table's hash chain (``core.chain``)."""

    def bulk_create(self, objs, *args, **kwargs):
        from . import chain

        objs = list(objs)
        created = []
        with transaction.atomic(using=self.db):
            # Linked and written a slice at a time: each row's time is the database's when its
            # slice is linked, and the insert trigger refuses a time too far from the clock.
            for start in range(0, len(objs), chain.SLICE) or [0]:
                part = objs[start : start + chain.SLICE]
                chain.link(part, using=self.db)
                created += super().bulk_create(part, *args, **kwargs)
        return created

    def update(self, **kwargs):
        raise PermissionDenied("审计记录不可修改")

    def delete(self):
        raise PermissionDenied("审计记录不可删除")

    _raw_delete = delete


class AppendOnlyModel(models.Model):
    """Base for audit rows: saving an existing row or deleting one raises.

    The database refuses the same through triggers (``core.dbguard``), so not even raw
    SQL from the application can rewrite the trail; a row is linked into its table's hash
    chain when written, with the database's time (``core.chain``), so a rewrite by someone
    who lifts the triggers is found by ``yuanqu audit verify``.
    """

    time = models.DateTimeField(_("时间"), db_index=True)
    chain = models.CharField(_("校验值"), max_length=80, editable=False, db_default="")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("审计记录不可修改")
        from . import chain

        using = kwargs.get("using") or router.db_for_write(type(self))
        with transaction.atomic(using=using):
            chain.link([self], using=using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("审计记录不可删除")


class ObjectChange(AppendOnlyModel):
    """One create, update or delete of a domain record, with the values before and after."""

    # Plain ids, not foreign keys: deleting a user must never touch the trail.
    user_id = models.BigIntegerField(_("用户ID"), null=True, blank=True)
    user_name = models.CharField(_("操作人"), max_length=150, blank=True)
    request_id = models.UUIDField(_("请求编号"), null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    source = models.CharField(_("途径"), max_length=10, blank=True)
    action = models.CharField(_("操作"), max_length=10, choices=ChangeAction.choices)
    # The types are kept by the application (PROTECT), not by a database constraint: the
    # trail depends on no other table, and a bulk import does not pay two key checks per
    # record at commit. Their lookups use the (type, id) indexes below.
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("对象类型"),
        db_constraint=False,
        db_index=False,
    )
    object_id = models.CharField(_("对象ID"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=300)
    related_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("所属对象类型"),
        db_constraint=False,
        db_index=False,
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

    def diff(self, show_personal=False):
        """Rows of (field label, before, after) for the fields that changed; personal fields
        masked unless ``show_personal``."""
        from .changelog import diff_rows

        return diff_rows(self, show_personal)


class AuditEvent(AppendOnlyModel):
    """A security or data event: logins, lockouts, exports, imports."""

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


class AuditChain(models.Model):
    """The head of one audit table's hash chain: its last link and how many rows it has
    linked (``core.chain``). Locked by each writer of the trail until its transaction ends."""

    name = models.CharField(max_length=63, primary_key=True)
    last_hash = models.CharField(max_length=80)
    length = models.BigIntegerField(default=0)

    def __str__(self):
        return self.name


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


class CalendarDay(ChangeLoggedModel):
    """One day of the official calendar that an administrator sets by hand (工作日历).

    The working-day clock (``core.workdays``) reads this table before chinesecalendar, so a
    row here corrects the library or fills a year it does not cover yet.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("法定节假日")
        MAKEUP_WORKDAY = "makeup_workday", _("调休上班")
        OTHER = "other", _("其他调整")

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("工作日"), default=False)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.HOLIDAY)
    name = models.CharField(_("名称"), max_length=50, blank=True, help_text=_("如：国庆节"))
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")

    def __str__(self):
        state = "上班" if self.is_workday else "休息"
        return f"{self.date:%Y-%m-%d} {self.name or self.get_kind_display()}（{state}）"

    def get_absolute_url(self):
        return reverse("core:calendarday", args=[self.pk])

    def clean(self):
        if self.kind == self.Kind.HOLIDAY and self.is_workday:
            raise ValidationError({"is_workday": "法定节假日不能是工作日，请取消“工作日”或改为“其他调整”"})
        if self.kind == self.Kind.MAKEUP_WORKDAY and not self.is_workday:
            raise ValidationError({"is_workday": "调休上班日必须是工作日，请勾选“工作日”或改为“其他调整”"})


class CalendarYear(ChangeLoggedModel):
    """An administrator's statement that a year's holidays are all in the table.

    For a year chinesecalendar does not cover, the working-day clock refuses to count until
    the year is declared complete here; then every day without a ``CalendarDay`` row is a
    working day from Monday to Friday and a day off at the weekend.
    """

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    complete = models.BooleanField(
        _("已完整录入"), default=True, help_text=_("本年度的法定节假日和调休上班日已全部录入工作日历")
    )
    notes = models.CharField(
        _("备注"), max_length=200, blank=True, help_text=_("如：依据国务院办公厅通知文号")
    )

    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["-year"]
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")

    def __str__(self):
        return f"{self.year}年"

    def get_absolute_url(self):
        return reverse("core:calendaryear", args=[self.pk])
