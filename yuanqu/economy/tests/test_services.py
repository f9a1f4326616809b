"""The computations, with the worked examples of REFERENCE §4 as test cases."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from yuanqu.economy.services import (
    comparable_growth,
    completion_rate,
    contributions,
    count_above,
    gap_text,
    growth_rate,
    month_from_ytd,
    month_on_month,
    parse_period,
    progress,
    ranking,
    time_progress,
    two_year_average_growth,
    ytd_from_months,
)


def pct(value) -> str:
    return f"{value * 100:.1f}%"


def h1_example():
    """H1 2023: 110 enterprises, 100.0 亿元; H1 2024: 120 (12 entered, 2 left), 112.0 亿元;
    the 120's H1 2023 values sum to 104.0 亿元 (REFERENCE §4.3)."""
    continuing = {f"c{i}": (D("1.0"), D("0.9")) for i in range(108)}  # now 108.0, before 97.2
    entered = {f"n{i}": (D("0.3"), D("0.5")) for i in range(11)}  # now 3.3, before 5.5
    entered["n11"] = (D("0.7"), D("1.3"))  # now 0.7, before 1.3
    current = {k: now for k, (now, _) in {**continuing, **entered}.items()}
    previous = {k: before for k, (_, before) in continuing.items()}
    previous.update({"left0": D("1.4"), "left1": D("1.4")})  # the published 110: 100.0
    previous_of_current = {**previous, **{k: before for k, (_, before) in entered.items()}}
    return current, previous, previous_of_current


def test_comparable_growth_is_7_7_percent_where_the_naive_rate_is_12_0():
    current, published_last_year, same_enterprises_last_year = h1_example()
    assert sum(current.values()) == D("112.0")
    assert sum(published_last_year.values()) == D("100.0")
    growth = comparable_growth(current, same_enterprises_last_year)
    assert growth.total == D("112.0")
    assert growth.base == D("104.0")
    assert pct(growth.value) == "7.7%"
    naive = growth_rate(sum(current.values()), sum(published_last_year.values()))
    assert pct(naive.value) == "12.0%"
    assert growth.left == ["left0", "left1"]
    assert "2家企业上年同期有数据、本期无数据" in growth.note


def test_enterprises_without_last_year_values_are_left_out_and_named():
    growth = comparable_growth({"a": D(110), "b": D(50)}, {"a": D(100), "gone": D(30)})
    assert growth.value == D("0.1")
    assert (growth.current, growth.base, growth.total) == (D(110), D(100), D(160))
    assert growth.entered == ["b"] and growth.left == ["gone"]
    assert "1家企业无上年同期数据（新纳统或新报），未计入增速" in growth.note
    assert "1家企业上年同期有数据、本期无数据（退库或未报），未计入增速" in growth.note


def test_zero_base_and_missing_data_give_no_rate_and_say_why():
    zero = comparable_growth({"a": D(5)}, {"a": D(0)})
    assert zero.value is None and "基期为0" in zero.note
    nothing_comparable = comparable_growth({"a": D(5)}, {"b": D(4)})
    assert nothing_comparable.value is None and "无两期均有数据的企业" in nothing_comparable.note
    empty = comparable_growth({}, {"b": D(4)})
    assert empty.value is None and empty.total is None and "本期无数据" in empty.note
    assert growth_rate(None, D(3)).note == "本期无数据"
    assert growth_rate(D(3), None).note == "无基期数据"
    assert growth_rate(D(3), D(-1)).value is None


def test_month_on_month():
    assert month_on_month(D(110), D(100)).value == D("0.1")
    assert month_on_month(D(110), D(0)).value is None


def test_two_year_average_growth_is_geometric():
    result = two_year_average_growth(D("0.028"), D("0.096"))
    assert pct(result.value) == "6.1%"
    assert two_year_average_growth(None, D("0.1")).note == "缺少其中一年的增速"


def test_completion_time_progress_and_gap_of_the_fai_example():
    """Target 50 亿元, 30.5 亿元 by August: 61.0 %, 66.7 %, 5.7 points behind (REFERENCE §4.5)."""
    status = progress(D("30.5"), D("50"), datetime.date(2024, 8, 1))
    assert pct(status.completion) == "61.0%"
    assert pct(status.time_progress) == "66.7%"
    assert round(status.gap_pp, 1) == D("-5.7")
    assert gap_text(status.gap_pp) == "落后序时进度5.7个百分点"
    assert gap_text(D("1.24")) == "超序时进度1.2个百分点"
    assert gap_text(D("0.01")) == "与序时进度持平"


def test_time_progress_by_days_and_by_the_targets_phasing():
    assert time_progress(datetime.date(2023, 7, 1), "days", on=datetime.date(2023, 7, 2)) == D(183) / D(365)
    assert time_progress(datetime.date(2024, 12, 1), "days") == 1
    phasing = [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1]
    assert time_progress(datetime.date(2024, 8, 1), phasing=phasing) == D("0.7")
    with pytest.raises(ValueError):
        time_progress(datetime.date(2024, 8, 1), "weeks")


def test_completion_without_target_or_with_zero_target_says_why():
    assert completion_rate(D(5), None).note == "未设定年度目标值"
    assert completion_rate(None, D(5)).note == "本期无累计数据"
    assert completion_rate(D(5), D(0)).value is None
    status = progress(D(5), None, datetime.date(2024, 3, 1))
    assert status.completion is None and status.gap_pp is None and status.time_progress == D("0.25")


def test_month_and_ytd_derive_from_each_other():
    assert ytd_from_months({1: D(10), 2: D(12), 3: D(15)}, 3).value == D(37)
    missing = ytd_from_months({1: D(10), 3: D(15)}, 3)
    assert missing.value is None and missing.note == "缺少2月当月值，无法推算1–3月累计"
    assert month_from_ytd(D(37), D(22), 3).value == D(15)
    assert month_from_ytd(D(10), None, 1).value == D(10)
    assert month_from_ytd(D(37), None, 3).note == "缺少1–2月累计值，无法推算3月当月值"


def test_contributions_add_up_to_the_growth():
    current = {"a1": D(40), "a2": D(20), "b1": D(52), "new": D(9)}
    previous = {"a1": D(30), "a2": D(20), "b1": D(54)}
    group = {"a1": "硅基新材料", "a2": "硅基新材料", "b1": "光电子", "new": "光电子"}
    parts = contributions(current, previous, group)
    assert [p.group for p in parts] == ["硅基新材料", "光电子"]
    assert f"{parts[0].pull_pp:.1f}" == "9.6"  # 拉动9.6个百分点
    assert f"{parts[1].pull_pp:.1f}" == "-1.9"
    total = comparable_growth(current, previous).value
    assert sum(p.pull_pp for p in parts) == pytest.approx(total * 100)
    assert pct(parts[0].growth.value) == "20.0%"
    assert contributions({"a": D(1)}, {"a": D(0)}, {})[0].pull_pp is None


def test_rankings_and_counts():
    values = {"a": D(12), "b": D(15), "c": D(12), "d": D(3), "e": None}
    assert ranking(values) == [(1, "b", D(15)), (2, "a", D(12)), (2, "c", D(12)), (4, "d", D(3))]
    assert ranking(values, top=2) == [(1, "b", D(15)), (2, "a", D(12))]
    assert count_above(values, D(12)) == 3  # “产值超…企业3家”


def test_period_parsing():
    assert parse_period("2023-10") == datetime.date(2023, 10, 1)
    assert parse_period("2023-10-17") == datetime.date(2023, 10, 1)
    with pytest.raises(ValidationError, match="月份“2023年10月”格式不对"):
        parse_period("2023年10月")
