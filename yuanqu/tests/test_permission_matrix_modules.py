"""Every role against the list and entry pages of the modules built after the registry
(economy and its cockpit, demands, investment, key projects, supervision).

Same conventions as test_permission_matrix.py: 403 for a page that is not the role's at
all, 302 to the login page for anonymous users, 200 where the role has a grant (a grant
that matches no records still shows the page, empty).
"""

import pytest
from django.urls import reverse

PAGES = {
    "economy_summary": lambda: reverse("economy:summary"),
    "indicator_list": lambda: reverse("economy:indicator_list"),
    "indicator_add": lambda: reverse("economy:indicator_add"),
    "monthly_values": lambda: reverse("economy:enterprisemonthlyvalue_list"),
    "monthly_export": lambda: reverse("economy:enterprisemonthlyvalue_list") + "?export=xlsx",
    "demand_list": lambda: reverse("demands:demand_list"),
    "demand_add": lambda: reverse("demands:demand_add"),
    "my_demands": lambda: reverse("demands:my_demands"),
    "demand_statistics": lambda: reverse("demands:statistics"),
    "cockpit": lambda: reverse("economy:cockpit"),
    "lead_list": lambda: reverse("investment:lead_list"),
    "lead_add": lambda: reverse("investment:lead_add"),
    "lead_board": lambda: reverse("investment:board"),
    "lead_statistics": lambda: reverse("investment:statistics"),
    "project_list": lambda: reverse("projects:keyproject_list"),
    "project_add": lambda: reverse("projects:keyproject_add"),
    "scheduling": lambda: reverse("projects:scheduling"),
    "task_list": lambda: reverse("supervision:task_list"),
    "task_board": lambda: reverse("supervision:board"),
}

# fmt: off
EXPECTED = {
    #               summary ind  ind+  values export demands add  mine stats cockpit leads lead+ board lstat proj proj+ sched tasks tboard
    "anonymous":   (302,    302, 302,  302,   302,   302,    302, 302, 302,  302,    302,  302,  302,  302,  302, 302,  302, 302,   302),
    "leader":      (200,    200, 403,  200,   200,   200,    403, 200, 200,  200,    200,  403,  200,  200,  200, 403,  200, 200,   200),
    "staff":       (200,    200, 403,  200,   200,   200,    200, 200, 200,  200,    200,  200,  200,  200,  200, 200,  200, 200,   200),
    "grid":        (200,    200, 403,  200,   403,   200,    200, 200, 200,  200,    403,  403,  403,  403,  403, 403,  403, 403,   403),
    "enterprise":  (200,    200, 403,  200,   403,   200,    200, 200, 200,  403,    403,  403,  403,  403,  403, 403,  403, 403,   403),
    "sysadmin":    (403,    200, 200,  403,   403,   403,    403, 403, 403,  403,    403,  403,  403,  403,  403, 403,  403, 403,   403),
    "secadmin":    (403,    403, 403,  403,   403,   403,    403, 403, 403,  403,    403,  403,  403,  403,  403, 403,  403, 403,   403),
    "auditor":     (403,    403, 403,  403,   403,   403,    403, 403, 403,  403,    403,  403,  403,  403,  403, 403,  403, 403,   403),
}
# fmt: on

CAST = {
    "leader": "leader",
    "staff": "alice",
    "grid": "grid_worker",
    "enterprise": "enterprise_user",
    "sysadmin": "sysadmin",
    "secadmin": "secadmin",
    "auditor": "auditor",
    "inspector": "inspector",
}


def check_pages(client, request, role, pages, expected):
    """Every page of ``pages`` answers ``role`` with the status its row of ``expected`` says."""
    if role != "anonymous":
        client.force_login(request.getfixturevalue(CAST[role]))
    got = tuple(client.get(url()).status_code for url in pages.values())
    diff = {name: (e, g) for name, e, g in zip(pages, expected[role], got, strict=True) if e != g}
    assert not diff, f"{role}: page (expected, got) {diff}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_module_pages_answer_each_role_as_the_grants_say(client, request, role):
    check_pages(client, request, role, PAGES, EXPECTED)


