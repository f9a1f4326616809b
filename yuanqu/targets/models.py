"""The target sheet (目标责任书): a year's targets, each pointing at a figure of the catalogue
or reported by its responsible department (``TargetReport``), and the light bands that judge
their progress (``LightBand``)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel, ChildMixin
from yuanqu.users.permissions import RestrictedQuerySet

from .choices import BandKind, Comparator, Light, TargetKind


def check_phasing(phasing) -> None:
    """12 cumulative shares of the year's target, not decreasing, between 0 and 1."""
    if phasing is None:
        return
    if not isinstance(phasing, list) or len(phasing) != 12:
        raise ValidationError({"phasing": "分月进度须为12个数（1–12月末的累计比例）"})
    try:
        shares = [float(x) for x in phasing]
    except (TypeError, ValueError):
        raise ValidationError({"phasing": "分月进度须全部为数字"}) from None
    if any(b < a for a, b in zip(shares, shares[1:], strict=False)) or not 0 <= shares[0] <= shares[-1] <= 1:
        raise ValidationError({"phasing": "分月进度须逐月不减，且在0到1之间"})


class Target(ChangeLoggedModel):
    """One line of a year's target sheet, as the plan states it: “地区生产总值增长9%以上” is a
    growth target of 9 % with comparator ge; “引进亿元以上项目78个” a total of 78 个."""

    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("指标"), max_length=100)
    figure = models.CharField(
        _("数据项"),
        max_length=80,
        blank=True,
        help_text=_("数据目录中的数据项代码，如 economy.gdp；留空为填报指标，由责任单位逐月填报完成数"),
    )
    kind = models.CharField(_("类型"), max_length=10, choices=TargetKind.choices)
    value = models.DecimalField(_("目标值"), max_digits=20, decimal_places=4)
    unit = models.ForeignKey(
        "figures.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位")
    )
    comparator = models.CharField(_("口径"), max_length=10, choices=Comparator.choices, default=Comparator.GE)
    tolerance = models.DecimalField(
        _("左右容差"),
        max_digits=9,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("口径为“左右”时允许的偏差：增速目标为百分点，总量目标为目标值的百分比；留空取系统设置"),
    )
    department = models.ForeignKey(
        "users.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("责任单位"),
    )
    zone = models.ForeignKey(
        "users.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("片区"),
        help_text=_("目标只考核该片区时选择；留空为全园区"),
    )
    scope_department = models.ForeignKey(
        "users.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("口径部门"),
        help_text=_("数据项按该部门的记录计算时选择（如某部门引进的项目）；留空为全园区"),
    )
    phasing = models.JSONField(
        _("分月进度"),
        null=True,
        blank=True,
        help_text=_("12个数，各月末应完成全年目标的累计比例；留空按月均匀（序时进度 = 月份/12）"),
    )
    order = models.PositiveIntegerField(_("排序"), default=0)
    comments = models.TextField(_("备注"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "department", "own_zone": "zone"}

    class Meta:
        ordering = ["-year", "order", "pk"]
        verbose_name = _("年度目标")
        verbose_name_plural = _("年度目标")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name"],
                condition=models.Q(zone=None, scope_department=None),
                name="target_unique_park",
                violation_error_message="该年度已有同名的全园区目标",
            ),
            models.UniqueConstraint(
                fields=["year", "name", "zone", "scope_department"],
                name="target_unique_scope",
                violation_error_message="该年度该口径已有同名目标",
            ),
        ]

    def __str__(self):
        scope = self.zone or self.scope_department
        return f"{self.year}年{f'{scope}' if scope else ''}{self.name}"

    def get_absolute_url(self):
        return reverse("targets:target", args=[self.pk])

    @property
    def reported(self) -> bool:
        return not self.figure

    def stated(self) -> str:
        """The target as a plan writes it: “增长9%以上”, “78个”, “3起以内”."""
        number = f"{self.value.normalize():f}"
        words = {"ge": "以上", "approx": "左右", "le": "以内", "eq": ""}[self.comparator]
        if self.kind == TargetKind.GROWTH:
            return f"增长{number}{self.unit}{words}"
        return f"{number}{self.unit}{words}"

    def clean(self):
        check_phasing(self.phasing)
        errors = {}
        if self.kind == TargetKind.GROWTH and self.unit_id and self.unit.name != "%":
            errors["unit"] = "增速目标的单位应为%"
        if self.zone_id and self.scope_department_id:
            errors["scope_department"] = "片区和口径部门只能选择一项"
        if self.tolerance is not None and self.tolerance < 0:
            errors["tolerance"] = "容差不能为负数"
        if self.figure:
            from yuanqu.figures.catalogue import figures

            found = figures().get(self.figure)
            if found is None:
                errors["figure"] = f"数据目录中没有数据项“{self.figure}”"
            elif self.kind == TargetKind.TOTAL and self.unit_id:
                from yuanqu.figures.units import UnitError, convertible

                try:
                    if not convertible(found.unit, self.unit.name):
                        errors["unit"] = f"单位“{self.unit}”与数据项的单位“{found.unit}”不是同一量纲"
                except UnitError as exc:
                    errors["unit"] = str(exc)
            elif self.zone_id and "zone" not in found.scopes:
                errors["zone"] = "该数据项不能按片区计算"
            elif self.scope_department_id and "department" not in found.scopes:
                errors["scope_department"] = "该数据项不能按部门计算"
        if errors:
            raise ValidationError(errors)


