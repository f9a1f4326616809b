from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    YANGTZE = "yangtze", _("长三角")
    PEARL = "pearl", _("珠三角")
    JINGJINJI = "jingjinji", _("京津冀")
    CHENGYU = "chengyu", _("成渝")
    PROVINCE = "province", _("省内")
    OTHER = "other", _("其他")


class Source(models.TextChoices):
    LEADER = "leader", _("委领导带头招商")
    BUSINESS = "business", _("以商招商")
    RESIDENT = "resident", _("驻点招商")
    EXPO = "expo", _("展会")
    AGENCY = "agency", _("中介")
    OTHER = "other", _("其他")


class Stage(models.TextChoices):
    LEAD = "lead", _("线索")
    NEGOTIATING = "negotiating", _("洽谈")
    SIGNED = "signed", _("签约")
    REGISTERED = "registered", _("注册落地")
    STARTED = "started", _("开工")
    PRODUCING = "producing", _("竣工投产")
    TERMINATED = "terminated", _("终止")


# The pipeline in order; 终止 stands outside it.
PIPELINE = [
    Stage.LEAD,
    Stage.NEGOTIATING,
    Stage.SIGNED,
    Stage.REGISTERED,
    Stage.STARTED,
    Stage.PRODUCING,
]


def next_stage(stage: str) -> str | None:
    """The stage after this one in the pipeline (None at the end or when terminated)."""
    if stage not in PIPELINE or stage == PIPELINE[-1]:
        return None
    return PIPELINE[PIPELINE.index(stage) + 1]


# The date field each stage sets on the lead when it is reached.
STAGE_DATE_FIELDS = {
    Stage.LEAD: "lead_on",
    Stage.NEGOTIATING: "negotiating_on",
    Stage.SIGNED: "signed_on",
    Stage.REGISTERED: "registered_on",
    Stage.STARTED: "started_on",
    Stage.PRODUCING: "producing_on",
    Stage.TERMINATED: "terminated_on",
}


class FundsKind(models.TextChoices):
    OUT_OF_PROVINCE = "out_of_province", _("省外")
    IN_PROVINCE = "in_province", _("省内")
    FOREIGN = "foreign", _("外资")


class TalentTier(models.TextChoices):
    TOP = "top", _("顶尖人才")
    LEADING = "leading", _("领军人才")
    HIGH = "high", _("高层次人才")
    YOUNG = "young", _("青年英才")
    SKILLED = "skilled", _("高技能人才")
