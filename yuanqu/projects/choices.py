from django.db import models


class ProjectType(models.TextChoices):
    INDUSTRY = "industry", "产业"
    INFRASTRUCTURE = "infrastructure", "基础设施"
    LIVELIHOOD = "livelihood", "社会民生"


class ProjectLevel(models.TextChoices):
    PROVINCE = "province", "省重点"
    CITY = "city", "市重点"
    DISTRICT = "district", "区重点"


# The highest list first: a project's own plan is the one of its highest list.
LEVEL_ORDER = [ProjectLevel.PROVINCE, ProjectLevel.CITY, ProjectLevel.DISTRICT]


class MilestoneKind(models.TextChoices):
    LAND = "land", "拿地"
    START = "start", "开工"
    TOPPED = "topped", "主体完工"
    COMPLETED = "completed", "竣工"
    PRODUCTION = "production", "投产"


class BlockerKind(models.TextChoices):
    LAND = "land", "用地"
    POWER = "power", "用电"
    APPROVAL = "approval", "审批"
    FUNDING = "funding", "资金"
    OTHER = "other", "其他"


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


LIGHT_RANK = {Light.GREEN: 0, Light.YELLOW: 1, Light.RED: 2}


class RuleKind(models.TextChoices):
    PROGRESS = "progress", "投资进度（完成率减序时进度，百分点）"
    MILESTONE = "milestone", "节点逾期（天）"
    FAI_LAG = "fai_lag", "开工后未入库（天）"
