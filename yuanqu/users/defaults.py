"""Default grants, seeded once after migrate. Administrators disable or edit them; a
default that was deleted is not brought back (its name is remembered as seeded)."""

from .choices import Constraint as C
from .choices import Role as R

V, A, CH, D, IM, E, P = "view", "add", "change", "delete", "import", "export", "view_personal"

# (name, role, model, actions, constraint)
DEFAULT_PERMISSIONS = [
    # 企业库
    ("领导-企业库", R.LEADER, "enterprises.enterprise", [V, E, P], C.ALL),
    ("领导-企业资质", R.LEADER, "enterprises.qualification", [V, E], C.ALL),
    ("部门人员-查看企业库", R.STAFF, "enterprises.enterprise", [V, E], C.ALL),
    ("部门人员-维护本部门企业", R.STAFF, "enterprises.enterprise", [A, CH, D, IM, P], C.OWN_DEPARTMENT),
    ("部门人员-查看企业资质", R.STAFF, "enterprises.qualification", [V, E], C.ALL),
    ("部门人员-维护本部门企业资质", R.STAFF, "enterprises.qualification", [A, CH, D], C.OWN_DEPARTMENT),
    ("部门人员-查看企业联系人", R.STAFF, "enterprises.contact", [V], C.ALL),
    ("部门人员-本部门企业联系人", R.STAFF, "enterprises.contact", [A, CH, D], C.OWN_DEPARTMENT),
    ("部门人员-本部门企业规上记录", R.STAFF, "enterprises.scalerecord", [V, A, CH, D], C.OWN_DEPARTMENT),
    ("部门人员-查看规上记录", R.STAFF, "enterprises.scalerecord", [V], C.ALL),
    ("领导-规上记录", R.LEADER, "enterprises.scalerecord", [V], C.ALL),
    ("领导-企业联系人", R.LEADER, "enterprises.contact", [V], C.ALL),
    ("网格员-本片区企业", R.GRID, "enterprises.enterprise", [V, P], C.OWN_ZONE),
    ("网格员-本片区企业资质", R.GRID, "enterprises.qualification", [V], C.OWN_ZONE),
    ("网格员-本片区企业联系人", R.GRID, "enterprises.contact", [V, A, CH], C.OWN_ZONE),
    ("网格员-本片区规上记录", R.GRID, "enterprises.scalerecord", [V], C.OWN_ZONE),
    ("企业用户-本企业", R.ENTERPRISE, "enterprises.enterprise", [V, P], C.OWN_ENTERPRISE),
    ("企业用户-本企业资质", R.ENTERPRISE, "enterprises.qualification", [V], C.OWN_ENTERPRISE),
    ("企业用户-本企业联系人", R.ENTERPRISE, "enterprises.contact", [V, A, CH, D], C.OWN_ENTERPRISE),
    ("企业用户-本企业规上记录", R.ENTERPRISE, "enterprises.scalerecord", [V], C.OWN_ENTERPRISE),
    ("全员-产业链", R.LEADER, "enterprises.industrychain", [V], C.ALL),
    ("部门人员-产业链", R.STAFF, "enterprises.industrychain", [V], C.ALL),
    # 系统管理员：组织架构与基础配置，不接触审计记录
    ("系统管理员-部门", R.SYSADMIN, "users.department", [V, A, CH, D, E], C.ALL),
    ("系统管理员-园区片区", R.SYSADMIN, "users.zone", [V, A, CH, D, E], C.ALL),
    ("系统管理员-用户", R.SYSADMIN, "users.user", [V, A, CH, E], C.ALL),
    ("系统管理员-产业链", R.SYSADMIN, "enterprises.industrychain", [V, A, CH, D], C.ALL),
    ("领导-部门", R.LEADER, "users.department", [V], C.ALL),
    ("部门人员-部门", R.STAFF, "users.department", [V], C.ALL),
    ("领导-园区片区", R.LEADER, "users.zone", [V], C.ALL),
    ("部门人员-园区片区", R.STAFF, "users.zone", [V], C.ALL),
    ("网格员-园区片区", R.GRID, "users.zone", [V], C.ALL),
    ("系统管理员-工作日历", R.SYSADMIN, "core.calendarday", [V, A, CH, D], C.ALL),
    ("系统管理员-日历年度", R.SYSADMIN, "core.calendaryear", [V, A, CH, D], C.ALL),
    ("领导-工作日历", R.LEADER, "core.calendarday", [V], C.ALL),
    ("领导-日历年度", R.LEADER, "core.calendaryear", [V], C.ALL),
    ("部门人员-工作日历", R.STAFF, "core.calendarday", [V], C.ALL),
    ("部门人员-日历年度", R.STAFF, "core.calendaryear", [V], C.ALL),
    # 安全管理员：授权与账号安全
    ("安全管理员-权限", R.SECADMIN, "users.objectpermission", [V, A, CH, D], C.ALL),
    ("安全管理员-用户", R.SECADMIN, "users.user", [V, CH], C.ALL),
    ("安全管理员-解除锁定", R.SECADMIN, "users.user", ["unlock"], C.ALL),
    # 审计员：只读审计记录
    ("审计员-变更记录", R.AUDITOR, "core.objectchange", [V, E], C.ALL),
    ("审计员-安全事件", R.AUDITOR, "core.auditevent", [V, E], C.ALL),
    # 诉求办理
    ("领导-诉求", R.LEADER, "demands.demand", [V, E, "approve_extension"], C.ALL),
    ("部门人员-查看诉求", R.STAFF, "demands.demand", [V, A], C.ALL),
    ("部门人员-办理本部门诉求", R.STAFF, "demands.demand", [CH], C.OWN_DEPARTMENT),
    ("企业用户-本企业诉求", R.ENTERPRISE, "demands.demand", [V, A], C.OWN_ENTERPRISE),
    ("网格员-本片区诉求", R.GRID, "demands.demand", [V, A], C.OWN_ZONE),
    ("领导-诉求类别", R.LEADER, "demands.demandcategory", [V], C.ALL),
    ("部门人员-诉求类别", R.STAFF, "demands.demandcategory", [V], C.ALL),
    ("系统管理员-诉求类别", R.SYSADMIN, "demands.demandcategory", [V, A, CH, D], C.ALL),
    # 督查督办
    ("领导-督办任务", R.LEADER, "supervision.task", [V, E], C.ALL),
    ("领导-工作要点", R.LEADER, "supervision.workpoint", [V, E], C.ALL),
    ("领导-任务时间节点", R.LEADER, "supervision.taskmilestone", [V, E], C.ALL),
    ("领导-任务进展报告", R.LEADER, "supervision.taskreport", [V, E], C.ALL),
    ("领导-整改事项", R.LEADER, "supervision.rectificationitem", [V, E], C.ALL),
    ("领导-回头看", R.LEADER, "supervision.lookbackreview", [V, E], C.ALL),
    ("部门人员-查看督办任务", R.STAFF, "supervision.task", [V], C.ALL),
    ("部门人员-本部门督办任务", R.STAFF, "supervision.task", [A], C.OWN_DEPARTMENT),
    ("部门人员-工作要点", R.STAFF, "supervision.workpoint", [V], C.ALL),
    ("部门人员-查看任务时间节点", R.STAFF, "supervision.taskmilestone", [V], C.ALL),
    ("部门人员-本部门任务时间节点", R.STAFF, "supervision.taskmilestone", [A, CH], C.OWN_DEPARTMENT),
    ("部门人员-查看任务进展报告", R.STAFF, "supervision.taskreport", [V], C.ALL),
    ("部门人员-报送本部门任务进展", R.STAFF, "supervision.taskreport", [A], C.OWN_DEPARTMENT),
    ("部门人员-查看整改事项", R.STAFF, "supervision.rectificationitem", [V], C.ALL),
    ("部门人员-本部门整改销号", R.STAFF, "supervision.rectificationitem", [CH], C.OWN_DEPARTMENT),
    ("部门人员-查看回头看", R.STAFF, "supervision.lookbackreview", [V], C.ALL),
    ("部门人员-本部门回头看", R.STAFF, "supervision.lookbackreview", [A], C.OWN_DEPARTMENT),
    # 经济运行
    ("领导-企业月报数据", R.LEADER, "economy.enterprisemonthlyvalue", [V, E], C.ALL),
    ("领导-园区月度数据", R.LEADER, "economy.zonemonthlyfigure", [V, E], C.ALL),
    ("领导-经济指标", R.LEADER, "economy.indicator", [V, E], C.ALL),
    ("领导-年度目标", R.LEADER, "economy.annualtarget", [V, E], C.ALL),
    ("部门人员-查看企业月报数据", R.STAFF, "economy.enterprisemonthlyvalue", [V], C.ALL),
    ("部门人员-本部门企业月报数据", R.STAFF, "economy.enterprisemonthlyvalue", [A, CH, IM, E], C.OWN_DEPARTMENT),
    ("部门人员-园区月度数据", R.STAFF, "economy.zonemonthlyfigure", [V], C.ALL),
    ("部门人员-经济指标", R.STAFF, "economy.indicator", [V], C.ALL),
    ("部门人员-年度目标", R.STAFF, "economy.annualtarget", [V], C.ALL),
    ("企业用户-本企业月报数据", R.ENTERPRISE, "economy.enterprisemonthlyvalue", [V, A], C.OWN_ENTERPRISE),
    ("企业用户-经济指标", R.ENTERPRISE, "economy.indicator", [V], C.ALL),
    ("网格员-本片区企业月报数据", R.GRID, "economy.enterprisemonthlyvalue", [V], C.OWN_ZONE),
    ("网格员-本片区月度数据", R.GRID, "economy.zonemonthlyfigure", [V], C.OWN_ZONE),
    ("网格员-经济指标", R.GRID, "economy.indicator", [V], C.ALL),
    ("系统管理员-经济指标", R.SYSADMIN, "economy.indicator", [V, A, CH, D], C.ALL),
    ("系统管理员-月份锁定", R.SYSADMIN, "economy.periodlock", [V, A, D], C.ALL),
    # 双招双引
    ("领导-招商项目", R.LEADER, "investment.lead", [V, E], C.ALL),
    ("领导-招商阶段变更", R.LEADER, "investment.leadevent", [V, E], C.ALL),
    ("领导-到位资金", R.LEADER, "investment.fundsinplace", [V, E], C.ALL),
    ("领导-人才引进", R.LEADER, "investment.talentintroduction", [V, E], C.ALL),
    ("部门人员-查看招商项目", R.STAFF, "investment.lead", [V], C.ALL),
    ("部门人员-本部门招商项目", R.STAFF, "investment.lead", [A, CH, IM, E], C.OWN_DEPARTMENT),
    ("部门人员-查看招商阶段变更", R.STAFF, "investment.leadevent", [V], C.ALL),
    ("部门人员-查看到位资金", R.STAFF, "investment.fundsinplace", [V], C.ALL),
    ("部门人员-本部门到位资金", R.STAFF, "investment.fundsinplace", [A, CH, E], C.OWN_DEPARTMENT),
    ("部门人员-查看人才引进", R.STAFF, "investment.talentintroduction", [V], C.ALL),
    ("部门人员-本部门人才引进", R.STAFF, "investment.talentintroduction", [A, CH, E], C.OWN_DEPARTMENT),
    # 重点项目
    ("领导-重点项目", R.LEADER, "projects.keyproject", [V, E], C.ALL),
    ("领导-项目年度计划", R.LEADER, "projects.projectyearplan", [V, E], C.ALL),
    ("领导-项目节点", R.LEADER, "projects.milestone", [V, E], C.ALL),
    ("领导-项目月报", R.LEADER, "projects.monthlyprogress", [V, E], C.ALL),
    ("领导-项目堵点", R.LEADER, "projects.blocker", [V, E], C.ALL),
    ("领导-提级调度", R.LEADER, "projects.escalation", [V, A, CH, E], C.ALL),
    ("领导-亮灯规则", R.LEADER, "projects.lightrule", [V], C.ALL),
    ("部门人员-查看重点项目", R.STAFF, "projects.keyproject", [V], C.ALL),
    ("部门人员-本部门重点项目", R.STAFF, "projects.keyproject", [A, CH, E], C.OWN_DEPARTMENT),
    ("部门人员-查看项目年度计划", R.STAFF, "projects.projectyearplan", [V], C.ALL),
    ("部门人员-本部门项目年度计划", R.STAFF, "projects.projectyearplan", [A, CH, E], C.OWN_DEPARTMENT),
    ("部门人员-查看项目节点", R.STAFF, "projects.milestone", [V], C.ALL),
    ("部门人员-本部门项目节点", R.STAFF, "projects.milestone", [A, CH, E], C.OWN_DEPARTMENT),
    ("部门人员-查看项目月报", R.STAFF, "projects.monthlyprogress", [V], C.ALL),
    ("部门人员-本部门项目月报", R.STAFF, "projects.monthlyprogress", [A, E], C.OWN_DEPARTMENT),
    ("部门人员-查看项目堵点", R.STAFF, "projects.blocker", [V], C.ALL),
    ("部门人员-本部门项目堵点", R.STAFF, "projects.blocker", [A, CH, E], C.OWN_DEPARTMENT),
    ("部门人员-查看提级调度", R.STAFF, "projects.escalation", [V], C.ALL),
    ("部门人员-本部门提级调度", R.STAFF, "projects.escalation", [A], C.OWN_DEPARTMENT),
    ("部门人员-亮灯规则", R.STAFF, "projects.lightrule", [V], C.ALL),
    ("系统管理员-亮灯规则", R.SYSADMIN, "projects.lightrule", [V, A, CH, D], C.ALL),
]


def ensure_default_permissions(sender=None, **kwargs):
    from yuanqu.core.models import SeededDefault

    from .models import ObjectPermission

    seeded = set(SeededDefault.objects.filter(kind="permission").values_list("key", flat=True))
    for name, role, model, actions, constraint in DEFAULT_PERMISSIONS:
        if name in seeded:
            continue
        ObjectPermission.objects.get_or_create(
            name=name,
            defaults={"role": role, "model": model, "actions": actions, "constraint": constraint, "is_default": True},
        )
        SeededDefault.objects.get_or_create(kind="permission", key=name)
