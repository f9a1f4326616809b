from django.db import models
from django.utils.translation import gettext_lazy as _


class Unit(models.TextChoices):
    """An indicator's unit. Each label is the name of a unit in the figure catalogue
    (``yuanqu.figures.units.UNITS``), which converts values between units by these names."""

    YUAN = "yuan", _("元")
    WAN_YUAN = "wan_yuan", _("万元")
    YI_YUAN = "yi_yuan", _("亿元")
    USD = "usd", _("美元")
    WAN_USD = "wan_usd", _("万美元")
    YI_USD = "yi_usd", _("亿美元")
    SQUARE_METRE = "square_metre", _("平方米")
    WAN_SQUARE_METRE = "wan_square_metre", _("万平方米")
    MU = "mu", _("亩")
    HECTARE = "hectare", _("公顷")
    TONNE = "tonne", _("吨")
    WAN_TONNE = "wan_tonne", _("万吨")
    WAN_KWH = "wan_kwh", _("万千瓦时")
    PERSON = "person", _("人")
    ENTERPRISES = "enterprises", _("家")
    ITEMS = "items", _("个")
    PIECES = "pieces", _("件")  # patents, cases
    ENTRIES = "entries", _("项")  # achievements, tasks
    PERCENT = "percent", _("%")


class IndicatorKind(models.TextChoices):
    YTD_FLOW = "ytd_flow", _("流量（按1–N月累计报送）")
    MONTH_FLOW = "month_flow", _("流量（按当月报送）")
    STOCK = "stock", _("存量（期末数）")


class IndicatorLevel(models.TextChoices):
    ENTERPRISE = "enterprise", _("企业")
    ZONE = "zone", _("园区/片区")


class Population(models.TextChoices):
    INDUSTRY = "industry", _("规上工业")
    TRADE = "trade", _("限上批零住餐")
    SERVICE = "service", _("规上服务业")
    CONSTRUCTION = "construction", _("建筑业")
    REAL_ESTATE = "real_estate", _("房地产开发经营")
    FAI = "fai", _("固定资产投资项目")
    ALL = "all", _("全部")
