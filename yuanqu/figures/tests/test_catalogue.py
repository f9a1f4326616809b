"""The figure catalogue: economy figures equal ``yuanqu indicators``; registry counts tell a
first grant from a re-certification; scopes and the user's restriction hold."""

import datetime
import io
import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from yuanqu.economy.tests.conftest import output  # noqa: F401 (a fixture)
from yuanqu.economy.tests.test_command import indicators, zone_data  # noqa: F401 (a fixture)
from yuanqu.enterprises.models import Qualification, ScaleRecord
from yuanqu.figures.catalogue import Figure, Query, Result, as_json, evaluate, figures
from yuanqu.registry import registry
from yuanqu.utilities.testing import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date
KEYS = {
    "key",
    "name",
    "unit",
    "kind",
    "period",
    "scope",
    "value",
    "base",
    "growth",
    "source",
    "note",
    "rank",
    "rank_of",
    "growth_rank",
    "share",
}


def run(*args) -> dict[str, dict]:
    out = io.StringIO()
    call_command("figures", *args, "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert rows and all(set(row) == KEYS for row in rows)
    return {row["key"]: row for row in rows}


def test_economy_figures_equal_the_indicators_command(zone_data):  # noqa: F811
    for scope_args, zone_args in (((), ()), (("--scope", "东区"), ("--zone", "东区"))):
        catalogue = run("--period", "2024-08", *scope_args)
        summary = indicators(*zone_args)
        assert summary, "no indicators to compare"
        for code, row in summary.items():
            figure = catalogue[f"economy.{code}"]
            assert (figure["value"], figure["base"], figure["growth"]) == (
                row["ytd"],
                row["base"],
                row["growth"],
            ), code
    park = run("--period", "2024-08")
    assert park["economy.industrial_output"]["value"] == 122  # 50 + 62 + 10 万元
    assert park["economy.industrial_output"]["base"] == 100  # the comparable set: 40 + 60
    assert park["economy.industrial_output"]["growth"] == 0.12
    assert park["economy.industrial_value_added"]["growth"] == 0.095  # the published growth
    assert park["economy.industrial_output"]["source"].startswith("/indicators/")


@pytest.fixture
def grants(owned_enterprise, other_enterprise, east, west):
    """东区's enterprise re-certified as 高企 in 2024 (first in 2021); 西区's granted for the
    first time in 2024 and made 省级专精特新; a third (东区) granted after October."""
    late = f.enterprise("东区晚认定科技有限公司", zone_obj=east)
    hnte = "hnte"
    Qualification.objects.create(
        enterprise=owned_enterprise, kind=hnte, granted_on=D(2021, 3, 1), valid_until=D(2024, 2, 28)
    )
    Qualification.objects.create(
        enterprise=owned_enterprise, kind=hnte, granted_on=D(2024, 3, 1), valid_until=D(2027, 2, 28)
    )
    Qualification.objects.create(
        enterprise=other_enterprise, kind=hnte, granted_on=D(2024, 5, 10), valid_until=D(2027, 5, 9)
    )
    Qualification.objects.create(
        enterprise=other_enterprise, kind="srdi_sme", level="provincial", granted_on=D(2024, 6, 1)
    )
    Qualification.objects.create(enterprise=late, kind=hnte, granted_on=D(2024, 12, 1))
    return {"east": owned_enterprise, "west": other_enterprise, "late": late}


def test_first_grants_renewals_and_holders(grants):
    rows = run("--period", "2024-10")
    assert rows["enterprises.hnte_new"]["value"] == 1  # 西区's; the December grant is not yet
    assert rows["enterprises.hnte_renewed"]["value"] == 1  # 东区's re-certification
    assert rows["enterprises.hnte_holders"]["value"] == 2
    assert rows["enterprises.hnte_holders"]["base"] == 1  # October 2023: 东区's first grant only
    assert rows["enterprises.hnte_holders"]["growth"] == 1.0
    assert rows["enterprises.srdi_sme_provincial_new"]["value"] == 1
    assert rows["enterprises.srdi_sme_national_new"]["value"] == 0
    east = run("--period", "2024-10", "--scope", "东区")
    assert (east["enterprises.hnte_new"]["value"], east["enterprises.hnte_renewed"]["value"]) == (0, 1)
    assert east["enterprises.hnte_holders"]["scope"] == "东区"
    assert run("--period", "2024-12")["enterprises.hnte_new"]["value"] == 2


def test_new_entrants_to_the_scale_population(owned_enterprise, other_enterprise):
    ScaleRecord.objects.create(enterprise=owned_enterprise, year=2023, kind="industry")
    ScaleRecord.objects.create(enterprise=owned_enterprise, year=2024, kind="industry")
    ScaleRecord.objects.create(enterprise=other_enterprise, year=2024, kind="industry")
    rows = run("--period", "2024-06")
    assert rows["enterprises.scale_industry_new"]["value"] == 1
    assert rows["enterprises.scale_industry_new"]["base"] == 1  # 2023: the first enterprise entered
    assert rows["enterprises.scale_service_new"]["value"] == 0


def test_a_grid_worker_counts_only_their_zone(grants, grid_worker):
    catalogue = figures()
    query = Query(D(2024, 10, 1), user=grid_worker)
    assert evaluate(catalogue["enterprises.hnte_holders"], query).value == 1  # 东区 only
    assert evaluate(catalogue["enterprises.hnte_renewed"], query).value == 1
    assert evaluate(catalogue["enterprises.hnte_new"], query).value == 0


def test_a_figure_outside_its_scopes_or_the_users_grant_says_why(grants, econ_dept, sysadmin):
    catalogue = figures()
    by_department = Query(D(2024, 10, 1), scope="department", target=econ_dept)
    result = evaluate(catalogue["economy.industrial_output"], by_department)
    assert result.value is None and "不能按部门计算" in result.note
    assert evaluate(catalogue["enterprises.hnte_holders"], by_department).value == 1  # 东区's is 经发局's
    assert run("--period", "2024-10", "--scope", econ_dept.name)["enterprises.hnte_holders"]["value"] == 1
    nothing = [key for key in catalogue if key.startswith("economy.")][0]
    result = evaluate(catalogue[nothing], Query(D(2024, 10, 1), user=sysadmin))  # organisation, not figures
    assert result.value is None and result.note == "无权查看该数据项所依据的记录"


def test_a_figure_that_cannot_be_computed_is_null_with_a_reason(db):
    rows = run("--period", "2024-08")
    empty = rows["economy.industrial_output"]
    assert empty["value"] is None and "无企业填报数据" in empty["note"]
    assert "目标" not in empty["note"]


def test_bad_period_and_unknown_scope_are_refused_in_chinese(db):
    with pytest.raises(CommandError, match="月份"):
        call_command("figures", "--period", "2024-13")
    with pytest.raises(CommandError, match="不是片区、部门或产业链的名称"):
        call_command("figures", "--period", "2024-08", "--scope", "火星区")


def test_a_key_provided_twice_is_refused(db):
    twice = [Figure("enterprises.founded", "重复", "家", "count", lambda q: Result(0))]
    registry["figures"]["test_twice"] = lambda: twice
    try:
        with pytest.raises(ImproperlyConfigured, match="provided twice"):
            figures()
    finally:
        del registry["figures"]["test_twice"]


def test_json_rounds_like_the_indicators_command():
    figure = Figure("x.y", "测试", "万元", "total", lambda q: None)
    row = as_json(
        figure,
        Query(D(2024, 8, 1)),
        Result(__import__("decimal").Decimal("12.3456"), growth=__import__("decimal").Decimal("0.123456")),
    )
    assert (row["value"], row["growth"], row["period"], row["scope"]) == (12.35, 0.1235, "2024-08", "园区")


def test_a_ratio_converts_its_parts_to_one_unit(owned_enterprise, park):
    from decimal import Decimal

    from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure

    rd, gdp = Indicator.objects.get(code="rd_expenditure"), Indicator.objects.get(code="gdp")
    for year, rd_ytd, gdp_ytd in ((2023, "400", "9"), (2024, "500", "10")):
        period = D(year, 8, 1)
        EnterpriseMonthlyValue.objects.create(
            enterprise=owned_enterprise,
            indicator=rd,
            period=period,
            month_value=Decimal(50),
            ytd_value=Decimal(rd_ytd),
        )
        ZoneMonthlyFigure.objects.create(
            zone=park, indicator=gdp, period=period, month_value=Decimal(1), ytd_value=Decimal(gdp_ytd)
        )
    row = run("--period", "2024-08")["economy.rd_intensity"]
    assert (row["value"], row["base"], row["unit"], row["kind"]) == (
        0.5,
        0.44,
        "%",
        "ratio",
    )  # 500万元 ÷ 10亿元
    assert row["growth"] is None  # a ratio has no 同比
    empty = run("--period", "2024-09")["economy.rd_intensity"]
    assert empty["value"] is None and empty["note"] == "缺少研发经费支出、地区生产总值的数据"
