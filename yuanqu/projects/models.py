"""Key projects (重点项目): the project book, annual plans, milestones, monthly progress,
blockers, light rules and escalations to the scheduling meeting."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel, ChildMixin, PrimaryModel
from yuanqu.core.versioning import VersionedModel
from yuanqu.users.permissions import RestrictedQuerySet

from .choices import BlockerKind, Light, MilestoneKind, ProjectLevel, ProjectType, RuleKind

MONEY = dict(max_digits=14, decimal_places=2)
CHILD_PATHS = {"own_department": "project__department"}


class KeyProject(PrimaryModel):
    """A key project (重点项目) with its 包保 leader, responsible department and liaison."""

    code = models.CharField(_("项目编号"), max_length=30, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_projects",
        verbose_name=_("业主企业"),
    )
    type = models.CharField(_("项目类型"), max_length=20, choices=ProjectType.choices)
    total_investment_wan = models.DecimalField(_("计划总投资（万元）"), **MONEY)
    fai_registered = models.BooleanField(_("已入库"), default=False, help_text=_("已纳入固定资产投资统计库"))
    fai_registered_on = models.DateField(_("入库日期"), null=True, blank=True)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("包保领导"),
    )
    liaison = models.CharField(_("联络员"), max_length=50, blank=True)
    image_progress = models.TextField(_("形象进度"), blank=True)
    weekly_watch = models.BooleanField(_("周调度"), default=False, help_text=_("领导列入每周调度的项目"))
    watch_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("周调度设置人"),
    )
    watch_set_on = models.DateField(_("周调度设置日期"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "department"}

    class Meta:
        ordering = ["code"]
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:keyproject", args=[self.pk])

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.fai_registered and not self.fai_registered_on:
            raise ValidationError({"fai_registered_on": "已入库的项目须填写入库日期"})


class ProjectYearPlan(ChildMixin, ChangeLoggedModel):
    """A project's place on one list (省/市/区重点) for a year, with that list's annual plan."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="plans", verbose_name=_("项目")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("级别"), max_length=20, choices=ProjectLevel.choices)
    annual_plan_wan = models.DecimalField(_("年度计划投资（万元）"), **MONEY)

    parent_field = "project"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = CHILD_PATHS

    class Meta:
        ordering = ["-year", "project__code", "level"]
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "level"], name="project_year_level")
        ]

    def __str__(self):
        return f"{self.project} {self.year}年{self.get_level_display()}"


