"""The target sheet's progress rules: growth is compared with growth (never turned into a
value), totals and counts with their 序时进度, ``le`` targets are good under the target,
``approx`` allows its tolerance, and the actual comes from the catalogue or a report."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from yuanqu.economy.models import Indicator, ZoneMonthlyFigure
from yuanqu.figures.models import ExchangeRate, Unit
from yuanqu.figures.tests.test_investment_figures import leads  # noqa: F401 (a fixture)
from yuanqu.targets.models import LightBand, Target, TargetReport
from yuanqu.targets.progress import sheet, stand
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.testing import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
KEYS = {
    "indicator",
    "figure_key",
    "kind",
    "comparator",
    "target",
    "unit",
    "actual",
    "completion",
    "time_progress",
    "gap_pp",
    "light",
    "department",
    "scope",
    "reported",
    "note",
}


def target(name, value, unit="个", kind="total", **extra) -> Target:
    made = Target(
        year=2024, name=name, kind=kind, value=Decimal(str(value)), unit=Unit.objects.get(name=unit), **extra
    )
    made.full_clean()
    made.save()
    return made


def run(*args) -> dict[str, dict]:
    out = io.StringIO()
    call_command("targets", *args, "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert all(set(row) == KEYS for row in rows)
    return {row["indicator"]: row for row in rows}


@pytest.fixture
def gdp_growth(park):
    """The reference example: GDP growth published at 8.8 % (comparable prices); the plan says
    增长9%以上."""
    gdp = Indicator.objects.get(code="gdp")
    ZoneMonthlyFigure.objects.create(
        zone=park,
        indicator=gdp,
        period=D(2024, 9, 1),
        ytd_value=Decimal("310.5"),
        published_growth=Decimal("0.088"),
    )
    ZoneMonthlyFigure.objects.create(zone=park, indicator=gdp, period=D(2023, 9, 1), ytd_value=Decimal("280"))
    return target("地区生产总值", 9, "%", kind="growth", figure="economy.gdp")


def test_growth_is_compared_with_growth_never_converted(gdp_growth):
    row = run("--year", "2024", "--period", "2024-09")["地区生产总值"]
    assert row["kind"] == "growth" and row["comparator"] == "ge"
    assert row["target"] == 0.09 and row["actual"] == 0.088  # fractions, as `yuanqu indicators`
    assert row["gap_pp"] == -0.2  # 低于目标0.2个百分点, not a 完成率 of 82 %
    assert row["completion"] is None and row["time_progress"] is None
    assert row["light"] == "yellow"  # short by less than a point: the default bands
    assert "低于目标0.2个百分点" in row["note"]
    assert row["reported"] is False and row["figure_key"] == "economy.gdp"


def test_growth_lights_follow_the_bands_a_user_sets(gdp_growth):
    LightBand.objects.filter(kind="growth").delete()
    for lower, upper, light in ((None, Decimal("-0.1"), "red"), (Decimal("-0.1"), None, "green")):
        LightBand.objects.create(kind="growth", lower=lower, upper=upper, light=light)
    assert run("--year", "2024", "--period", "2024-09")["地区生产总值"]["light"] == "red"
    gdp_growth.comparator = "approx"  # 9%左右: half a point of tolerance by default
    gdp_growth.save()
    assert run("--year", "2024", "--period", "2024-09")["地区生产总值"]["light"] == "green"


def test_a_count_target_from_investment(leads):  # noqa: F811
    target("引进亿元以上项目", 6, figure="investment.signed_100m")
    row = run("--year", "2024", "--period", "2024-06")["引进亿元以上项目"]
    # 3, 6 and 12 亿元 signed by June: 3 of 6, half the year gone
    assert (row["actual"], row["completion"], row["time_progress"], row["gap_pp"]) == (3, 0.5, 0.5, 0.0)
    assert row["light"] == "green" and "与序时进度持平" in row["note"]


def test_a_total_target_in_another_unit_of_the_figure(leads):  # noqa: F811
    target("省外到位资金", 20000, "万元", figure="investment.funds_out_of_province")
    row = run("--year", "2024", "--period", "2024-12")["省外到位资金"]
    assert row["actual"] == 8000 and row["unit"] == "万元"  # 0.8 亿元 given in 万元
    assert row["completion"] == 0.4 and row["gap_pp"] == -60.0 and row["light"] == "red"


def test_a_currency_needs_the_years_exchange_rate(leads):  # noqa: F811
    target("省外到位资金（美元）", 1000, "万美元", figure="investment.funds_out_of_province")
    row = run("--year", "2024", "--period", "2024-12")["省外到位资金（美元）"]
    assert row["actual"] is None and row["light"] is None
    assert "2024年美元兑人民币汇率未录入" in row["note"]
    ExchangeRate.objects.create(year=2024, usd_cny=Decimal("7.2"))
    assert run("--year", "2024", "--period", "2024-12")["省外到位资金（美元）"]["actual"] == 1111.11


def test_a_count_target_from_the_registry(econ_dept):
    for n in range(3):
        f.enterprise(f"新设企业{n}", econ_dept, founded_on=D(2024, 2 + n, 1))
    f.enterprise("老企业", econ_dept, founded_on=D(2020, 1, 1))
    target("新增企业", 12, "家", figure="enterprises.founded", department=econ_dept)
    row = run("--year", "2024", "--period", "2024-03")["新增企业"]
    assert row["actual"] == 2 and row["department"] == econ_dept.name
    assert round(row["completion"], 4) == round(2 / 12, 4) and row["time_progress"] == 0.25


def test_a_reported_target_takes_the_departments_report(econ_dept):
    grain = target("民生支出", 10, "亿元", department=econ_dept)
    row = run("--year", "2024", "--period", "2024-06")["民生支出"]
    assert row["reported"] is True and row["actual"] is None and row["light"] is None
    assert "责任单位尚未填报2024年6月完成情况" in row["note"]
    TargetReport.objects.create(target=grain, period=D(2024, 5, 1), actual=Decimal("4.4"))
    row = run("--year", "2024", "--period", "2024-06")["民生支出"]
    assert (row["actual"], row["completion"], row["reported"]) == (4.4, 0.44, True)
    assert "取2024年5月填报数" in row["note"]
    assert row["light"] == "yellow"  # 44 % done at 50 % of the year: 6 points behind


def test_le_targets_are_good_at_or_under_the_target():
    accidents = target("较大安全事故", 2, "件", comparator="le")
    TargetReport.objects.create(target=accidents, period=D(2024, 10, 1), actual=Decimal(1))
    energy = target("单位GDP能耗增长", -3, "%", kind="growth", comparator="le")  # 下降3%以上
    TargetReport.objects.create(target=energy, period=D(2024, 10, 1), actual=Decimal("-3.4"))
    rows = run("--year", "2024", "--period", "2024-10")
    assert rows["较大安全事故"]["light"] == "green" and rows["单位GDP能耗增长"]["light"] == "green"
    assert "低于序时控制线33.3个百分点" in rows["较大安全事故"]["note"]  # 1 of 2 by October
    assert "在控制目标以内0.4个百分点" in rows["单位GDP能耗增长"]["note"]
    TargetReport.objects.filter(target=accidents).update(actual=Decimal(3))
    TargetReport.objects.filter(target=energy).update(actual=Decimal("-1.2"))
    rows = run("--year", "2024", "--period", "2024-10")
    assert rows["较大安全事故"]["light"] == "red" and rows["单位GDP能耗增长"]["light"] == "red"
    assert rows["单位GDP能耗增长"]["gap_pp"] == 1.8
    assert "已超出全年控制目标50.0%" in rows["较大安全事故"]["note"]
    assert "超出控制目标1.8个百分点" in rows["单位GDP能耗增长"]["note"]


def test_phasing_sets_the_time_progress():
    plan = target("处置三类土地", 1000, "亩", phasing=[0, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1])
    TargetReport.objects.create(target=plan, period=D(2024, 6, 1), actual=Decimal(380))
    row = run("--year", "2024", "--period", "2024-06")["处置三类土地"]
    assert row["time_progress"] == 0.4 and row["completion"] == 0.38 and row["gap_pp"] == -2.0


def test_bad_targets_are_refused_with_the_field_named():
    with pytest.raises(ValidationError) as growth_unit:
        target("规上工业增加值", 11, "亿元", kind="growth")
    assert growth_unit.value.message_dict["unit"] == ["增速目标的单位应为%"]
    with pytest.raises(ValidationError) as wrong_dimension:
        target("引进项目", 78, "亩", figure="investment.signed_100m")
    assert "不是同一量纲" in wrong_dimension.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as unknown:
        target("引进项目", 78, figure="investment.nothing")
    assert unknown.value.message_dict["figure"] == ["数据目录中没有数据项“investment.nothing”"]
    with pytest.raises(ValidationError) as phasing:
        target("处置土地", 1000, "亩", phasing=[1, 0.5] + [1] * 10)
    assert phasing.value.message_dict["phasing"] == ["分月进度须逐月不减，且在0到1之间"]
    assert not Target.objects.exists()


def test_the_command_refuses_a_month_outside_the_year():
    with pytest.raises(CommandError, match="月份2025-01不在2024年内"):
        call_command("targets", "--year", "2024", "--period", "2025-01")


def test_the_command_prints_a_readable_sheet(gdp_growth):
    out = io.StringIO()
    call_command("targets", "--year", "2024", "--period", "2024-09", stdout=out)
    text = out.getvalue()
    assert "地区生产总值：目标 9.0%，完成 8.8%，黄灯" in text


def test_a_user_sees_the_targets_and_figures_of_their_grants(leads, alice, econ_dept, invest_dept):  # noqa: F811
    target("引进亿元以上项目", 6, figure="investment.signed_100m", department=econ_dept)
    target("招商局引进项目", 2, figure="investment.signed_100m", department=invest_dept)
    standings = {s.target.name: s for s in stand(sheet(2024, alice), D(2024, 6, 1), alice)}
    assert set(standings) == {"引进亿元以上项目", "招商局引进项目"}  # 部门人员 see the whole sheet
    assert standings["引进亿元以上项目"].actual == 3
    # without a grant on the leads, the figure is not computed for her, and says why
    ObjectPermission.objects.filter(model="investment.lead", role=alice.role).delete()
    alice = type(alice).objects.get(pk=alice.pk)  # grants are read once per user object
    standing = stand(sheet(2024, alice), D(2024, 6, 1), alice)[0]
    assert standing.actual is None and standing.light == ""
    assert "无权查看该数据项所依据的记录" in standing.note
