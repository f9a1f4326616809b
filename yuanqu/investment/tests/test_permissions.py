"""Every role against the investment pages with the default grants (the conventions of
yuanqu/tests/test_permission_matrix_modules.py: 403 not the role's, 302 anonymous)."""

import pytest
from django.urls import reverse

PAGES = {
    "list": lambda: reverse("investment:lead_list"),
    "export": lambda: reverse("investment:lead_list") + "?export=xlsx",
    "add": lambda: reverse("investment:lead_add"),
    "board": lambda: reverse("investment:board"),
    "statistics": lambda: reverse("investment:statistics"),
    "import": lambda: reverse("investment:lead_import"),
    "template": lambda: reverse("investment:lead_import_template"),
}

# fmt: off
EXPECTED = {
    #               list export add  board stats import template
    "anonymous":   (302, 302,   302, 302,  302,  302,   302),
    "leader":      (200, 200,   403, 200,  200,  403,   403),
    "staff":       (200, 200,   200, 200,  200,  200,   200),
    "grid":        (403, 403,   403, 403,  403,  403,   403),
    "enterprise":  (403, 403,   403, 403,  403,  403,   403),
    "sysadmin":    (403, 403,   403, 403,  403,  403,   403),
    "secadmin":    (403, 403,   403, 403,  403,  403,   403),
    "auditor":     (403, 403,   403, 403,  403,  403,   403),
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
def test_investment_pages_answer_each_role_as_the_grants_say(client, request, role):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(CAST[role]))
    got = tuple(client.get(url()).status_code for url in PAGES.values())
    diff = {name: (e, g) for name, e, g in zip(PAGES, EXPECTED[role], got, strict=True) if e != g}
    assert not diff, f"{role}: page (expected, got) {diff}"


@pytest.mark.django_db
def test_the_nav_shows_the_module_to_those_who_may_view_it(client, alice, grid_worker):
    client.force_login(alice)
    assert f'href="{reverse("investment:lead_list")}"' in client.get(reverse("home")).content.decode()
    client.force_login(grid_worker)
    assert f'href="{reverse("investment:lead_list")}"' not in client.get(reverse("home")).content.decode()