class Milestone(ChildMixin, ChangeLoggedModel):
    """A planned node (拿地, 开工 …) of a project with its planned and actual dates."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("项目")
    )
    kind = models.CharField(_("节点"), max_length=20, choices=MilestoneKind.choices)
    planned_on = models.DateField(_("计划日期"))
    actual_on = models.DateField(_("实际日期"), null=True, blank=True)

    parent_field = "project"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = CHILD_PATHS

    class Meta:
        ordering = ["project__code", "planned_on"]
        verbose_name = _("项目节点")
        verbose_name_plural = _("项目节点")
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="project_milestone_kind")]

    def __str__(self):
        return f"{self.project} {self.get_kind_display()}"


class MonthlyProgress(ChildMixin, VersionedModel):
    """A month's report of a project; a correction is a new version, the old one is kept."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.PROTECT, related_name="progress", verbose_name=_("项目")
    )
    period = models.DateField(_("月份"), help_text=_("该月第一天"))
    month_investment_wan = models.DecimalField(_("当月完成投资（万元）"), **MONEY)
    physical_progress = models.TextField(_("形象进度"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)

    parent_field = "project"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = CHILD_PATHS

    class Meta:
        ordering = ["project__code", "-period", "-version"]
        verbose_name = _("项目月报")
        verbose_name_plural = _("项目月报")
        constraints = [
            models.UniqueConstraint(fields=["project", "period", "version"], name="project_progress_version")
        ]

    def __str__(self):
        return f"{self.project} {self.period.year}年{self.period.month}月（第{self.version}版）"


class WeeklyReport(ChildMixin, VersionedModel):
    """A week's report of a project on weekly watch (周报); a correction is a new version."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.PROTECT, related_name="weekly_reports", verbose_name=_("项目")
    )
    week = models.DateField(_("周"), help_text=_("该周星期一"))
    progress_text = models.TextField(_("本周进展"))
    problems = models.TextField(_("存在问题"), blank=True)
    next_step = models.TextField(_("下周计划"), blank=True)

    parent_field = "project"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = CHILD_PATHS

    class Meta:
        ordering = ["project__code", "-week", "-version"]
        verbose_name = _("项目周报")
        verbose_name_plural = _("项目周报")
        constraints = [
            models.UniqueConstraint(fields=["project", "week", "version"], name="project_weekly_version")
        ]

    def __str__(self):
        return f"{self.project} {self.week:%Y-%m-%d}周（第{self.version}版）"


class Blocker(ChildMixin, ChangeLoggedModel):
    """A blocker (堵点/要素保障问题) of a project with its owner department and deadline.

    ``demand`` and ``task`` link it to the enterprise demand or the supervision task it
    became (one conversion only)."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="blockers", verbose_name=_("项目")
    )
    kind = models.CharField(_("类别"), max_length=20, choices=BlockerKind.choices)
    description = models.TextField(_("问题描述"))
    owner_department = models.ForeignKey(
        "users.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任部门"),
    )
    deadline = models.DateField(_("解决时限"), null=True, blank=True)
    resolved_on = models.DateField(_("解决日期"), null=True, blank=True)
    demand = models.ForeignKey(
        "demands.Demand",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_blockers",
        verbose_name=_("转为诉求"),
    )
    task = models.ForeignKey(
        "supervision.Task",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="project_blockers",
        verbose_name=_("转为督办任务"),
    )

    parent_field = "project"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = CHILD_PATHS

    class Meta:
        ordering = ["resolved_on", "deadline", "pk"]
        verbose_name = _("项目堵点")
        verbose_name_plural = _("项目堵点")

    def __str__(self):
        return f"{self.project} {self.get_kind_display()}：{self.description[:30]}"


class LightRule(ChangeLoggedModel):
    """One band of a light rule: a measure in [lower, upper) gives this light.

    The bands of one kind must cover the whole line (empty bounds are −∞/+∞) without gaps or
    overlaps; ``services.lights.check_rules`` raises a configuration error otherwise."""

    kind = models.CharField(_("规则类别"), max_length=20, choices=RuleKind.choices)
    lower = models.DecimalField(_("下限（含）"), max_digits=9, decimal_places=2, null=True, blank=True)
    upper = models.DecimalField(_("上限（不含）"), max_digits=9, decimal_places=2, null=True, blank=True)
    light = models.CharField(_("亮灯"), max_length=10, choices=Light.choices)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths: dict[str, str] = {}

    class Meta:
        # −∞ (an empty lower bound) first on every database; PostgreSQL sorts NULLs last.
        ordering = ["kind", models.F("lower").asc(nulls_first=True)]
        verbose_name = _("亮灯规则")
        verbose_name_plural = _("亮灯规则")

    def __str__(self):
        low = "−∞" if self.lower is None else self.lower
        high = "+∞" if self.upper is None else self.upper
        return f"{self.get_kind_display()} [{low}, {high}) → {self.get_light_display()}"

    def get_absolute_url(self):
        return reverse("projects:lightrule_list")


class Escalation(ChildMixin, ChangeLoggedModel):
    """A red project raised to the leader's scheduling meeting (提级调度), with the decision."""

    project = models.ForeignKey(
        KeyProject, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("项目")
    )
    period = models.DateField(_("亮灯月份"))
    reason = models.TextField(_("提级理由"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提请人")
    )
    decision = models.TextField(_("调度决定"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)

    parent_field = "project"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = CHILD_PATHS

    class Meta:
        ordering = ["decided_on", "-period", "pk"]
        verbose_name = _("提级调度")
        verbose_name_plural = _("提级调度")

    def __str__(self):
        return f"{self.project} 提级调度（{self.period.year}年{self.period.month}月）"
