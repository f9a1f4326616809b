"""Economic operations (经济运行): the indicator catalogue, monthly values and locks; the
year's targets are the target sheet's (``yuanqu.targets``)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel
from yuanqu.core.versioning import VersionedModel
from yuanqu.users.permissions import RestrictedQuerySet

from .choices import IndicatorKind, IndicatorLevel, Population, Unit

VALUE = dict(max_digits=18, decimal_places=4, null=True, blank=True)


def period_label(period) -> str:
    return f"{period.year}年{period.month}月"


class Indicator(ChangeLoggedModel):
    """An economic indicator (经济指标) of the zone's catalogue, e.g. 规上工业总产值."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("指标名称"), max_length=50, unique=True)
    unit = models.CharField(_("计量单位"), max_length=20, choices=Unit.choices)
    kind = models.CharField(
        _("指标类型"), max_length=20, choices=IndicatorKind.choices, default=IndicatorKind.YTD_FLOW
    )
    level = models.CharField(
        _("填报层级"), max_length=20, choices=IndicatorLevel.choices, default=IndicatorLevel.ENTERPRISE
    )
    population = models.CharField(
        _("统计范围"), max_length=20, choices=Population.choices, default=Population.ALL
    )
    growth_published = models.BooleanField(
        _("增速由统计局公布"), default=False, help_text=_("可比价增速等由统计部门公布、不由本平台推算的指标")
    )
    order = models.PositiveIntegerField(_("排序"), default=100)
    active = models.BooleanField(_("在用"), default=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("经济指标")
        verbose_name_plural = _("经济指标")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("economy:indicator", args=[self.pk])


class VersionedValue(VersionedModel):
    """A reported value per month; a correction is a new version, the old one is kept."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("指标")
    )
    period = models.DateField(_("月份"), help_text=_("该月第一天"))
    month_value = models.DecimalField(_("当月值"), **VALUE)
    ytd_value = models.DecimalField(_("1–N月累计值"), **VALUE)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class EnterpriseMonthlyValue(VersionedValue):
    """One enterprise's value of an indicator for a month (企业月报)."""

    # No index of their own for the two keys: the unique constraint leads with the enterprise
    # and ``emv_indicator_period_ytd`` with the indicator, and every index is written once per
    # value an import inserts (hundreds of thousands at a time).
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="monthly_values",
        verbose_name=_("企业"),
        db_index=False,
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="+", verbose_name=_("指标"), db_index=False
    )

    restrict_paths = {
        "own_department": "enterprise__department",
        "own_zone": "enterprise__zone",
        "own_enterprise": "enterprise",
    }

    class Meta:
        ordering = ["-period", "indicator__order", "enterprise__name", "-version"]
        verbose_name = _("企业月报数据")
        verbose_name_plural = _("企业月报数据")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "indicator", "period", "version"],
                name="enterprise_monthly_value_version",
            )
        ]
        indexes = [
            # Enterprise and YTD ride along, so the cockpit reads every enterprise's YTD of a
            # month from the index alone, not one table page per enterprise.
            models.Index(
                fields=["indicator", "period", "is_current", "enterprise", "ytd_value"],
                name="emv_indicator_period_ytd",
            ),
            models.Index(fields=["period"], name="emv_period"),  # the latest month reported
        ]

    def __str__(self):
        return f"{self.enterprise} {self.indicator} {period_label(self.period)}（第{self.version}版）"

    def get_absolute_url(self):
        return reverse("economy:enterprisemonthlyvalue", args=[self.pk])

    def changelog_parent(self):
        return self.enterprise

    # An import logs the values one row of its file created in one record (``importers.
    # insert_first_versions``): its ``object_id`` is the row's first value, ``postchange_data``
    # names each value under ``values`` ({"id", "indicator", "month_value", "ytd_value"}).

    def changelog_where(self):
        """Besides its own records: the row records of this enterprise's first versions of
        the month, one of which may name this value (``changelog_names`` tells)."""
        from django.contrib.contenttypes.models import ContentType

        if self.version != 1:
            return None
        firsts = EnterpriseMonthlyValue.objects.filter(
            enterprise_id=self.enterprise_id, period=self.period, version=1, pk__lt=self.pk
        ).values_list("pk", flat=True)
        own = ContentType.objects.get_for_model(EnterpriseMonthlyValue)
        return models.Q(content_type=own, object_id__in=[str(pk) for pk in firsts])

    def changelog_names(self, change) -> bool:
        if change.object_id == str(self.pk):
            return True
        values = (change.postchange_data or {}).get("values")
        return isinstance(values, list) and any(
            isinstance(v, dict) and v.get("id") == self.pk for v in values
        )

    @classmethod
    def changelog_rows(cls, name, value):
        """What a row record shows for its ``values``: (label, field, value) of each
        indicator's 当月 and 累计, the value shown as that field's are."""
        if name != "values" or not isinstance(value, list):
            return None
        names = {i.pk: i.name for i in Indicator.objects.filter(pk__in=[v.get("indicator") for v in value])}
        rows = []
        for item in value:
            indicator = names.get(item.get("indicator"), f"#{item.get('indicator')}")
            for field, label in (("month_value", "当月值"), ("ytd_value", "累计值")):
                rows.append((f"{indicator}（{label}）", field, item.get(field)))
        return rows


