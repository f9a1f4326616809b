"""The leaders' cockpit: card figures and lights, the early-warning list, restriction."""

import datetime
import json
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from yuanqu.economy.cockpit import YELLOW_PP, light
from yuanqu.economy.models import Indicator
from yuanqu.economy.services import record_enterprise_value
from yuanqu.utilities.testing import factories as f

from .sheet import sheet_target

COCKPIT = reverse("economy:cockpit")
AUG = datetime.date(2024, 8, 1)
JUL = datetime.date(2024, 7, 1)
AUG_2023 = datetime.date(2023, 8, 1)


def make_cockpit_data(owned_enterprise, other_enterprise, east):
    """规上工业总产值 (万元) for 2024-08 against 2023-08:
    growing  东区精密 (东区): 100000 → 120000
    dropping 西区光电 (西区):  50000 →  35000 (−30%)
    silent   东区停报 (东区):   8000 →  none (reported 7000 for 2024-07)
    YTD 155000万元 = 15.50亿元; comparable 155000 / 150000 − 1 = 3.3%; target 30亿元 (300000万元):
    completion 51.7% against 序时进度 66.7% (15 points behind: red)."""
    output = Indicator.objects.get(code="industrial_output")
    chain = f.chain("高端装备制造")
    owned_enterprise.industry_chain = chain
    owned_enterprise.save()
    silent = f.enterprise("东区停报机械有限公司", dept=owned_enterprise.department, zone_obj=east)
    rows = [
        (owned_enterprise, AUG_2023, 12000, 100000),
        (owned_enterprise, JUL, 14000, 105000),
        (owned_enterprise, AUG, 15000, 120000),
        (other_enterprise, AUG_2023, 6000, 50000),
        (other_enterprise, AUG, 4000, 35000),
        (silent, AUG_2023, 1000, 8000),
        (silent, JUL, 900, 7000),
    ]
    for enterprise, period, month, ytd in rows:
        record_enterprise_value(enterprise, output, period, month_value=D(month), ytd_value=D(ytd))
    sheet_target(output, 2024, 30, "亿元")
    return {"output": output, "silent": silent, "chain": chain}


@pytest.fixture
def cockpit_data(owned_enterprise, other_enterprise, east):
    return make_cockpit_data(owned_enterprise, other_enterprise, east)


