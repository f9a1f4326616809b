"""The cockpit beyond the economy: projects behind schedule, overdue demands and overdue tasks,
each a number whose link opens the list filtered to exactly those records; growth against the
target growth; one display unit for the same figure on the cockpit and the summary."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from yuanqu.demands import services as demand_services
from yuanqu.demands.models import Demand, DemandCategory
from yuanqu.economy.services import growth_against_target, record_enterprise_value
from yuanqu.projects.tests.conftest import make_project, report
from yuanqu.supervision.models import Task, WorkPoint

from .sheet import sheet_target
from .test_cockpit import cockpit_json, make_cockpit_data

COCKPIT = reverse("economy:cockpit")
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


@pytest.fixture
def work(alice, owned_enterprise, other_enterprise, econ_dept, invest_dept):
    """For 2024-08: a red project (40 of a 1200 plan a month: 26.7 % against 66.7 %) and a
    green one (100 a month); demands received in 2024 (long overdue) for an enterprise in 东区
    and one in 西区, and one received today (not overdue); a task due 2024-09-30 (overdue) and
    one due in 2099 (not)."""
    red = make_project("ZD2024-001", invest_dept, plan="1200", year=2024, name="光伏组件项目")
    green = make_project("ZD2024-002", econ_dept, plan="1200", year=2024, name="高纯多晶硅项目")
    for month in range(1, 9):
        report(red, 2024, month, "40")
        report(green, 2024, month, "100")
    power = DemandCategory.objects.get(name="用电")
    received = datetime.datetime(2024, 9, 27, 10, tzinfo=SHANGHAI)
    for enterprise, title in ((owned_enterprise, "东区用电增容"), (other_enterprise, "西区用电增容")):
        demand_services.receive(
            alice, enterprise=enterprise, category=power, channel="visit", title=title,
            description="投产需要增容。", received_at=received,
        )  # fmt: skip
    demand_services.receive(
        alice, enterprise=owned_enterprise, category=power, channel="visit", title="今天受理的诉求",
        description="刚受理。",
    )  # fmt: skip
    point = WorkPoint.objects.create(year=2024, number="一", title="优化营商环境", source="work_point")
    for number, due in (("2024-001", datetime.date(2024, 9, 30)), ("2024-002", datetime.date(2099, 12, 31))):
        Task.objects.create(
            number=number, work_point=point, text=f"任务{number}", department=econ_dept,
            report_cycle="monthly", start_on=datetime.date(2024, 5, 7), due_on=due, status="on_track",
        )  # fmt: skip
    return {"red": red, "green": green}


def work_items(client):
    response = client.get(COCKPIT, {"period": "2024-08"})
    assert response.status_code == 200
    return {item["key"]: item for item in response.context["work"]}, response.content.decode()


def list_total(client, url) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["total"]


def test_each_number_opens_its_list_with_the_same_total_for_a_leader(client, leader, work):
    client.force_login(leader)
    items, html = work_items(client)
    assert {k: items[k]["count"] for k in items} == {
        "projects_red": 1,
        "projects_yellow": 0,
        "demands_overdue": 2,
        "tasks_overdue": 1,
    }
    for item in items.values():
        assert list_total(client, item["url"]) == item["count"], item["key"]
        assert f'href="{item["url"]}"' in html.replace("&amp;", "&")
    red_list = client.get(items["projects_red"]["url"]).content.decode()
    assert "光伏组件项目" in red_list and "高纯多晶硅项目" not in red_list
    assert Demand.objects.count() == 3 and Task.objects.count() == 2  # the others are not overdue


def test_a_grid_worker_counts_only_the_own_zone_and_only_what_it_may_open(client, grid_worker, work):
    client.force_login(grid_worker)
    items, html = work_items(client)
    assert set(items) == {"demands_overdue"}  # no grant on projects or tasks: not shown
    assert items["demands_overdue"]["count"] == 1  # 东区's, not 西区's
    assert list_total(client, items["demands_overdue"]["url"]) == 1
    assert reverse("projects:keyproject_list") not in html
    assert reverse("supervision:task_list") not in html


def zone_items(client, zone):
    response = client.get(COCKPIT, {"period": "2024-08", "zone": zone.pk})
    assert response.status_code == 200
    return {item["key"]: item for item in response.context["work"]}, response.content.decode()


def test_a_chosen_zone_narrows_projects_and_demands_and_their_lists(
    client, leader, work, owned_enterprise, other_enterprise, east, west, park
):
    """The red project belongs to an enterprise in 东区, the green one to one in 西区; of the two
    overdue demands one is 东区's, one 西区's. Each number equals its list's total."""
    for project, enterprise in ((work["red"], owned_enterprise), (work["green"], other_enterprise)):
        project.enterprise = enterprise
        project.save()
    client.force_login(leader)
    expected = {
        east: {"projects_red": 1, "projects_yellow": 0, "demands_overdue": 1},
        west: {"projects_red": 0, "projects_yellow": 0, "demands_overdue": 1},
        park: {"projects_red": 1, "projects_yellow": 0, "demands_overdue": 2},  # 园区 = its 片区 together
    }
    for zone, counts in expected.items():
        items, html = zone_items(client, zone)
        assert {k: items[k]["count"] for k in counts} == counts, zone.name
        for key in counts:
            assert f"zone={zone.pk}" in items[key]["url"]
            assert list_total(client, items[key]["url"]) == items[key]["count"], (zone.name, key)
            assert f'href="{items[key]["url"]}"' in html.replace("&amp;", "&")
    east_red = client.get(zone_items(client, east)[0]["projects_red"]["url"]).content.decode()
    assert "光伏组件项目" in east_red and "高纯多晶硅项目" not in east_red
    west_demands = client.get(zone_items(client, west)[0]["demands_overdue"]["url"]).content.decode()
    assert "西区用电增容" in west_demands and "东区用电增容" not in west_demands