# 亩均评价 (its own table so modules landing at the same time do not touch the same rows)
EVALUATION_PAGES = {
    "mu_results": lambda: reverse("evaluation:evaluationresult_list"),
    "mu_export": lambda: reverse("evaluation:evaluationresult_list") + "?export=xlsx",
    "mu_schemes": lambda: reverse("evaluation:evaluationscheme_list"),
    "mu_scheme_add": lambda: reverse("evaluation:evaluationscheme_add"),
    "mu_data": lambda: reverse("evaluation:evaluationinput_list"),
    "mu_appeals": lambda: reverse("evaluation:appeal_list"),
}

# fmt: off
EVALUATION_EXPECTED = {
    #               results export schemes scheme+ data appeals
    "anonymous":   (302,    302,   302,    302,    302, 302),
    "leader":      (200,    200,   200,    403,    200, 200),
    "staff":       (200,    200,   200,    200,    200, 200),
    "grid":        (200,    403,   403,    403,    403, 403),
    "enterprise":  (200,    403,   403,    403,    403, 200),
    "sysadmin":    (403,    403,   403,    403,    403, 403),
    "secadmin":    (403,    403,   403,    403,    403, 403),
    "auditor":     (403,    403,   403,    403,    403, 403),
}
# fmt: on


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EVALUATION_EXPECTED))
def test_evaluation_pages_answer_each_role_as_the_grants_say(client, request, role):
    check_pages(client, request, role, EVALUATION_PAGES, EVALUATION_EXPECTED)


# Demand categories, the demand import and 我的消息 (a user's own messages: every role).
DEMAND_ADMIN_PAGES = {
    "categories": lambda: reverse("demands:demandcategory_list"),
    "category_add": lambda: reverse("demands:demandcategory_add"),
    "demand_import": lambda: reverse("demands:demand_import"),
    "notifications": lambda: reverse("notifications:list"),
}
# fmt: off
DEMAND_ADMIN_EXPECTED = {
    #               cats cat+ import messages
    "anonymous":   (302, 302, 302,   302),
    "leader":      (200, 403, 403,   200),
    "staff":       (200, 403, 200,   200),
    "grid":        (403, 403, 403,   200),
    "enterprise":  (403, 403, 403,   200),
    "sysadmin":    (200, 200, 403,   200),
    "secadmin":    (403, 403, 403,   200),
    "auditor":     (403, 403, 403,   200),
}
# fmt: on


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(DEMAND_ADMIN_EXPECTED))
def test_demand_admin_pages_and_messages_answer_each_role(client, request, role):
    check_pages(client, request, role, DEMAND_ADMIN_PAGES, DEMAND_ADMIN_EXPECTED)


# 督查督办 and 我的待办, with the 督查室's inspector (sees every department's tasks and
# demands, edits tasks and assessments, but no other module).
SUPERVISION_PAGES = {
    "my_work": lambda: reverse("supervision:my_work"),
    "task_add": lambda: reverse("supervision:task_add"),
    "task_import": lambda: reverse("supervision:task_import"),
    "overdue": lambda: reverse("supervision:overdue"),
    "overdue_export": lambda: reverse("supervision:overdue") + "?export=xlsx",
    "rectifications": lambda: reverse("supervision:rectificationitem_list"),
    "assessments": lambda: reverse("supervision:assessmentperiod_list"),
    "assessment_add": lambda: reverse("supervision:assessmentperiod_add"),
    "demand_list": lambda: reverse("demands:demand_list"),
    "enterprise_list": lambda: reverse("enterprises:enterprise_list"),
}

# fmt: off
SUPERVISION_EXPECTED = {
    #               mywork task+ import overdue export rect assess assess+ demands enterprises
    "anonymous":   (302,   302,  302,   302,    302,   302, 302,   302,    302,    302),
    "leader":      (200,   403,  403,   200,    200,   200, 200,   403,    200,    200),
    "staff":       (200,   200,  403,   200,    200,   200, 200,   403,    200,    200),
    "grid":        (200,   403,  403,   403,    403,   403, 403,   403,    200,    200),
    "enterprise":  (200,   403,  403,   403,    403,   403, 403,   403,    200,    200),
    "sysadmin":    (403,   403,  403,   403,    403,   403, 403,   403,    403,    403),
    "secadmin":    (403,   403,  403,   403,    403,   403, 403,   403,    403,    403),
    "auditor":     (403,   403,  403,   403,    403,   403, 403,   403,    403,    403),
    "inspector":   (200,   200,  200,   200,    200,   200, 200,   200,    200,    403),
}
# fmt: on


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(SUPERVISION_EXPECTED))
def test_supervision_pages_answer_each_role_as_the_grants_say(client, request, role):
    check_pages(client, request, role, SUPERVISION_PAGES, SUPERVISION_EXPECTED)


