"""Units of measure as data: each belongs to a dimension and converts inside it by a factor
to the dimension's base unit; currencies convert only through an exchange rate entered for
the year (``ExchangeRate``)."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yuanqu.core.mixins import ChangeLoggedModel


class Dimension(models.TextChoices):
    CNY = "cny", _("人民币")
    USD = "usd", _("美元")
    AREA = "area", _("面积")
    MASS = "mass", _("重量")
    ENERGY = "energy", _("电量")
    PEOPLE = "people", _("人数")
    ENTERPRISES = "enterprises", _("企业数")
    PROJECTS = "projects", _("项目数")
    ITEMS = "items", _("件数")
    TASKS = "tasks", _("项数")
    RATIO = "ratio", _("比率")


class Unit(ChangeLoggedModel):
    """A unit of measure (万元, 亩 …): its dimension and what one of it is in the base unit."""

    name = models.CharField(_("单位"), max_length=20, unique=True)
    dimension = models.CharField(_("量纲"), max_length=20, choices=Dimension.choices)
    factor = models.DecimalField(
        _("折合基本单位"),
        max_digits=30,
        decimal_places=10,
        help_text=_("1个本单位等于多少个该量纲的基本单位"),
    )
    order = models.PositiveIntegerField(_("排序"), default=100)

    restrict_paths: dict[str, str] = {}  # reference data: a grant reaches all units or none

    class Meta:
        ordering = ["dimension", "order", "factor"]
        verbose_name = _("计量单位")
        verbose_name_plural = _("计量单位")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("figures:unit", args=[self.pk])


class ExchangeRate(ChangeLoggedModel):
    """How many 元 one 美元 was worth in a year (the rate the zone's statistics use)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    usd_cny = models.DecimalField(_("1美元折合人民币（元）"), max_digits=10, decimal_places=4)
    source = models.CharField(_("来源"), max_length=100, blank=True)

    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["-year"]
        verbose_name = _("汇率")
        verbose_name_plural = _("汇率")

    def __str__(self):
        return f"{self.year}年 1美元={self.usd_cny}元"

    def get_absolute_url(self):
        return reverse("figures:exchangerate", args=[self.pk])


class PeerValue(ChangeLoggedModel):
    """Another zone's figure for a month, as the city bureau's monthly 通报 lists it: the
    catalogue then ranks this zone among its peers (居全市第N位) and gives its share (占全市N%).
    A row named 全市 is the city's total: it is the base of the share and is not ranked."""

    CITY = "全市"

    figure = models.CharField(_("数据项"), max_length=80, help_text=_("数据目录中的数据项代码"))
    period = models.DateField(_("月份"), help_text=_("1–N月累计所到的月份"))
    peer = models.CharField(_("园区"), max_length=50, help_text=_("通报中的园区名称；“全市”为全市合计"))
    value = models.DecimalField(_("数值"), max_digits=20, decimal_places=4, null=True, blank=True)
    growth = models.DecimalField(
        _("增速"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("小数，0.095 为增长9.5%"),
    )
    source = models.CharField(
        _("来源"), max_length=100, blank=True, help_text=_("如：市统计局2026年10月通报")
    )

    restrict_paths: dict[str, str] = {}

    class Meta:
        ordering = ["-period", "figure", "peer"]
        verbose_name = _("同级园区数据")
        verbose_name_plural = _("同级园区数据")
        constraints = [models.UniqueConstraint(fields=["figure", "period", "peer"], name="peer_value_unique")]

    def __str__(self):
        return f"{self.peer} {self.period:%Y-%m} {self.figure}"

    def get_absolute_url(self):
        return reverse("figures:peervalue", args=[self.pk])
