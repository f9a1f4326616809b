"""亩均效益综合评价 (REFERENCE §6): yearly schemes, their indicators, the inputs the economy
catalogue lacks, the per-enterprise results and the enterprises' appeals."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel, ChildMixin, PrimaryModel
from yuanqu.enterprises.choices import ScaleKind
from yuanqu.users.permissions import RestrictedQuerySet, has_perm

from .choices import AppealStatus, Change, ClassBasis, Grade, IndicatorCode, SchemeStatus, WhenMissing

AMOUNT = dict(max_digits=18, decimal_places=4, null=True, blank=True, validators=[MinValueValidator(0)])
ENTERPRISE_PATHS = {
    "own_department": "enterprise__department",
    "own_zone": "enterprise__zone",
    "own_enterprise": "enterprise",
}


def published_only(user, scheme_path) -> Q | None:
    """A draft scheme's results and appeals are for those who may see the schemes (staff,
    leaders); everyone else (enterprises, grid workers, inspectors …) sees published years."""
    if has_perm(user, EvaluationScheme, "view"):
        return None
    return Q(**{f"{scheme_path}__status": SchemeStatus.PUBLISHED})


def default_populations():
    return [ScaleKind.INDUSTRY.value]


def changelog_labels(field_name) -> dict:
    """Chinese names for the codes kept in JSON fields, for the change log."""
    from .services import INPUTS

    labels = {"value": "值", "source": "来源", "points": "得分", "note": "说明"}
    labels.update(ScaleKind.choices)
    labels.update(IndicatorCode.choices)
    labels.update({key: name for key, (name, _unit, _code) in INPUTS.items()})
    return labels


class EvaluationScheme(PrimaryModel):
    """The rules of one year's evaluation (年度评价方案): who is covered, indicators, cut-offs."""

    changelog_labels = staticmethod(changelog_labels)

    year = models.PositiveSmallIntegerField(_("评价年度"), unique=True, help_text=_("被评价数据所属年度"))
    populations = models.JSONField(
        _("参评规上类别"), default=default_populations, blank=True, help_text=_("当年列入这些类别的企业参评")
    )
    land_threshold_mu = models.DecimalField(
        _("其他企业用地门槛（亩）"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("不属于上述类别、用地面积达到此数的企业也参评；留空则只评上述类别"),
    )
    class_basis = models.CharField(
        _("分类依据"), max_length=10, choices=ClassBasis.choices, default=ClassBasis.RANK
    )
    cut_a = models.DecimalField(_("A类档线"), max_digits=9, decimal_places=2, default=20)
    cut_b = models.DecimalField(_("B类档线"), max_digits=9, decimal_places=2, default=65)
    cut_c = models.DecimalField(_("C类档线"), max_digits=9, decimal_places=2, default=95)
    status = models.CharField(
        _("状态"), max_length=10, choices=SchemeStatus.choices, default=SchemeStatus.DRAFT
    )
    published_on = models.DateField(_("公布日期"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("最近评价时间"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "department"}

    class Meta:
        ordering = ["-year"]
        verbose_name = _("年度评价方案")
        verbose_name_plural = _("年度评价方案")

    def __str__(self):
        return f"{self.year}年度亩均效益综合评价"

    def get_absolute_url(self):
        return reverse("evaluation:evaluationscheme", args=[self.pk])

    def populations_display(self) -> str:
        labels = dict(ScaleKind.choices)
        return "、".join(str(labels.get(p, p)) for p in self.populations or []) or "—"

    def cuts_display(self) -> str:
        if self.class_basis == ClassBasis.RANK:
            return f"A 前{self.cut_a}%，B 前{self.cut_b}%，C 前{self.cut_c}%，其余 D（按排名累计）"
        return f"A ≥{self.cut_a}分，B ≥{self.cut_b}分，C ≥{self.cut_c}分，其余 D"


class SchemeIndicator(ChildMixin, ChangeLoggedModel):
    """One indicator of a scheme: points = value / benchmark × weight, optionally capped."""

    parent_field = "scheme"

    scheme = models.ForeignKey(
        EvaluationScheme, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("评价方案")
    )
    code = models.CharField(_("指标"), max_length=30, choices=IndicatorCode.choices)
    weight = models.DecimalField(_("权重"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    benchmark = models.DecimalField(_("基准值"), max_digits=18, decimal_places=6)
    max_points = models.DecimalField(
        _("得分上限"), max_digits=6, decimal_places=2, null=True, blank=True, help_text=_("留空不封顶")
    )
    when_missing = models.CharField(
        _("缺数据时"), max_length=20, choices=WhenMissing.choices, default=WhenMissing.NOT_SCORED
    )

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "scheme__department"}

    class Meta:
        ordering = ["scheme", "id"]
        verbose_name = _("评价指标")
        verbose_name_plural = _("评价指标")
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="scheme_indicator_unique")]

    def __str__(self):
        return f"{self.scheme.year}年{self.get_code_display()}"


class EvaluationInput(ChangeLoggedModel):
    """An enterprise's annual data for the evaluation that the monthly reports do not carry
    (工业增加值, 综合能耗, 排放量) or that replace them (评价税收 …); blank = from the reports."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    tax_wan = models.DecimalField(_("评价税收（万元）"), **AMOUNT)
    revenue_wan = models.DecimalField(_("主营业务收入（万元）"), **AMOUNT)
    value_added_wan = models.DecimalField(_("工业增加值（万元）"), **AMOUNT)
    energy_tce = models.DecimalField(_("综合能耗（吨标煤）"), **AMOUNT)
    emissions_t = models.DecimalField(_("主要污染物排放量（吨）"), **AMOUNT)
    employees = models.DecimalField(_("年平均职工人数"), **AMOUNT)
    rd_wan = models.DecimalField(_("R&D经费支出（万元）"), **AMOUNT)
    electricity_wan_kwh = models.DecimalField(_("用电量（万千瓦时）"), **AMOUNT)
    source = models.CharField(
        _("数据来源"), max_length=100, blank=True, help_text=_("如 统计局年报、税务部门")
    )

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = ENTERPRISE_PATHS

    class Meta:
        ordering = ["-year", "enterprise__name"]
        verbose_name = _("评价基础数据")
        verbose_name_plural = _("评价基础数据")
        constraints = [models.UniqueConstraint(fields=["enterprise", "year"], name="evaluation_input_unique")]

    def __str__(self):
        return f"{self.enterprise} {self.year}年评价基础数据"

    def get_absolute_url(self):
        return reverse("evaluation:evaluationinput_edit", args=[self.pk])

    def changelog_parent(self):
        return self.enterprise


class EvaluationResult(ChangeLoggedModel):
    """One enterprise's result in a year: its inputs and where they came from, each
    indicator's value and points, the score, rank and class, and the change from last year."""

    changelog_labels = staticmethod(changelog_labels)

    scheme = models.ForeignKey(
        EvaluationScheme, on_delete=models.PROTECT, related_name="results", verbose_name=_("评价方案")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="+", verbose_name=_("企业")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    evaluated = models.BooleanField(_("已计分"), default=False)
    note = models.TextField(_("说明"), blank=True)
    land_area_mu = models.DecimalField(
        _("用地面积（亩）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    inputs = models.JSONField(_("基础数据"), default=dict, blank=True)
    values = models.JSONField(_("指标值与得分"), default=dict, blank=True)
    score = models.DecimalField(_("综合得分"), max_digits=12, decimal_places=4, null=True, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)
    computed_class = models.CharField(_("计算分类"), max_length=1, choices=Grade.choices, blank=True)
    adjusted_class = models.CharField(_("调档后分类"), max_length=1, choices=Grade.choices, blank=True)
    adjust_reason = models.CharField(_("调档理由"), max_length=200, blank=True)
    grade = models.CharField(_("分类"), max_length=1, choices=Grade.choices, blank=True, db_index=True)
    previous_grade = models.CharField(_("上年分类"), max_length=1, choices=Grade.choices, blank=True)
    change = models.CharField(_("较上年"), max_length=10, choices=Change.choices, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = ENTERPRISE_PATHS

    @classmethod
    def visible_q(cls, user):
        return published_only(user, "scheme")

    class Meta:
        ordering = ["-year", "rank", "enterprise__name"]
        verbose_name = _("亩均评价结果")
        verbose_name_plural = _("亩均评价结果")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "enterprise"], name="evaluation_result_unique")
        ]

    def __str__(self):
        return f"{self.enterprise} {self.year}年亩均评价"

    def get_absolute_url(self):
        return reverse("evaluation:evaluationresult", args=[self.pk])

    def change_display(self) -> str:
        if not self.grade:
            return ""
        if self.change == Change.NEW or not self.previous_grade:
            return "首次评价"
        arrow = {Change.UP: "↑", Change.DOWN: "↓", Change.SAME: "→"}[self.change]
        return f"{arrow} {self.previous_grade}→{self.grade}"


class Appeal(ChildMixin, ChangeLoggedModel):
    """An enterprise's objection to its result (申诉/公示异议), recorded and resolved; an
    accepted appeal may correct the data, after which the year is scored again."""

    changelog_labels = staticmethod(changelog_labels)

    parent_field = "result"

    result = models.ForeignKey(
        EvaluationResult, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("评价结果")
    )
    reason = models.TextField(_("申诉理由"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("提交人"),
    )
    submitted_on = models.DateField(_("提交日期"), default=timezone.localdate)
    status = models.CharField(
        _("状态"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    resolution = models.TextField(_("处理意见"), blank=True)
    resolver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("处理人"),
    )
    resolved_on = models.DateField(_("处理日期"), null=True, blank=True)
    corrections = models.JSONField(_("更正的数据"), default=dict, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {
        "own_department": "result__scheme__department",
        "own_zone": "result__enterprise__zone",
        "own_enterprise": "result__enterprise",
    }

    @classmethod
    def visible_q(cls, user):
        return published_only(user, "result__scheme")

    class Meta:
        ordering = ["-submitted_on", "-id"]
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")

    def __str__(self):
        return f"{self.result.enterprise}对{self.result.year}年评价结果的申诉"

    def get_absolute_url(self):
        return reverse("evaluation:appeal", args=[self.pk])
