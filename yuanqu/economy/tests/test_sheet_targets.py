"""The economy reads its targets from the target sheet (目标责任书): a growth target is compared
as growth (never turned into a value), a total target is converted into the indicator's unit,
a 片区 reads its own target; and the old annual targets move onto the sheet."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from yuanqu.economy.cockpit import cards
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from yuanqu.economy.services import indicator_summary
from yuanqu.targets.models import Target
from yuanqu.utilities.testing import factories as f

from .sheet import sheet_target

AUG = datetime.date(2024, 8, 1)
GAP = "低于目标0.2个百分点"


@pytest.fixture
def gdp_against_growth_target(park):
    """地区生产总值 published at 8.8 % for 1–8月 2024, the sheet's target 增长9%以上."""
    gdp = Indicator.objects.get(code="gdp")
    ZoneMonthlyFigure.objects.create(
        zone=park, indicator=gdp, period=AUG, ytd_value=D("61.5"), published_growth=D("0.088")
    )
    sheet_target(gdp, 2024, 9, kind="growth", name="地区生产总值")
    return gdp


def test_a_growth_target_shows_growth_against_growth_on_the_summary(
    client, leader, gdp_against_growth_target
):
    client.force_login(leader)
    response = client.get(reverse("economy:summary"), {"period": "2024-08"})
    row = next(r for r in response.context["rows"] if r["code"] == "gdp")
    assert row["growth_target_text"] == f"增长8.8%，目标9%，{GAP}"
    assert row["target"] is None and row["completion"] is None and row["completion_pct"] == "—"
    assert row["target_growth"] == D("0.09")
    assert f"目标为增速，按增速比较：增长8.8%，目标9%，{GAP}" in row["note"]
    assert "未设定年度目标" not in row["note"]
    assert GAP in response.content.decode()


def test_a_growth_target_shows_growth_against_growth_on_the_cockpit_card(gdp_against_growth_target):
    (card,) = cards(
        AUG,
        None,
        EnterpriseMonthlyValue.objects.none(),
        ZoneMonthlyFigure.objects.all(),
        [gdp_against_growth_target],
    )
    assert card["target_text"] == f"增长8.8%，目标9%，{GAP}"
    assert card["target_growth"] == 0.09 and card["growth"] == 0.088
    assert card["completion"] is None and card["completion_pct"] == "—" and card["gap_text"] == ""
    # lit by growth against growth with the target sheet's bands: 0.2 points short is yellow
    assert (card["light"], card["light_label"]) == ("yellow", "黄灯：增速略低于目标")


def test_the_cockpit_page_compares_growth_with_the_growth_target(client, leader, owned_enterprise, output):
    EnterpriseMonthlyValue.objects.create(
        enterprise=owned_enterprise, indicator=output, period=datetime.date(2023, 8, 1), ytd_value=D(1000)
    )
    EnterpriseMonthlyValue.objects.create(
        enterprise=owned_enterprise, indicator=output, period=AUG, ytd_value=D(1088)
    )
    sheet_target(output, 2024, 9, kind="growth")
    client.force_login(leader)
    page = client.get(reverse("economy:cockpit"), {"period": "2024-08"}).content.decode()
    assert f"增长8.8%，目标9%，{GAP}" in page
    assert "完成 —" in page  # no 完成率 from a growth target


def test_a_total_target_in_yi_yuan_gives_the_completion_of_an_indicator_in_wan_yuan(owned_enterprise, output):
    EnterpriseMonthlyValue.objects.create(
        enterprise=owned_enterprise, indicator=output, period=AUG, ytd_value=D(150000)
    )
    sheet_target(output, 2024, 30, "亿元")  # 30亿元 = 300000万元
    row = next(r for r in indicator_summary(AUG) if r["code"] == "industrial_output")
    assert row["target"] == D(300000) and row["completion"] == D("0.5")
    assert round(row["gap_pp"], 2) == D("-16.67") and "落后序时进度16.7个百分点" in row["note"]


def test_a_zone_reads_its_own_target_and_the_park_the_parks(park, east, west, owned_enterprise, output):
    EnterpriseMonthlyValue.objects.create(
        enterprise=owned_enterprise, indicator=output, period=AUG, ytd_value=D(60)
    )
    sheet_target(output, 2024, 200)
    sheet_target(output, 2024, 80, zone=east)
    sheet_target(output, 2024, 5, kind="growth", zone=east)

    def row(zone):
        return next(r for r in indicator_summary(AUG, zone) if r["code"] == "industrial_output")

    assert (row(None)["target"], row(None)["target_growth"]) == (D(200), None)
    assert row(park)["target"] == D(200)
    assert (row(east)["target"], row(east)["completion"], row(east)["target_growth"]) == (
        D(80),
        D("0.75"),
        D("0.05"),
    )
    assert row(west)["target"] is None and "未设定年度目标" in row(west)["note"]


# --- the old annual targets move onto the sheet ---------------------------------------------

BEFORE = [("targets", "0002_synonyms"), ("economy", "0005_covering_index_for_the_cockpit")]
AFTER = [("targets", "0003_from_economy_annual_targets")]


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_an_annual_target_into_a_total_and_a_growth_target():
    department = f.department("经济发展局")
    east = f.zone("东区", parent=f.zone("高新区"))
    # made with today's models (their change log is today's): before the schema goes back
    investment = f.department("招商局")
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        Indicator = old.get_model("economy", "Indicator")
        AnnualTarget = old.get_model("economy", "AnnualTarget")
        output = Indicator.objects.get(code="industrial_output")
        gdp = Indicator.objects.get(code="gdp")
        phasing = [round(m / 12, 6) for m in range(1, 13)]
        AnnualTarget.objects.create(
            indicator_id=output.pk,
            year=2024,
            department_id=department.pk,
            target_value=D(3000000),
            target_growth=D("0.09"),
            monthly_phasing=phasing,
        )
        AnnualTarget.objects.create(indicator_id=gdp.pk, year=2024, zone_id=east.pk, target_growth=D("0.085"))
        # A second park target of the same indicator, another department's: a name of its own.
        AnnualTarget.objects.create(
            indicator_id=output.pk, year=2024, department_id=investment.pk, target_value=D(10)
        )
        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        call_command("migrate", verbosity=0)  # back to the project's latest state

    targets = {(t.name, t.zone_id): t for t in Target.objects.select_related("unit")}
    assert set(targets) == {
        ("规上工业总产值", None),
        ("规上工业总产值增速", None),
        ("地区生产总值", east.pk),
        ("规上工业总产值（招商局）", None),
    }
    total, growth = targets["规上工业总产值", None], targets["规上工业总产值增速", None]
    assert (total.kind, total.value, total.unit.name) == ("total", D(3000000), "万元")
    assert (growth.kind, growth.value, growth.unit.name) == ("growth", D(9), "%")  # not 3000000 × 1.09
    for target in (total, growth):
        assert (target.year, target.figure, target.department_id) == (
            2024,
            "economy.industrial_output",
            department.pk,
        )
        assert target.phasing == phasing
    zone_growth = targets["地区生产总值", east.pk]
    assert (zone_growth.kind, zone_growth.value, zone_growth.unit.name) == ("growth", D("8.5"), "%")
    assert zone_growth.figure == "economy.gdp" and zone_growth.stated() == "增长8.5%以上"