def test_tasks_say_they_are_not_counted_by_zone(client, leader, work, east):
    client.force_login(leader)
    items, html = zone_items(client, east)
    tasks = items["tasks_overdue"]
    assert tasks["count"] == 1 and "zone=" not in tasks["url"]  # the park's one overdue task
    assert "督办任务按部门，不分片区" in html
    assert list_total(client, tasks["url"]) == 1
    plain, plain_html = work_items(client)
    assert (
        "督办任务按部门，不分片区" not in plain_html
        and plain["tasks_overdue"]["note"] == "完成时限已过仍未完成"
    )


def test_growth_is_shown_against_the_target_growth():
    assert growth_against_target(D("0.082"), D("0.09")) == "增长8.2%，目标9%，低于目标0.8个百分点"
    assert growth_against_target(D("0.1"), D("0.085")) == "增长10.0%，目标8.5%，高于目标1.5个百分点"
    assert growth_against_target(D("-0.03"), D("0.09")) == "下降3.0%，目标9%，低于目标12.0个百分点"
    assert growth_against_target(D("0.09"), D("0.09")) == "增长9.0%，目标9%，与目标持平"
    assert growth_against_target(None, D("0.09")) == "增速暂无，目标9%"
    assert growth_against_target(D("0.05"), None) == ""


def test_the_card_shows_growth_against_target_next_to_value_and_completion(
    client, leader, owned_enterprise, other_enterprise, east
):
    data = make_cockpit_data(owned_enterprise, other_enterprise, east)
    sheet_target(data["output"], 2024, 5, kind="growth")
    client.force_login(leader)
    response = client.get(COCKPIT, {"period": "2024-08"})
    card = next(c for c in cockpit_json(response)["cards"] if c["code"] == "industrial_output")
    # comparable growth 155000 / 150000 − 1 = 3.3 %, target 5 %: 1.7 points short
    assert card["target_text"] == "增长3.3%，目标5%，低于目标1.7个百分点"
    html = response.content.decode()
    card_html = re.search(r'data-code="industrial_output".*?</a>', html, re.S).group(0)
    assert (
        "15.50" in card_html
        and "完成 51.7%" in card_html
        and "增长3.3%，目标5%，低于目标1.7个百分点" in card_html
    )


def test_the_same_figure_has_the_same_unit_on_the_cockpit_and_the_summary(
    client, leader, owned_enterprise, output
):
    """1–8月 12,345,678 万元 = 1,234.57 亿元 on both pages, with thousands separators."""
    record_enterprise_value(
        owned_enterprise, output, datetime.date(2024, 8, 1), month_value=D(1500000), ytd_value=D(12345678)
    )
    client.force_login(leader)
    cockpit = client.get(COCKPIT, {"period": "2024-08"}).content.decode()
    summary = client.get(reverse("economy:summary"), {"period": "2024-08"})
    row = next(r for r in summary.context["rows"] if r["code"] == "industrial_output")
    assert row["unit"] == "亿元" and row["ytd_text"] == "1,234.57"
    assert "1,234.57" in cockpit and "1,234.57" in summary.content.decode()
    assert "12345678" not in summary.content.decode()
