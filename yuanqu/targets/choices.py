from django.db import models


class TargetKind(models.TextChoices):
    GROWTH = "growth", "增速"
    TOTAL = "total", "总量/个数"


class Comparator(models.TextChoices):
    """How the plan words the target: “增长9%以上” is ge, “8%左右” approx, “控制在3起以内” le,
    a bare “新增企业1200家” eq (read as reaching the value)."""

    GE = "ge", "以上（不少于）"
    APPROX = "approx", "左右"
    LE = "le", "以内（不超过）"
    EQ = "eq", "无（达到）"


# The words of an import's 口径 column and of a plan, for each comparator.
COMPARATOR_WORDS = {
    "以上": Comparator.GE,
    "不少于": Comparator.GE,
    "不低于": Comparator.GE,
    "左右": Comparator.APPROX,
    "以内": Comparator.LE,
    "不超过": Comparator.LE,
    "以下": Comparator.LE,
    "": Comparator.EQ,
}


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


class BandKind(models.TextChoices):
    GROWTH = "growth", "增速目标（实际增速与目标之差，百分点）"
    TOTAL = "total", "总量目标（完成率与序时进度之差，百分点）"
