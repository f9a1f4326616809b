"""Enterprise demands (问题诉求): intake, assignment and answer on the working-day clock."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel, ChildMixin, PrimaryModel
from yuanqu.users.permissions import RestrictedQuerySet

from .choices import CategoryGroup, Channel, DemandAction, DemandStatus, EscalationLevel, Satisfaction


class DemandCategory(ChangeLoggedModel):
    """A kind of demand with its time limit in working days (e.g. 要素保障 · 用电, 5 days)."""

    name = models.CharField(_("类别"), max_length=50, unique=True)
    group = models.CharField(_("大类"), max_length=20, choices=CategoryGroup.choices)
    time_limit_workdays = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    yellow_before_workdays = models.PositiveSmallIntegerField(_("到期前黄灯（工作日）"), default=1)
    order = models.PositiveIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("在用"), default=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")

    def __str__(self):
        group = self.get_group_display()
        return self.name if self.name == group else f"{group}-{self.name}"

    def get_absolute_url(self):
        return reverse("demands:demandcategory", args=[self.pk])


class Demand(PrimaryModel):
    """One demand of an enterprise; ``department`` is the department that owns it now (the
    receiver's before assignment, the responsible department after)."""

    number = models.CharField(_("编号"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="demands", verbose_name=_("企业")
    )
    category = models.ForeignKey(
        DemandCategory, on_delete=models.PROTECT, related_name="demands", verbose_name=_("类别")
    )
    channel = models.CharField(_("来源渠道"), max_length=20, choices=Channel.choices)
    external_number = models.CharField(_("外部工单号"), max_length=50, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("诉求内容"))
    received_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("受理人")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=DemandStatus.choices, default=DemandStatus.RECEIVED
    )
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("当前承办人"),
    )
    holder_department = models.ForeignKey(
        "users.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("当前承办部门"),
    )
    supporting_departments = models.ManyToManyField(
        "users.Department", blank=True, related_name="supported_demands", verbose_name=_("配合部门")
    )
    assigned_at = models.DateTimeField(_("交办时间"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("交办人"),
    )
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    satisfaction = models.CharField(_("满意度"), max_length=20, choices=Satisfaction.choices, blank=True)
    followed_up_at = models.DateTimeField(
        _("确认/回访时间"), null=True, blank=True, help_text=_("企业确认办结的时间，或承办人回访企业的时间")
    )
    follow_up_contact = models.CharField(
        _("回访对象"),
        max_length=100,
        blank=True,
        help_text=_("企业无账号时承办人电话回访的对象，如“张经理 138…”"),
    )
    forwarded_to = models.CharField(_("转办单位"), max_length=100, blank=True)
    forward_acknowledged_at = models.DateTimeField(_("转办确认时间"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("申请延期（工作日）"), null=True, blank=True)
    extension_reason = models.CharField(_("延期理由"), max_length=300, blank=True)
    escalation_level = models.CharField(
        _("督办级别"), max_length=20, choices=EscalationLevel.choices, blank=True, db_index=True
    )
    escalated_on = models.DateField(_("最近督办日期"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {
        "own_department": "department",
        "own_zone": "enterprise__zone",
        "own_enterprise": "enterprise",
    }

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("demands:demand", args=[self.pk])

    @property
    def holder_display(self) -> str:
        if self.holder_user_id:
            return str(self.holder_user)
        if self.holder_department_id:
            return str(self.holder_department)
        return "—"


class DemandEvent(ChildMixin, ChangeLoggedModel):
    """One step of a demand's handling: who did what, when, with what text."""

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="events", verbose_name=_("诉求")
    )
    action = models.CharField(_("操作"), max_length=30, choices=DemandAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
        help_text=_("空：系统（如超期督办）"),
    )
    time = models.DateTimeField(_("时间"), default=timezone.now)
    text = models.TextField(_("说明"), blank=True)
    from_status = models.CharField(_("原状态"), max_length=20, choices=DemandStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=DemandStatus.choices)

    parent_field = "demand"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {
        "own_department": "demand__department",
        "own_zone": "demand__enterprise__zone",
        "own_enterprise": "demand__enterprise",
    }

    class Meta:
        ordering = ["demand", "time", "id"]
        verbose_name = _("诉求办理记录")
        verbose_name_plural = _("诉求办理记录")

    def __str__(self):
        return f"{self.demand.number} {self.get_action_display()}"

    @property
    def actor_display(self) -> str:
        return str(self.actor) if self.actor_id else "系统"


def attachment_path(instance, filename):
    """A random name under demands/<year>/<month>/: the original name is kept in ``name``."""
    suffix = Path(filename).suffix.lower()
    return f"demands/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class DemandAttachment(ChildMixin, ChangeLoggedModel):
    """A file attached to a demand at one step (受理, 答复 …); downloaded through a restricted view."""

    demand = models.ForeignKey(
        Demand, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("诉求")
    )
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    action = models.CharField(_("环节"), max_length=30, choices=DemandAction.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("上传人")
    )

    parent_field = "demand"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {
        "own_department": "demand__department",
        "own_zone": "demand__enterprise__zone",
        "own_enterprise": "demand__enterprise",
    }

    class Meta:
        ordering = ["demand", "created", "id"]
        verbose_name = _("诉求附件")
        verbose_name_plural = _("诉求附件")

    def __str__(self):
        return self.name

    def get_download_url(self):
        return reverse("demands:attachment", args=[self.pk])

    @property
    def size_display(self) -> str:
        return (
            f"{self.size / 1024 / 1024:.1f} MB"
            if self.size >= 1024 * 1024
            else f"{max(1, self.size // 1024)} KB"
        )
