from django.db import models
from django.utils.translation import gettext_lazy as _


class EnterpriseStatus(models.TextChoices):
    OPERATING = "operating", _("在营")
    STOPPED = "stopped", _("停产")
    PARTIAL = "partial", _("半停产")
    CANCELLED = "cancelled", _("注销")
    MOVED_OUT = "moved_out", _("迁出")


class EnterpriseType(models.TextChoices):
    LLC = "llc", _("有限责任公司")
    JOINT_STOCK = "joint_stock", _("股份有限公司")
    STATE_OWNED = "state_owned", _("国有企业")
    COLLECTIVE = "collective", _("集体企业")
    PARTNERSHIP = "partnership", _("合伙企业")
    SOLE = "sole", _("个人独资企业")
    FOREIGN = "foreign", _("外商投资企业")
    HMT = "hmt", _("港澳台投资企业")
    BRANCH = "branch", _("分公司")
    OTHER = "other", _("其他")


class QualificationKind(models.TextChoices):
    HNTE = "hnte", _("高新技术企业")
    TECH_SME = "tech_sme", _("科技型中小企业")
    INNOVATIVE_SME = "innovative_sme", _("创新型中小企业")
    TECH_INNOVATIVE_SME = "tech_innovative_sme", _("科技和创新型中小企业")
    SRDI_SME = "srdi_sme", _("专精特新中小企业")
    LITTLE_GIANT = "little_giant", _("专精特新“小巨人”")
    SINGLE_CHAMPION = "single_champion", _("制造业单项冠军")
    LISTING = "listing", _("上市")
    NEEQ = "neeq", _("新三板挂牌")
    OTHER = "other", _("其他")


class QualificationLevel(models.TextChoices):
    NATIONAL = "national", _("国家级")
    PROVINCIAL = "provincial", _("省级")
    MUNICIPAL = "municipal", _("市级")
    PARK = "park", _("园区级")


class ScaleKind(models.TextChoices):
    INDUSTRY = "industry", _("规上工业")
    TRADE = "trade", _("限上批零住餐")
    SERVICE = "service", _("规上服务业")
    CONSTRUCTION = "construction", _("资质内建筑业")
    REAL_ESTATE = "real_estate", _("房地产开发经营")


# Years of validity of a grant from its 认定日期 when the certificate does not say (REFERENCE §5).
DEFAULT_VALIDITY_YEARS = {
    QualificationKind.HNTE: 3,
    QualificationKind.TECH_SME: 1,
    QualificationKind.INNOVATIVE_SME: 3,
    QualificationKind.TECH_INNOVATIVE_SME: 3,
    QualificationKind.SRDI_SME: 3,
    QualificationKind.LITTLE_GIANT: 3,
    QualificationKind.SINGLE_CHAMPION: 3,
}