PROJECT_PAGES = {
    "weekly": lambda: reverse("projects:weekly"),
    "weekly_add": lambda: reverse("projects:weeklyreport_add"),
    "statistics": lambda: reverse("projects:statistics"),
    "statistics_export": lambda: reverse("projects:statistics") + "?period=2023-10&export=xlsx",
    "light_rules": lambda: reverse("projects:lightrule_list"),
    "light_rules_edit": lambda: reverse("projects:lightrule_edit", args=["progress"]),
    "light_rules_export": lambda: reverse("projects:lightrule_list") + "?export=xlsx",
    "project_import": lambda: reverse("projects:keyproject_import"),
    "progress_import": lambda: reverse("projects:monthlyprogress_import"),
    "project_export": lambda: reverse("projects:keyproject_list") + "?export=xlsx",
}

# fmt: off
PROJECT_EXPECTED = {
    #               weekly week+ pstat export rules rules~ export import pimport pexport
    "anonymous":   (302,   302,  302,  302,   302,  302,   302,   302,   302,    302),
    "leader":      (200,   403,  200,  200,   200,  200,   200,   403,   403,    200),
    "staff":       (200,   200,  200,  200,   200,  403,   403,   200,   200,    200),
    "grid":        (403,   403,  403,  403,   403,  403,   403,   403,   403,    403),
    "enterprise":  (403,   403,  403,  403,   403,  403,   403,   403,   403,    403),
    "sysadmin":    (403,   403,  403,  403,   200,  200,   403,   403,   403,    403),
    "secadmin":    (403,   403,  403,  403,   403,  403,   403,   403,   403,    403),
    "auditor":     (403,   403,  403,  403,   403,  403,   403,   403,   403,    403),
}
# fmt: on


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(PROJECT_EXPECTED))
def test_key_project_pages_answer_each_role_as_the_grants_say(client, request, role):
    check_pages(client, request, role, PROJECT_PAGES, PROJECT_EXPECTED)


# 经济运行: the indicator page and its export, zone figures, month locks (the year's targets are
# the target sheet's).
def _indicator_url(suffix=""):
    from yuanqu.economy.models import Indicator

    return reverse("economy:indicator", args=[Indicator.objects.get(code="industrial_output").pk]) + suffix


ECONOMY_PAGES = {
    "indicator": _indicator_url,
    "indicator_export": lambda: _indicator_url("?export=xlsx&table=enterprises"),
    "zone_figures": lambda: reverse("economy:zonemonthlyfigure_list"),
    "zone_figure_add": lambda: reverse("economy:zonemonthlyfigure_add"),
    "zone_figure_import": lambda: reverse("economy:zonemonthlyfigure_import"),
    "locks": lambda: reverse("economy:periodlock_list"),
}
# fmt: off
ECONOMY_EXPECTED = {
    #               ind  export zones zone+ import locks
    "anonymous":   (302, 302,   302,  302,  302,   302),
    "leader":      (200, 200,   200,  403,  403,   200),
    "staff":       (200, 200,   200,  403,  403,   200),
    "grid":        (200, 403,   200,  403,  403,   403),
    "enterprise":  (200, 403,   403,  403,  403,   403),
    "sysadmin":    (200, 403,   403,  403,  403,   200),
    "secadmin":    (404, 404,   403,  403,  403,   403),
    "auditor":     (404, 404,   403,  403,  403,   403),
}
# fmt: on


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ECONOMY_EXPECTED))
def test_economy_pages_answer_each_role_as_the_grants_say(client, request, role):
    check_pages(client, request, role, ECONOMY_PAGES, ECONOMY_EXPECTED)
