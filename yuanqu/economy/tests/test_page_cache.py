"""The cockpit and the indicator page are read from the cache until the data changes: any
change-logged write (a value, a project's milestone, a grant) shows on the next request, and
users who may see different records never share an entry."""

import datetime
from decimal import Decimal as D

from django.urls import reverse

from yuanqu.core.pagecache import data_version
from yuanqu.economy.cockpit import CockpitView
from yuanqu.economy.services import record_enterprise_value
from yuanqu.economy.views import IndicatorView
from yuanqu.users.models import ObjectPermission
from yuanqu.users.permissions import scope_signature
from yuanqu.utilities.testing import factories as f

from .test_cockpit import AUG, COCKPIT, cockpit_json, make_cockpit_data


def _main(response) -> str:
    """The page's own part (the head carries a fresh CSRF token each time)."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def _card(response, code="industrial_output"):
    return next(c for c in cockpit_json(response)["cards"] if c["code"] == code)


def _count_builds(monkeypatch, view, name="figures") -> list:
    builds, original = [], getattr(view, name)

    def counted(self, *args):
        builds.append(args)
        return original(self, *args)

    monkeypatch.setattr(view, name, counted)
    return builds


def test_a_new_value_shows_on_the_next_request(
    client, leader, owned_enterprise, other_enterprise, east, monkeypatch
):
    data = make_cockpit_data(owned_enterprise, other_enterprise, east)
    builds = _count_builds(monkeypatch, CockpitView)
    client.force_login(leader)
    first = client.get(COCKPIT, {"period": "2024-08"})
    assert _card(first)["ytd"] == 15.50
    version = data_version()
    assert _main(client.get(COCKPIT, {"period": "2024-08"})) == _main(first)
    assert len(builds) == 1  # the second came from the cache
    client.get(COCKPIT, {"period": "2024-07"})
    assert len(builds) == 2  # another month is another entry
    newcomer = f.enterprise("东区新材料有限公司", dept=owned_enterprise.department, zone_obj=east)
    record_enterprise_value(newcomer, data["output"], AUG, month_value=D(5000), ytd_value=D(45000))
    assert data_version() != version
    after = client.get(COCKPIT, {"period": "2024-08"})
    assert _card(after)["ytd"] == 20.0  # 155000 + 45000 万元
    assert len(builds) == 3
    assert "东区新材料有限公司" in after.content.decode()  # the top 20


def test_a_milestone_turning_a_project_red_shows_on_the_next_request(
    client, leader, owned_enterprise, other_enterprise, east, econ_dept
):
    from yuanqu.projects.models import Milestone
    from yuanqu.projects.tests.conftest import make_project

    make_cockpit_data(owned_enterprise, other_enterprise, east)
    project = make_project("P1", econ_dept, plan=None)  # no plan: green until a node is late
    project.enterprise = owned_enterprise
    project.save()
    client.force_login(leader)

    def red():
        response = client.get(COCKPIT, {"period": "2024-08"})
        return {item["key"]: item for item in response.context["work"]}["projects_red"]["count"]

    before = red()
    assert red() == before
    Milestone.objects.create(project=project, kind="start", planned_on=datetime.date(2024, 1, 10))
    assert red() == before + 1  # planned in January, not started by August: 逾期


def test_a_withdrawn_grant_shows_on_the_next_request(
    client, leader, owned_enterprise, other_enterprise, east
):
    make_cockpit_data(owned_enterprise, other_enterprise, east)
    client.force_login(leader)
    assert client.get(COCKPIT, {"period": "2024-08"}).status_code == 200
    for grant in ObjectPermission.objects.filter(role=leader.role, model="economy.enterprisemonthlyvalue"):
        grant.enabled = False
        grant.save()
    assert client.get(COCKPIT, {"period": "2024-08"}).status_code == 403


def test_users_who_see_different_records_never_share_an_entry(
    client, leader, grid_worker, owned_enterprise, other_enterprise, east
):
    """The leader sees the park; the grid worker of 东区 only 东区, asked right after."""
    make_cockpit_data(owned_enterprise, other_enterprise, east)
    client.force_login(leader)
    assert _card(client.get(COCKPIT, {"period": "2024-08"}))["ytd"] == 15.50
    client.force_login(grid_worker)
    page = client.get(COCKPIT, {"period": "2024-08"})
    assert _card(page)["ytd"] == 12.0  # 东区: 120000 万元
    assert other_enterprise.name not in page.content.decode()
    # Another leader (same grants, same department) shares the leader's entry.
    other_leader = f.user("leader2", leader.role, leader.department, name="王主任")
    assert scope_signature(other_leader) == scope_signature(leader)
    assert scope_signature(grid_worker) != scope_signature(leader)


def test_a_new_value_shows_on_the_indicator_page(
    client, leader, owned_enterprise, other_enterprise, east, monkeypatch
):
    data = make_cockpit_data(owned_enterprise, other_enterprise, east)
    builds = _count_builds(monkeypatch, IndicatorView)
    url = reverse("economy:indicator", args=[data["output"].pk])
    client.force_login(leader)
    first = client.get(url, {"period": "2024-08"})
    assert first.context["enterprise_count"] == 3
    assert _main(client.get(url, {"period": "2024-08"})) == _main(first)
    assert len(builds) == 1
    newcomer = f.enterprise("东区新材料有限公司", dept=owned_enterprise.department, zone_obj=east)
    record_enterprise_value(newcomer, data["output"], AUG, month_value=D(5000), ytd_value=D(45000))
    after = client.get(url, {"period": "2024-08"})
    assert after.context["enterprise_count"] == 4
    assert "东区新材料有限公司" in after.content.decode()
    assert after.context["detail"]["series"][-1]["ytd"] == D(200000)
