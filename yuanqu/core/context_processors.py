"""The navigation of the UI shell: the nine modules of the product, filled as they land.

An entry is shown when its page opens for the user: ``can_open`` asks the page's own view
(``utilities/links.py``); for a view that declares no check the model's ``view`` grant decides.
"""

from django.apps import apps

from yuanqu.users.choices import Role
from yuanqu.users.permissions import has_perm
from yuanqu.utilities.links import url_if_open

# (label, url name or None while the module is not built, model label guarding it)
MODULES = [
    ("我的待办", "supervision:my_work", "supervision.task"),
    ("企业库", "enterprises:enterprise_list", "enterprises.enterprise"),
    ("经济运行", "economy:summary", "economy.enterprisemonthlyvalue"),
    ("亩均评价", "evaluation:evaluationresult_list", "evaluation.evaluationresult"),
    ("双招双引", "investment:lead_list", "investment.lead"),
    ("重点项目", "projects:keyproject_list", "projects.keyproject"),
    ("诉求办理", "demands:demand_list", "demands.demand"),
    ("督查督办", "supervision:task_list", "supervision.task"),
    ("网格走访", None, None),
    ("土地载体", None, None),
    ("材料报告", None, None),
]
# An enterprise user's own pages: its record, its reports, its results, its demands.
ENTERPRISE_MODULES = [
    ("本企业", "enterprises:enterprise", "enterprises.enterprise"),
    ("月报填报", "economy:portal", "economy.enterprisemonthlyvalue"),
    ("本企业月报", "economy:enterprisemonthlyvalue_list", "economy.enterprisemonthlyvalue"),
    ("亩均评价结果", "evaluation:evaluationresult_list", "evaluation.evaluationresult"),
    ("我的诉求", "demands:demand_list", "demands.demand"),
]
# (label, url name, model label, the grant that makes the page one the user manages)
ADMIN = [
    ("部门", "users:department_list", "users.department", "view"),
    ("园区/片区", "users:zone_list", "users.zone", "view"),
    ("用户", "users:user_list", "users.user", "view"),
    ("产业链", "enterprises:industrychain_list", "enterprises.industrychain", "view"),
    ("诉求类别", "demands:demandcategory_list", "demands.demandcategory", "view"),
    ("经济指标", "economy:indicator_list", "economy.indicator", "change"),
    ("月份锁定", "economy:periodlock_list", "economy.periodlock", "add"),
    ("亮灯规则", "projects:lightrule_list", "projects.lightrule", "change"),
    ("工作日历", "core:calendarday_list", "core.calendarday", "view"),
    ("日历年度", "core:calendaryear_list", "core.calendaryear", "change"),
    ("权限", "users:objectpermission_list", "users.objectpermission", "view"),
    ("变更记录", "core:objectchange_list", "core.objectchange", "view"),
    ("安全事件", "core:auditevent_list", "core.auditevent", "view"),
]


def _url(user, name, model_label, *args) -> str:
    """The entry's URL when its page opens for the user, else ""."""
    model = apps.get_model(model_label)
    return url_if_open(user, name, *args, default=has_perm(user, model, "view"))


def module_items(user):
    """The module entries of the user's navigation (also the start page's shortcuts)."""
    items = []
    if user.role == Role.ENTERPRISE:
        for label, name, model_label in ENTERPRISE_MODULES:
            args = [user.enterprise_id] if name == "enterprises:enterprise" else []
            url = _url(user, name, model_label, *args) if all(args) else ""
            if url:
                items.append({"label": label, "url": url})
        return items
    for label, name, model_label in MODULES:
        if name is None:
            items.append({"label": label, "url": None})
        elif url := _url(user, name, model_label):
            items.append({"label": label, "url": url})
    return items


def admin_items(user):
    items = []
    for label, name, model_label, action in ADMIN:
        if has_perm(user, apps.get_model(model_label), action) and (url := _url(user, name, model_label)):
            items.append({"label": label, "url": url})
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav_modules": module_items(user), "nav_admin": admin_items(user)}
