"""``yuanqu indicators --period … [--zone …] --json`` on a small zone."""

import datetime
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from yuanqu.utilities.testing import factories as f

from .sheet import sheet_target

KEYS = {
    "code",
    "name",
    "unit",
    "month_value",
    "ytd",
    "base",
    "growth",
    "published_growth",
    "target",
    "completion",
    "time_progress",
    "gap_pp",
    "note",
}
AUG_2024, AUG_2023 = datetime.date(2024, 8, 1), datetime.date(2023, 8, 1)


def report(enterprise, indicator, period, month, ytd):
    EnterpriseMonthlyValue.objects.create(
        enterprise=enterprise, indicator=indicator, period=period, month_value=D(month), ytd_value=D(ytd)
    )


@pytest.fixture
def zone_data(owned_enterprise, other_enterprise, east, west, park, output):
    """东区 and 西区 report 1–8月 产值 both years; a newcomer (东区) only this year, a
    leaver (西区) only last year; the park's targets are 200 (万元) and growth of 10 %; 工业增加值's
    growth is published."""
    newcomer = f.enterprise("东区新纳统电子有限公司", zone_obj=east)
    leaver = f.enterprise("西区退库建材有限公司", zone_obj=west)
    report(owned_enterprise, output, AUG_2023, 5, 40)
    report(other_enterprise, output, AUG_2023, 8, 60)
    report(leaver, output, AUG_2023, 1, 5)
    report(owned_enterprise, output, AUG_2024, 6, 50)
    report(other_enterprise, output, AUG_2024, 9, 62)
    report(newcomer, output, AUG_2024, 2, 10)
    sheet_target(output, 2024, 200)
    sheet_target(output, 2024, 10, kind="growth")
    value_added = Indicator.objects.get(code="industrial_value_added")
    ZoneMonthlyFigure.objects.create(
        zone=park,
        indicator=value_added,
        period=AUG_2024,
        month_value=D("3.1"),
        ytd_value=D("24.6"),
        published_growth=D("0.095"),
    )


def indicators(*args) -> dict[str, dict]:
    out = io.StringIO()
    call_command("indicators", "--period", "2024-08", "--json", *args, stdout=out)
    rows = json.loads(out.getvalue())
    assert all(set(row) == KEYS for row in rows)
    return {row["code"]: row for row in rows}


def test_every_indicator_with_the_comparable_growth_and_progress(zone_data):
    rows = indicators()
    assert len(rows) == Indicator.objects.filter(active=True).count() == 25
    assert rows["industrial_output"] == {
        "code": "industrial_output",
        "name": "规上工业总产值",
        "unit": "万元",
        "month_value": 17.0,
        "ytd": 122.0,
        "base": 100.0,  # 东区 40 + 西区 60: the leaver's 5 is not comparable
        "growth": 0.12,  # 112 / 100 − 1 over the two enterprises in both years
        "published_growth": False,
        "target": 200.0,
        "completion": 0.61,
        "time_progress": 0.6667,
        "gap_pp": -5.67,
        "note": "1家企业无上年同期数据（新纳统或新报），未计入增速；"
        "1家企业上年同期有数据、本期无数据（退库或未报），未计入增速；落后序时进度5.7个百分点",
    }


def test_published_growth_is_taken_as_data_and_missing_figures_are_null_with_a_note(zone_data):
    rows = indicators()
    value_added = rows["industrial_value_added"]
    assert (value_added["ytd"], value_added["growth"], value_added["published_growth"]) == (24.6, 0.095, True)
    assert "增速采用统计部门公布数" in value_added["note"]
    gdp = rows["gdp"]
    assert [gdp[k] for k in ("month_value", "ytd", "base", "growth", "target", "completion", "gap_pp")] == [
        None
    ] * 7
    assert gdp["note"] == "2024年8月园区数据未录入；增速由统计部门公布，尚未录入；未设定年度目标"
    profit = rows["profit"]
    assert profit["ytd"] is None and profit["note"].startswith("2024年8月无企业填报数据")


def test_zone_limits_the_enterprises(zone_data):
    output = indicators("--zone", "东区")["industrial_output"]
    assert (output["ytd"], output["base"], output["growth"]) == (60.0, 40.0, 0.25)
    assert output["target"] is None and "未设定年度目标" in output["note"]


def test_zero_base_gives_no_growth(owned_enterprise, output):
    report(owned_enterprise, output, AUG_2023, 0, 0)
    report(owned_enterprise, output, AUG_2024, 3, 12)
    row = indicators()["industrial_output"]
    assert row["growth"] is None and row["base"] == 0.0
    assert "基期为0，增速无意义" in row["note"]


def test_bad_period_and_unknown_zone_are_refused_in_chinese(db):
    with pytest.raises(CommandError, match="月份“2024/08”格式不对"):
        call_command("indicators", "--period", "2024/08", stdout=io.StringIO())
    with pytest.raises(CommandError, match="片区“南区”不存在"):
        call_command("indicators", "--period", "2024-08", "--zone", "南区", stdout=io.StringIO())


def test_text_output_reads_as_a_report(zone_data):
    out = io.StringIO()
    call_command("indicators", "--period", "2024-08", stdout=out)
    text = out.getvalue()
    assert "规上工业总产值：累计 122.0万元，同比 12.0%，完成 61.0%" in text
    assert "落后序时进度5.7个百分点" in text


def test_a_growth_only_target_is_compared_as_growth_never_turned_into_a_value(owned_enterprise, output):
    report(owned_enterprise, output, AUG_2023, 10, 100)
    report(owned_enterprise, output, datetime.date(2023, 12, 1), 20, 200)
    report(owned_enterprise, output, AUG_2024, 15, 130)
    sheet_target(output, 2024, 10, kind="growth")
    row = indicators()["industrial_output"]
    assert row["growth"] == 0.3
    # Not last year's 200 × 1.1 = 220: a growth target has no value, hence no 完成率.
    assert [row[k] for k in ("target", "completion", "gap_pp")] == [None] * 3
    assert "目标为增速，按增速比较：增长30.0%，目标10%，高于目标20.0个百分点" in row["note"]
    assert "未设定年度目标" not in row["note"]


def test_a_total_target_in_another_unit_is_converted_and_its_phasing_used(owned_enterprise, output):
    report(owned_enterprise, output, AUG_2024, 15, 130)
    phasing = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.55, 0.6, 0.75, 0.85, 0.92, 1]
    sheet_target(output, 2024, "0.022", "亿元", phasing=phasing)  # 220万元
    row = indicators()["industrial_output"]
    assert (row["target"], row["completion"], row["time_progress"]) == (220.0, 0.5909, 0.6)
    assert row["gap_pp"] == -0.91 and "落后序时进度0.9个百分点" in row["note"]
