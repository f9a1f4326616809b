from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEADER = "leader", _("领导")
    STAFF = "staff", _("部门人员")
    GRID = "grid", _("网格员")
    ENTERPRISE = "enterprise", _("企业用户")
    SYSADMIN = "sysadmin", _("系统管理员")
    SECADMIN = "secadmin", _("安全管理员")
    AUDITOR = "auditor", _("审计员")
    INSPECTOR = "inspector", _("督查人员")


# 三权分立: the three administrators. Their grants are the system's presets only.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})


class Action(models.TextChoices):
    VIEW = "view", _("查看")
    ADD = "add", _("新建")
    CHANGE = "change", _("修改")
    DELETE = "delete", _("删除")
    IMPORT = "import", _("导入")
    EXPORT = "export", _("导出")
    VIEW_PERSONAL = "view_personal", _("查看个人信息")
    UNLOCK = "unlock", _("解除锁定")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    EVALUATE = "evaluate", _("运行评价")
    URGE = "urge", _("催办")
    WATCH = "watch", _("周调度关注")
    REVIEW = "review", _("部门审核")
    APPROVE = "approve", _("领导审定")


class Constraint(models.TextChoices):
    ALL = "all", _("全部")
    OWN_DEPARTMENT = "own_department", _("本部门")
    OWN_ZONE = "own_zone", _("本片区")
    OWN_ENTERPRISE = "own_enterprise", _("本企业")


class ZoneKind(models.TextChoices):
    PARK = "park", _("园区")
    AREA = "area", _("片区")


class RequestKind(models.TextChoices):
    CREATE = "create", _("新建账号")
    RESET_PASSWORD = "reset_password", _("重置密码")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("待批准")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("已驳回")
    SUPERSEDED = "superseded", _("已被新申请取代")
