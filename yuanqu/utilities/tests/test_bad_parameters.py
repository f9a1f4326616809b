"""A malformed ``?period=`` / ``?year=`` / ``?zone=`` is never a server error: every page
answers with its default (and, where the page reads the month, a Chinese message naming the
bad text), and the API with a 400 that names the parameter."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from yuanqu.economy.models import Indicator

BAD = {"period": "2026-13", "year": "-1", "zone": "abc", "month": "十三", "week": "2026-02-30"}
HUGE_ZONE = {"zone": "99999999999999999999999", "period": "９９99-01", "year": "99999"}
BAD_MONTH = "月份“2026-13”格式不对，应为“2023-10”这样的年-月"


def plain_routes(patterns=None, namespace=""):
    """Every URL name of the URL conf that takes no argument (a page one can open as is)."""
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry.pattern, "converters", {}) or "(?P<" in str(entry.pattern):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += plain_routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            if getattr(entry.pattern, "converters", {}) or "(?P<" in str(entry.pattern):
                continue
            found.append(f"{namespace}{entry.name}")
    return sorted(set(found))


# The logout ends the session; the API schema and its docs read no parameter (and build
# the whole schema, seconds each).
SKIPPED = {"users:logout", "logout", "api-schema", "api-docs"}
ROUTES = [name for name in plain_routes() if name not in SKIPPED]


def test_the_walk_finds_the_month_pages():
    assert {"economy:summary", "economy:cockpit", "projects:scheduling", "projects:statistics"} <= set(ROUTES)
    assert len(ROUTES) > 40


@pytest.mark.parametrize("name", ROUTES)
def test_no_page_fails_on_malformed_parameters(client, leader, enterprise_user, name):
    for user in (leader, enterprise_user):
        client.force_login(user)
        for params in (BAD, HUGE_ZONE):
            response = client.get(reverse(name), params)
            assert response.status_code < 500, (name, user.username, params)


@pytest.mark.parametrize(
    "name",
    [
        "economy:summary",
        "economy:cockpit",
        "projects:keyproject_list",
        "projects:scheduling",
        "projects:statistics",
    ],
)
def test_a_month_page_names_the_bad_month_and_shows_its_default(client, leader, name):
    client.force_login(leader)
    response = client.get(reverse(name), BAD)
    assert response.status_code == 200
    assert BAD_MONTH in response.content.decode()


def test_the_indicator_page_names_the_bad_month(client, leader):
    client.force_login(leader)
    indicator = Indicator.objects.get(code="industrial_output")
    response = client.get(reverse("economy:indicator", args=[indicator.pk]), BAD)
    assert response.status_code == 200 and BAD_MONTH in response.content.decode()
    response = client.get(reverse("economy:indicator", args=[indicator.pk]), HUGE_ZONE)
    assert response.status_code == 200 and "格式不对" in response.content.decode()


def test_the_api_answers_400_naming_the_parameter(leader):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(leader)
    summary = api.get("/api/economy/indicator-summary/", {"period": "2026-13"})
    assert summary.status_code == 400 and summary.json() == {"period": [BAD_MONTH]}
    projects = api.get("/api/key-projects/", {"period": "-1"})
    assert projects.status_code == 400 and "period" in projects.json()
