from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已公布")


class ClassBasis(models.TextChoices):
    RANK = "rank", _("按排名比例（档线为累计百分比）")
    SCORE = "score", _("按综合得分（档线为最低分）")


class Grade(models.TextChoices):
    A = "A", _("A类（优先发展）")
    B = "B", _("B类（支持发展）")
    C = "C", _("C类（提升发展）")
    D = "D", _("D类（限制发展）")


class IndicatorCode(models.TextChoices):
    """The indicators of REFERENCE §6.2; each is a ratio of two annual inputs."""

    TAX_PER_MU = "tax_per_mu", _("亩均税收")
    VA_PER_MU = "va_per_mu", _("亩均增加值")
    REVENUE_PER_MU = "revenue_per_mu", _("亩均营业收入")
    VA_PER_ENERGY = "va_per_energy", _("单位能耗增加值")
    VA_PER_EMISSION = "va_per_emission", _("单位排放增加值")
    LABOUR_PRODUCTIVITY = "labour_productivity", _("全员劳动生产率")
    RD_INTENSITY = "rd_intensity", _("R&D经费支出占主营业务收入之比")
    TAX_PER_KWH = "tax_per_kwh", _("单位电耗税收")


class WhenMissing(models.TextChoices):
    NOT_SCORED = "not_scored", _("不予计分（企业不参加排名，注明原因）")
    AVERAGE = "average", _("取该指标参评企业平均得分")
    ZERO = "zero", _("该指标记0分（注明原因）")


class Change(models.TextChoices):
    UP = "up", _("上升")
    SAME = "same", _("持平")
    DOWN = "down", _("下降")
    NEW = "new", _("首次评价")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("不予采纳")
