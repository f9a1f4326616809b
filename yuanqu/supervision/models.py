"""Supervision (督查督办): work points decomposed into tasks that report on a cycle, and
rectification lists whose items close only with evidence."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel, ChildMixin, PrimaryModel
from yuanqu.users.permissions import RestrictedQuerySet

from .choices import PeriodKind, ReportCycle, ReviewResult, TaskStatus, WorkPointSource


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
    due_text = models.CharField(_("时限表述"), max_length=50, blank=True, help_text=_("如“6月底前完成”"))
    status = models.CharField(
        _("状态"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消原因"), blank=True)

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


class TaskUrge(ChildMixin, ChangeLoggedModel):
    """A 催办 by the supervision office: who pressed the lead department, when and why."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="urges", verbose_name=_("任务"))
    urged_on = models.DateField(_("催办日期"))
    text = models.TextField(_("催办内容"))
    urged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("催办人")
    )

    parent_field = "task"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "task__department"}

    class Meta:
        ordering = ["task", "-urged_on", "-id"]
        verbose_name = _("催办")
        verbose_name_plural = _("催办")

    def __str__(self):
        return f"{self.task.number} 催办 {self.urged_on:%Y-%m-%d}"


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


# --- 目标管理考核 ---------------------------------------------------------------------------


class AssessmentPeriod(ChangeLoggedModel):
    """One assessment period (a week's 通报, a month's 小结 …) with its rules: the weights of
    the five components (they add up to 100) and the points deducted per item. Periods made
    before the 目标完成 component keep their four weights and a target weight of 0."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=PeriodKind.choices)
    start_on = models.DateField(_("起始日期"))
    end_on = models.DateField(_("截止日期"))
    weight_tasks = models.DecimalField(_("任务按时完成率权重"), max_digits=5, decimal_places=2, default=30)
    weight_reports = models.DecimalField(_("按时报送率权重"), max_digits=5, decimal_places=2, default=15)
    weight_demands_on_time = models.DecimalField(
        _("诉求按时办结率权重"), max_digits=5, decimal_places=2, default=20
    )
    weight_demands_satisfied = models.DecimalField(
        _("诉求满意率权重"), max_digits=5, decimal_places=2, default=15
    )
    weight_targets = models.DecimalField(
        _("目标完成率权重"),
        max_digits=5,
        decimal_places=2,
        default=20,
        help_text=_("按责任单位的年度目标亮灯计算：（绿灯数 + 0.5 × 黄灯数）÷ 亮灯目标数"),
    )
    overdue_deduction = models.DecimalField(_("每项逾期扣分"), max_digits=5, decimal_places=2, default=2)
    notice_deduction = models.DecimalField(_("每次通报扣分"), max_digits=5, decimal_places=2, default=5)
    computed_at = models.DateTimeField(_("计算时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["-end_on", "name"]
        verbose_name = _("考核期")
        verbose_name_plural = _("考核期")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("supervision:assessmentperiod", args=[self.pk])


class AssessmentNotice(ChildMixin, ChangeLoggedModel):
    """A 通报批评 of a department within a period: deducted in that period's score."""

    period = models.ForeignKey(
        AssessmentPeriod, on_delete=models.CASCADE, related_name="notices", verbose_name=_("考核期")
    )
    department = models.ForeignKey(
        "users.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("被通报单位")
    )
    issued_on = models.DateField(_("通报日期"))
    text = models.CharField(_("通报事由"), max_length=300)

    parent_field = "period"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "department"}

    class Meta:
        ordering = ["period", "issued_on", "id"]
        verbose_name = _("考核通报")
        verbose_name_plural = _("考核通报")

    def __str__(self):
        return f"{self.department} {self.issued_on:%Y-%m-%d}"


class AssessmentScore(ChildMixin, ChangeLoggedModel):
    """One department's computed score in a period (rates in %, None when nothing to rate)."""

    period = models.ForeignKey(
        AssessmentPeriod, on_delete=models.CASCADE, related_name="scores", verbose_name=_("考核期")
    )
    department = models.ForeignKey(
        "users.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    task_rate = models.DecimalField(_("任务按时完成率"), max_digits=5, decimal_places=1, null=True)
    report_rate = models.DecimalField(_("按时报送率"), max_digits=5, decimal_places=1, null=True)
    demand_on_time_rate = models.DecimalField(_("诉求按时办结率"), max_digits=5, decimal_places=1, null=True)
    demand_satisfied_rate = models.DecimalField(_("诉求满意率"), max_digits=5, decimal_places=1, null=True)
    target_rate = models.DecimalField(_("目标完成率"), max_digits=5, decimal_places=1, null=True)
    task_score = models.DecimalField(_("任务得分"), max_digits=6, decimal_places=2)
    report_score = models.DecimalField(_("报送得分"), max_digits=6, decimal_places=2)
    demand_on_time_score = models.DecimalField(_("办结得分"), max_digits=6, decimal_places=2)
    demand_satisfied_score = models.DecimalField(_("满意得分"), max_digits=6, decimal_places=2)
    target_score = models.DecimalField(_("目标得分"), max_digits=6, decimal_places=2)
    overdue_count = models.PositiveIntegerField(_("逾期事项"))
    notice_count = models.PositiveIntegerField(_("通报次数"))
    deduction = models.DecimalField(_("扣分"), max_digits=6, decimal_places=2)
    total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2)
    rank = models.PositiveSmallIntegerField(_("名次"))

    parent_field = "period"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "department"}

    class Meta:
        ordering = ["period", "rank", "department__name"]
        unique_together = [("period", "department")]
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")

    def __str__(self):
        return f"{self.period} {self.department}"
