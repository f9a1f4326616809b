"""The cockpit's lists of the primary indicator read from the rollups (chains and 片区 from the
rollups' cells, the top 20 and the warnings from two small queries) say exactly what the same
lists computed from every enterprise's value say: on the demo zone, for the park and a 片区,
and again after a correction, a withdrawn report and an enterprise moving to another 片区 and
another 产业链."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from yuanqu.economy.cockpit import primary_figures
from yuanqu.economy.demo import generate_economy
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator
from yuanqu.economy.rollups import Scope
from yuanqu.economy.services import add_months, record_enterprise_value
from yuanqu.enterprises import demo
from yuanqu.enterprises.models import Enterprise, IndustryChain
from yuanqu.users.models import User, Zone

from .test_cockpit import cockpit_json

TODAY = datetime.date(2024, 11, 20)
PERIOD = datetime.date(2024, 10, 1)
MONTHS = (PERIOD, add_months(PERIOD, -1), datetime.date(2024, 1, 1))


@pytest.fixture
def output(db):
    demo.generate(60, today=TODAY)
    generate_economy(TODAY)
    return Indicator.objects.get(code="industrial_output")


def both(period, output, zone=None):
    """(from the value table, from the rollups) of the park or of one 片区."""
    values = EnterpriseMonthlyValue.objects.filter(is_current=True)
    scope = Scope()
    if zone is not None:
        values = values.filter(enterprise__zone_id__in=zone.subtree_ids())
        scope = Scope(zone.subtree_ids())
    return primary_figures(period, values, output), primary_figures(period, values, output, scope)


def assert_same(output):
    for zone in (None, *Zone.objects.filter(parent__isnull=False).order_by("pk")[:2]):
        for period in MONTHS:
            direct, rolled = both(period, output, zone)
            assert rolled == direct, (zone, period)


def test_the_demo_zones_lists_are_the_same_from_the_rollups(output):
    assert_same(output)
    direct, _ = both(PERIOD, output)
    # The demo has what the lists are about: several chains and 片区, falls and silences.
    assert len(direct["chains"]) > 1 and len(direct["zones"]) > 1
    assert direct["top"] and direct["warnings"] and direct["drags"]
    assert direct["primary"]["growth"] is not None


def test_after_a_correction_a_withdrawn_report_and_a_move_they_stay_the_same(output):
    values = EnterpriseMonthlyValue.objects.filter(indicator=output, is_current=True)
    direct, _ = both(PERIOD, output)
    leader = Enterprise.objects.get(name=direct["top"][0]["name"])
    base = values.get(enterprise=leader, period=add_months(PERIOD, -12)).ytd_value
    # A correction (a second version) halves the leader's YTD: it falls year on year.
    record_enterprise_value(leader, output, PERIOD, month_value=D(1), ytd_value=base / 2, reason="更正")
    assert values.filter(enterprise=leader, period=PERIOD).get().version == 2
    # A report withdrawn: that enterprise reported a year earlier and last month, not now.
    silent = values.filter(period=PERIOD).exclude(enterprise=leader).order_by("enterprise__name").first()
    silent.delete()
    # An enterprise moves to another 片区 and another chain.
    mover = (
        values.filter(period=PERIOD).exclude(enterprise__in=[leader, silent.enterprise]).first().enterprise
    )
    mover.zone = Zone.objects.filter(parent__isnull=False).exclude(pk=mover.zone_id).order_by("pk").first()
    mover.industry_chain = IndustryChain.objects.exclude(pk=mover.industry_chain_id).order_by("pk").first()
    mover.save()

    assert_same(output)
    after, _ = both(PERIOD, output)
    assert after["top"] != direct["top"]
    reasons = {row["name"]: row["reason"] for row in after["warnings"]}
    assert reasons[leader.name] == "累计同比下降50.0%"
    assert reasons[silent.enterprise.name] == "本期未报（上月或上年同期有数据）"
    chains = {row["name"]: row for row in after["chains"]}
    assert mover.industry_chain.name in chains


def test_the_cockpit_page_shows_the_lists_from_the_rollups(client, output):
    """The page reads the leader's rollups (the whole park) and shows the same lists."""
    client.force_login(User.objects.get(username="leader"))
    data = cockpit_json(client.get(reverse("economy:cockpit"), {"period": f"{PERIOD:%Y-%m}"}))
    direct, _ = both(PERIOD, output)
    for key in ("chains", "zones", "top", "warnings", "drags"):
        assert data[key] == direct[key], key
