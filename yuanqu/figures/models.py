"""Units of measure as data: each belongs to a dimension and converts inside it by a factor
to the dimension's base unit; currencies convert only through an exchange rate entered for
the year (``ExchangeRate``)."""

from django.db import models
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
    name = models.CharField(_("单位"), max_length=20, unique=True)
    dimension = models.CharField(_("量纲"), max_length=20, choices=Dimension.choices)
    factor = models.DecimalField(
        _("折合基本单位"),
        max_digits=30,
        decimal_places=10,
        help_text=_("1个本单位等于多少个该量纲的基本单位"),
    )
    order = models.PositiveIntegerField(_("排序"), default=100)

    class Meta:
        ordering = ["dimension", "order", "factor"]
        verbose_name = _("计量单位")
        verbose_name_plural = _("计量单位")

    def __str__(self):
        return self.name


class ExchangeRate(ChangeLoggedModel):
    """How many 元 one 美元 was worth in a year (the rate the zone's statistics use)."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    usd_cny = models.DecimalField(_("1美元折合人民币（元）"), max_digits=10, decimal_places=4)
    source = models.CharField(_("来源"), max_length=100, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("汇率")
        verbose_name_plural = _("汇率")

    def __str__(self):
        return f"{self.year}年 1美元={self.usd_cny}元"