class ZoneMonthlyFigure(VersionedValue):
    """A zone-level figure for a month (GDP, 固定资产投资 …), with the growth the bureau published."""

    zone = models.ForeignKey(
        "users.Zone", on_delete=models.PROTECT, related_name="+", verbose_name=_("园区/片区")
    )
    published_growth = models.DecimalField(
        _("公布增速"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("小数：0.095 即增长9.5%"),
    )

    restrict_paths = {"own_zone": "zone"}

    class Meta:
        ordering = ["-period", "indicator__order", "zone__order", "-version"]
        verbose_name = _("园区月度数据")
        verbose_name_plural = _("园区月度数据")
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "indicator", "period", "version"], name="zone_monthly_figure_version"
            )
        ]

    def __str__(self):
        return f"{self.zone} {self.indicator} {period_label(self.period)}（第{self.version}版）"

    def get_absolute_url(self):
        return reverse("economy:summary") + f"?period={self.period:%Y-%m}&zone={self.zone_id}"


class PeriodLock(ChangeLoggedModel):
    """A month whose figures are published: no new versions may be recorded for it."""

    period = models.DateField(_("月份"), unique=True)
    comments = models.CharField(_("说明"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["-period"]
        verbose_name = _("月份锁定")
        verbose_name_plural = _("月份锁定")

    def __str__(self):
        return f"{period_label(self.period)}已锁定"

    def get_absolute_url(self):
        return reverse("economy:summary") + f"?period={self.period:%Y-%m}"


class IndicatorRollup(models.Model):
    """Derived sums of the current enterprise values per indicator, month, 片区 and 产业链 (the
    cockpit's and the summary's totals and breakdowns at scale). Not domain data and never
    edited: rebuilt from EnterpriseMonthlyValue on every write by ``economy.rollups``, so it
    has no change log.

    ``paired_*`` cover the comparable set (同口径): enterprises of the cell with a 1–N月累计
    both this month and a year earlier; ``paired_base`` is their year-earlier sum."""

    SUM = dict(max_digits=24, decimal_places=4, null=True)

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    zone = models.ForeignKey("users.Zone", on_delete=models.CASCADE, null=True, related_name="+")
    industry_chain = models.ForeignKey(
        "enterprises.IndustryChain", on_delete=models.CASCADE, null=True, related_name="+"
    )
    month_sum = models.DecimalField(**SUM)
    month_count = models.PositiveIntegerField(default=0)
    ytd_sum = models.DecimalField(**SUM)
    ytd_count = models.PositiveIntegerField(default=0)
    paired_count = models.PositiveIntegerField(default=0)
    paired_ytd = models.DecimalField(**SUM)
    paired_base = models.DecimalField(**SUM)

    class Meta:
        ordering = ["indicator", "period", "zone"]
        verbose_name = _("指标汇总（派生）")
        verbose_name_plural = _("指标汇总（派生）")
        indexes = [models.Index(fields=["indicator", "period"], name="rollup_indicator_period")]

    def __str__(self):
        return f"{self.indicator_id} {period_label(self.period)} {self.zone_id or '未划片区'}"
