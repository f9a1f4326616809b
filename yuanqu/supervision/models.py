"""Supervision (督查督办): work points decomposed into tasks that report on a cycle, and
rectification lists whose items close only with evidence."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel, ChildMixin, PrimaryModel
from yuanqu.users.permissions import RestrictedQuerySet

from .choices import ReportCycle, ReviewResult, TaskStatus, WorkPointSource


class WorkPoint(ChangeLoggedModel):
    """One item of the annual 工作要点, a meeting decision or a leader's instruction."""

    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.CharField(_("编号"), max_length=20)
    title = models.CharField(_("标题"), max_length=200)
    source = models.CharField(_("来源"), max_length=20, choices=WorkPointSource.choices)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["-year", "number"]
        unique_together = [("year", "number")]
        verbose_name = _("工作要点")
        verbose_name_plural = _("工作要点")

    def __str__(self):
        return f"{self.year}-{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("supervision:task_list") + f"?work_point={self.pk}"


class Task(PrimaryModel):
    """A supervised task; ``department`` is the lead (牵头) department."""

    number = models.CharField(_("任务编号"), max_length=20, unique=True)
    work_point = models.ForeignKey(
        WorkPoint, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("工作要点")
    )
    text = models.TextField(_("任务内容"))
    target = models.CharField(_("量化目标"), max_length=300, blank=True)
    supporting_departments = models.ManyToManyField(
        "users.Department", blank=True, related_name="supported_tasks", verbose_name=_("配合单位")
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任领导"),
    )
    report_cycle = models.CharField(_("报送周期"), max_length=20, choices=ReportCycle.choices)
    start_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("完成时限"))
    status = models.CharField(
        _("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "department"}

    class Meta:
        ordering = ["due_on", "number"]
        verbose_name = _("督办任务")
        verbose_name_plural = _("督办任务")

    def __str__(self):
        return f"{self.number} {self.text[:30]}"

    def get_absolute_url(self):
        return reverse("supervision:task", args=[self.pk])


class TaskMilestone(ChildMixin, ChangeLoggedModel):
    """A 时间节点 of a task (“6月底前完成”)."""

    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("任务")
    )
    text = models.CharField(_("节点内容"), max_length=200)
    due_on = models.DateField(_("节点时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    parent_field = "task"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "task__department"}

    class Meta:
        ordering = ["task", "due_on"]
        verbose_name = _("时间节点")
        verbose_name_plural = _("时间节点")

    def __str__(self):
        return self.text


class TaskReport(ChildMixin, ChangeLoggedModel):
    """A dated progress report of a task; never edited, a correction is a new report."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports", verbose_name=_("任务"))
    reported_on = models.DateField(_("报送日期"))
    progress = models.TextField(_("进展情况"))
    percent = models.PositiveSmallIntegerField(_("完成进度（%）"))
    problems = models.TextField(_("存在问题"), blank=True)
    next_step = models.TextField(_("下步计划"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("报送人")
    )

    parent_field = "task"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "task__department"}

    class Meta:
        ordering = ["task", "-reported_on", "-id"]
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")

    def __str__(self):
        return f"{self.task.number} {self.reported_on:%Y-%m-%d}"


class RectificationItem(PrimaryModel):
    """One item of a rectification list (整改清单); ``department`` is the 责任单位."""

    list_name = models.CharField(_("整改清单"), max_length=100)
    number = models.CharField(_("序号"), max_length=20)
    problem = models.TextField(_("问题"))
    requirement = models.TextField(_("目标要求"), blank=True)
    measures = models.TextField(_("整改措施"), blank=True)
    due_on = models.DateField(_("时间节点"))
    evidence = models.TextField(_("佐证材料"), blank=True)
    evidence_file = models.CharField(_("佐证文件名"), max_length=200, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "department"}

    class Meta:
        ordering = ["list_name", "number"]
        unique_together = [("list_name", "number")]
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")

    def __str__(self):
        return f"{self.list_name} {self.number}"

    def get_absolute_url(self):
        return reverse("supervision:rectification", args=[self.pk])


class LookbackReview(ChildMixin, ChangeLoggedModel):
    """A 回头看 of a closed item: passed, or the problem recurred and the item is reopened."""

    item = models.ForeignKey(
        RectificationItem, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("整改事项")
    )
    reviewed_on = models.DateField(_("复查日期"))
    result = models.CharField(_("结果"), max_length=20, choices=ReviewResult.choices)
    note = models.TextField(_("说明"), blank=True)

    parent_field = "item"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "item__department"}

    class Meta:
        ordering = ["item", "-reviewed_on", "-id"]
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")

    def __str__(self):
        return f"{self.item} {self.reviewed_on:%Y-%m-%d}"
