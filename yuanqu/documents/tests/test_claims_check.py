"""mismatch and inconsistent findings: planted in small drafts, checked against the records of
the economy's test data (1–8月 2024: 规上工业总产值 122万元, +12%; 东区 60万元)."""

import datetime

import pytest

from yuanqu.documents.draftcheck import check
from yuanqu.economy.tests.conftest import output  # noqa: F401 (a fixture)
from yuanqu.economy.tests.test_command import zone_data  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def kinds(result, *wanted):
    return [
        (f["kind"], f["paragraph"], f["text"], f["message"])
        for f in result["findings"]
        if f["kind"] in wanted
    ]


def test_a_figure_as_the_records_hold_it_is_no_finding(zone_data):  # noqa: F811
    text = "2024年1—8月，规上工业总产值122万元，同比增长12%。规上工业总产值0.0122亿元。"
    result = check(text)
    assert [c["figure_key"] for c in result["claims"]] == ["economy.industrial_output"] * 2
    assert [c["period"] for c in result["claims"]] == ["2024-08"] * 2
    assert kinds(result, "mismatch", "inconsistent") == []


def test_a_value_and_a_growth_the_records_do_not_hold(zone_data):  # noqa: F811
    text = "经济运行\n2024年1—8月，规上工业总产值0.0125亿元，同比增长11.5%。"
    found = kinds(check(text), "mismatch")
    assert [(kind, paragraph, text) for kind, paragraph, text, _ in found] == [
        ("mismatch", 2, "0.0125亿元"),
        ("mismatch", 2, "11.5%"),
    ]
    assert found[0][3].startswith("记录为0.0122亿元（1—8月累计·园区），见 /indicators/")
    assert found[1][3].startswith("记录为增长12.0%（1—8月累计·园区），见 /indicators/")


def test_the_period_option_and_a_zone_in_the_subject(zone_data):  # noqa: F811
    result = check("东区规上工业总产值61万元。", period=datetime.date(2024, 8, 1))
    (found,) = kinds(result, "mismatch")
    assert found[3].startswith("记录为60万元（1—8月累计·东区），见 /indicators/")
    assert check("东区规上工业总产值60万元。", period="2024-08")["findings"] == []


def test_a_comparator_holds_when_the_record_is_on_its_side(zone_data):  # noqa: F811
    assert kinds(check("2024年1—8月，规上工业总产值超过100万元。"), "mismatch") == []
    assert len(kinds(check("2024年1—8月，规上工业总产值不少于130万元。"), "mismatch")) == 1
    assert kinds(check("2024年1—8月，规上工业总产值约130万元。"), "mismatch") == []  # not checked


def test_no_period_or_no_figure_no_comparison(zone_data):  # noqa: F811
    assert kinds(check("规上工业总产值999万元。"), "mismatch") == []  # no period
    assert kinds(check("2024年1—8月，人才公寓建设999个。"), "mismatch") == []  # no figure


def test_a_user_compares_with_the_records_they_may_view(zone_data, grid_worker):  # noqa: F811
    # the grid worker sees 东区's enterprises only: the park's 122 is not what they hold
    result = check("2024年1—8月，规上工业总产值122万元。", user=grid_worker)
    (found,) = kinds(result, "mismatch")
    assert found[3].startswith("记录为60万元")


def test_two_values_for_the_same_thing_are_inconsistent():
    text = (
        "2026年1—10月，地区生产总值120.5亿元，同比增长8.2%。\n"
        "其他工作。\n"
        "2026年1—10月，地区生产总值122亿元，同比增长8.2%。"
    )
    assert kinds(check(text), "inconsistent") == [
        ("inconsistent", 3, "122亿元", "与第1段“地区生产总值”的数值不一致：120.5亿元／122亿元"),
    ]