class TargetReport(ChildMixin, ChangeLoggedModel):
    """The responsible department's figure for a month: the 1–N月累计 completed (a total
    target) or the growth in % (a growth target), in the target's unit."""

    target = models.ForeignKey(
        Target, on_delete=models.CASCADE, related_name="reports", verbose_name=_("目标")
    )
    period = models.DateField(_("月份"), help_text=_("1–N月累计所到的月份"))
    actual = models.DecimalField(
        _("完成数"),
        max_digits=20,
        decimal_places=4,
        help_text=_("总量目标填1–N月累计完成数；增速目标填增速（%），如 8.5"),
    )
    comments = models.TextField(_("说明"), blank=True)

    parent_field = "target"
    objects = RestrictedQuerySet.as_manager()
    restrict_paths = {"own_department": "target__department", "own_zone": "target__zone"}

    class Meta:
        ordering = ["target", "-period"]
        verbose_name = _("目标进度填报")
        verbose_name_plural = _("目标进度填报")
        constraints = [models.UniqueConstraint(fields=["target", "period"], name="target_report_unique")]

    def __str__(self):
        return f"{self.target} {self.period:%Y-%m}"

    def clean(self):
        if self.period and self.target_id and self.period.year != self.target.year:
            raise ValidationError({"period": f"月份应在目标年度{self.target.year}年内"})


class LightBand(ChangeLoggedModel):
    """One band of the target lights: a margin in [lower, upper) percentage points gives this
    light. The margin is the gap turned so that more is better (see ``progress``)."""

    kind = models.CharField(_("规则类别"), max_length=10, choices=BandKind.choices)
    lower = models.DecimalField(_("下限（含）"), max_digits=9, decimal_places=2, null=True, blank=True)
    upper = models.DecimalField(_("上限（不含）"), max_digits=9, decimal_places=2, null=True, blank=True)
    light = models.CharField(_("亮灯"), max_length=10, choices=Light.choices)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["kind", models.F("lower").asc(nulls_first=True)]
        verbose_name = _("目标亮灯规则")
        verbose_name_plural = _("目标亮灯规则")

    def __str__(self):
        low = "−∞" if self.lower is None else self.lower
        high = "+∞" if self.upper is None else self.upper
        return f"{self.get_kind_display()} [{low}, {high}) → {self.get_light_display()}"

    def get_absolute_url(self):
        return reverse("targets:lightband_list")


class Synonym(ChangeLoggedModel):
    """Another name a plan or a sheet uses for a catalogue figure (GDP = 地区生产总值, FDI =
    实际利用外资): the target import matches 指标 by key, name, then these."""

    name = models.CharField(_("别名"), max_length=100, unique=True)
    figure = models.CharField(_("数据项"), max_length=80, help_text=_("数据目录中的数据项代码"))

    objects = RestrictedQuerySet.as_manager()
    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["name"]
        verbose_name = _("指标别名")
        verbose_name_plural = _("指标别名")

    def __str__(self):
        return f"{self.name} → {self.figure}"

    def get_absolute_url(self):
        return reverse("targets:synonym", args=[self.pk])

    def clean(self):
        from yuanqu.figures.catalogue import figures

        if self.figure and self.figure not in figures():
            raise ValidationError({"figure": f"数据目录中没有数据项“{self.figure}”"})
