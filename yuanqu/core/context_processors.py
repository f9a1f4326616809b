"""The navigation of the UI shell: the nine modules of the product, filled as they land."""

from django.urls import NoReverseMatch, reverse

from yuanqu.users.permissions import has_perm

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
ADMIN = [
    ("部门", "users:department_list", "users.department"),
    ("园区/片区", "users:zone_list", "users.zone"),
    ("用户", "users:user_list", "users.user"),
    ("产业链", "enterprises:industrychain_list", "enterprises.industrychain"),
    ("诉求类别", "demands:demandcategory_list", "demands.demandcategory"),
    ("工作日历", "core:calendarday_list", "core.calendarday"),
    ("权限", "users:objectpermission_list", "users.objectpermission"),
    ("变更记录", "core:objectchange_list", "core.objectchange"),
    ("安全事件", "core:auditevent_list", "core.auditevent"),
]


def _items(user, entries):
    from django.apps import apps

    items = []
    for label, name, model_label in entries:
        if name is None:
            items.append({"label": label, "url": None})
            continue
        model = apps.get_model(model_label)
        if not has_perm(user, model, "view"):
            continue
        try:
            items.append({"label": label, "url": reverse(name)})
        except NoReverseMatch:
            items.append({"label": label, "url": None})
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    modules = _items(user, MODULES)
    return {"nav_modules": modules, "nav_admin": _items(user, ADMIN)}
