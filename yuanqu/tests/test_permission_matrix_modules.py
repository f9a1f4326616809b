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
    "enterprise":  (200,    200, 403,  200,   403,   200,    200, 200, 200,  200,    403,  403,  403,  403,  403, 403,  403, 403,   403),
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
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_module_pages_answer_each_role_as_the_grants_say(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(CAST[role]))
    got = tuple(client.get(url()).status_code for url in PAGES.values())
    expected = EXPECTED[role]
    diff = {name: (e, g) for name, e, g in zip(PAGES, expected, got, strict=True) if e != g}
    assert not diff, f"{role}: page (expected, got) {diff}"