def test_the_same_value_in_another_unit_or_rounding_is_consistent():
    text = "2026年1—10月，地区生产总值120.5亿元。\n2026年1—10月，地区生产总值1205000万元。\n2026年1—10月，地区生产总值约120亿元。"
    assert kinds(check(text), "inconsistent") == []
    # 120.5 may be 120.46 (rounds to 120) or 120.54 (rounds to 121): both agree with it
    for other in ("120", "121"):
        text = f"2026年1—10月，地区生产总值120.5亿元。\n2026年1—10月，地区生产总值{other}亿元。"
        assert kinds(check(text), "inconsistent") == []
    text = "2026年1—10月，地区生产总值120.5亿元。\n2026年1—10月，地区生产总值120.6亿元。"
    assert len(kinds(check(text), "inconsistent")) == 1
    text = "2026年1—10月，新增企业120家。\n2026年1—10月，新增企业121家。"
    assert len(kinds(check(text), "inconsistent")) == 1  # a count is exact


def test_a_growth_stated_twice_differently():
    text = "前三季度，新增企业50家，增长8%。\n前三季度，规上工业增加值增长10.1%。规上工业增加值增长10.3%。"
    assert kinds(check(text, period="2026-09"), "inconsistent") == [
        ("inconsistent", 2, "10.3%", "与第2段“规上工业增加值”的增速不一致：10.1%／10.3%"),
    ]


def test_different_periods_or_paragraphs_without_a_period_are_not_compared():
    text = "2025年，地区生产总值110亿元。\n2026年，地区生产总值120亿元。\n地区生产总值1亿元。\n地区生产总值2亿元。"
    # the last two have no period: 2026 is named in an earlier paragraph, but no period in theirs
    assert kinds(check(text), "inconsistent") == []


def test_a_growth_the_two_levels_do_not_give():
    text = "工业总产值由10亿元增长到12.3亿元，增长25%。\n工业总产值12.3亿元，去年同期10亿元，增长23%。"
    assert kinds(check(text), "inconsistent") == [
        ("inconsistent", 1, "25%", "增速与所列数值不符：由10亿元到12.3亿元应为增长23.0%，文中为25%"),
    ]


def test_a_growth_within_the_rounding_of_the_levels_is_consistent():
    # 12.3 / 10.0 = 23%; the levels' rounding (to one decimal) allows 21.9%–24.1%
    assert kinds(check("工业总产值由10亿元增长到12.3亿元，增长22.9%。"), "inconsistent") == []
    assert kinds(check("营业收入由80亿元下降到78亿元，下降2.5%。"), "inconsistent") == []


def test_a_report_written_from_the_catalogue_has_no_mismatch(zone_data):  # noqa: F811
    from yuanqu.figures.catalogue import Query, evaluate, figures

    period = datetime.date(2024, 8, 1)
    sentences = []
    for figure in figures().values():
        result = evaluate(figure, Query(period))
        if result.value is None or figure.unit in ("%", ""):
            continue
        sentence = f"{figure.name}{float(result.value):.2f}{figure.unit}"
        if result.growth is not None:
            growth = float(result.growth) * 100
            sentence += f"，同比{'增长' if growth >= 0 else '下降'}{abs(growth):.1f}%"
        sentences.append(sentence + "。")
    result = check("2024年1—8月主要指标\n" + "\n".join(sentences), period=period)
    checked = [c for c in result["claims"] if c["figure_key"]]
    assert len(checked) >= 3
    assert kinds(result, "mismatch", "inconsistent") == []


@pytest.mark.parametrize("period", [None, "2022-12"])
def test_the_samples_raise_no_mismatch_or_inconsistency(period, zone_data):  # noqa: F811
    from pathlib import Path

    for sample in sorted((Path(__file__).parent / "samples").glob("*.txt")):
        result = check(sample.read_text(encoding="utf-8"), period=period)
        assert result["claims"], sample.name
        assert kinds(result, "mismatch", "inconsistent") == [], sample.name


def test_a_plans_target_is_not_compared_with_the_records(zone_data):  # noqa: F811
    text = "2024年1—8月，力争规上工业总产值达到150万元。2024年1—8月，规上工业总产值150万元。"
    found = kinds(check(text), "mismatch", "inconsistent")
    assert [(kind, text) for kind, _, text, _ in found] == [("mismatch", "150万元")]
    assert found[0][3].startswith("记录为122万元")


def test_a_month_not_yet_over_is_not_compared(zone_data):  # noqa: F811
    from django.utils import timezone

    today = timezone.localdate()
    text = f"{today.year}年1—{today.month}月，规上工业总产值999万元。"
    assert kinds(check(text), "mismatch") == []