def cockpit_json(response) -> dict:
    match = re.search(
        r'<script id="cockpit-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "json_script missing"
    return json.loads(match.group(1))


def test_light_colours():
    progress = D(8) / D(12)
    assert light(D("0.70"), progress) == "green"
    assert light(progress, progress) == "green"
    assert light(progress - (YELLOW_PP - 1) / 100, progress) == "yellow"
    assert light(progress - YELLOW_PP / 100, progress) == "yellow"
    assert light(progress - (YELLOW_PP + D("0.1")) / 100, progress) == "red"
    assert light(None, progress) == "grey"


def test_leader_sees_the_cards_computed_from_the_data(client, leader, cockpit_data):
    client.force_login(leader)
    response = client.get(COCKPIT, {"period": "2024-08"})
    assert response.status_code == 200
    data = cockpit_json(response)
    card = next(c for c in data["cards"] if c["code"] == "industrial_output")
    assert card["ytd"] == 15.50 and card["unit"] == "亿元"
    assert card["growth"] == pytest.approx(155000 / 150000 - 1, abs=1e-4)
    assert card["growth_pct"] == "3.3%"
    assert card["completion"] == pytest.approx(155000 / 300000, abs=1e-4)
    assert card["time_progress"] == pytest.approx(8 / 12, abs=1e-4)
    assert card["light"] == "red"
    assert card["gap_text"] == "落后序时进度15.0个百分点"
    output = cockpit_data["output"]
    assert (
        card["url"]
        == f"{reverse('economy:enterprisemonthlyvalue_list')}?period=2024-08&indicator={output.pk}"
    )
    page = response.content.decode()
    assert "15.50" in page and "light-red" in page
    # the trend: this year's month values to August against last year's twelve months, in 亿元
    trend = next(t for t in data["trends"] if t["code"] == "industrial_output")
    assert trend["this_year"][6:8] == [1.49, 1.9]  # July 14000+900, August 15000+4000 万元
    assert trend["last_year"][7] == 1.9 and len(trend["last_year"]) == 12


def test_breakdowns_link_to_the_records(client, leader, cockpit_data, east, west):
    client.force_login(leader)
    data = cockpit_json(client.get(COCKPIT, {"period": "2024-08"}))
    chains = {c["name"]: c for c in data["chains"]}
    assert chains["高端装备制造"]["ytd"] == 12.0 and chains["高端装备制造"]["growth_pct"] == "20.0%"
    assert chains["高端装备制造"]["url"].endswith(f"?industry_chain={cockpit_data['chain'].pk}")
    assert chains["未归链"]["ytd"] == 3.5 and chains["未归链"]["url"] is None
    zones = {z["name"]: z for z in data["zones"]}
    assert zones["东区"]["ytd"] == 12.0 and zones["西区"]["growth_pct"] == "-30.0%"
    assert f"zone={west.pk}" in zones["西区"]["url"] and "period=2024-08" in zones["西区"]["url"]
    # the link opens the monthly values of that 片区
    client.force_login(leader)
    listed = client.get(zones["西区"]["url"]).content.decode()
    assert "西区光电科技有限公司" in listed and "东区精密机械有限公司" not in listed


def test_early_warning_lists_dropping_and_silent_enterprises(
    client, leader, cockpit_data, owned_enterprise, other_enterprise
):
    client.force_login(leader)
    response = client.get(COCKPIT, {"period": "2024-08"})
    warnings = {w["name"]: w for w in cockpit_json(response)["warnings"]}
    assert set(warnings) == {other_enterprise.name, "东区停报机械有限公司"}
    assert warnings[other_enterprise.name]["reason"] == "累计同比下降30.0%"
    assert "未报" in warnings["东区停报机械有限公司"]["reason"]
    assert warnings[other_enterprise.name]["url"] == other_enterprise.get_absolute_url()
    assert owned_enterprise.name not in warnings


def test_warning_threshold_is_a_setting(client, leader, cockpit_data, other_enterprise, settings):
    settings.YUANQU_WARNING_DROP = 0.35
    client.force_login(leader)
    names = [w["name"] for w in cockpit_json(client.get(COCKPIT, {"period": "2024-08"}))["warnings"]]
    assert other_enterprise.name not in names  # fell 30%, under the 35% threshold
    assert "东区停报机械有限公司" in names


def test_top_enterprises_ranked_and_linked(client, leader, cockpit_data, owned_enterprise, other_enterprise):
    client.force_login(leader)
    top = cockpit_json(client.get(COCKPIT, {"period": "2024-08"}))["top"]
    assert [(t["rank"], t["name"], t["ytd"]) for t in top] == [
        (1, owned_enterprise.name, 12.0),
        (2, other_enterprise.name, 3.5),
    ]
    assert top[0]["url"] == owned_enterprise.get_absolute_url()


def test_grid_worker_sees_only_own_zone(
    client, grid_worker, cockpit_data, owned_enterprise, other_enterprise
):
    client.force_login(grid_worker)
    response = client.get(COCKPIT, {"period": "2024-08"})
    assert response.status_code == 200
    data = cockpit_json(response)
    assert [t["name"] for t in data["top"]] == [owned_enterprise.name]
    assert [z["name"] for z in data["zones"]] == ["东区"]
    assert other_enterprise.name not in response.content.decode()
    card = next(c for c in data["cards"] if c["code"] == "industrial_output")
    assert card["ytd"] == 12.0


def test_zone_picker_limits_the_figures(client, leader, cockpit_data, west, other_enterprise):
    client.force_login(leader)
    data = cockpit_json(client.get(COCKPIT, {"period": "2024-08", "zone": west.pk}))
    assert [t["name"] for t in data["top"]] == [other_enterprise.name]


def test_bad_period_is_reported_in_chinese(client, leader, cockpit_data):
    client.force_login(leader)
    response = client.get(COCKPIT, {"period": "2024-13"})
    assert response.status_code == 200
    assert "格式不对" in response.content.decode()


def test_cockpit_needs_the_economy_grant(client, charlie, sysadmin):
    client.force_login(sysadmin)
    assert client.get(COCKPIT).status_code == 403


def test_summary_and_home_link_to_the_cockpit(client, leader, cockpit_data):
    client.force_login(leader)
    assert COCKPIT in client.get(reverse("economy:summary")).content.decode()
    assert COCKPIT in client.get(reverse("home")).content.decode()
