"""The computation: REFERENCE §6.7's worked example, the configuration checks, classes by
rank and by score, and the edge cases (no land area, zero energy, no data)."""

from decimal import Decimal

import pytest

from yuanqu.evaluation.choices import Change, ClassBasis, IndicatorCode, WhenMissing
from yuanqu.evaluation.services import (
    Rule,
    classify,
    compare,
    configuration_errors,
    default_rules,
    indicator_value,
    score_all,
    score_enterprise,
)

D = Decimal

# REFERENCE §6.7: 50 亩; 评价税收 1 500 万元; 工业增加值 8 000 万元; 综合能耗 2 500 tce; 主要污染物
# 1.6 t; 400 employees; R&D 1 200 万元; 主营业务收入 40 000 万元.
EXAMPLE = {
    "land_area_mu": D(50),
    "tax_wan": D(1500),
    "value_added_wan": D(8000),
    "energy_tce": D(2500),
    "emissions_t": D("1.6"),
    "employees": D(400),
    "rd_wan": D(1200),
    "revenue_wan": D(40000),
}


def test_the_reference_worked_example_scores_115_71():
    scored = score_enterprise(default_rules(), EXAMPLE)
    values = {code: e["value"] for code, e in scored.indicators.items()}
    points = {code: round(e["points"], 2) for code, e in scored.indicators.items()}
    assert values == {
        IndicatorCode.TAX_PER_MU: D(30),
        IndicatorCode.VA_PER_MU: D(160),
        IndicatorCode.VA_PER_ENERGY: D("3.2"),
        IndicatorCode.VA_PER_EMISSION: D(5000),
        IndicatorCode.LABOUR_PRODUCTIVITY: D(20),
        IndicatorCode.RD_INTENSITY: D("0.03"),
    }
    assert points == {
        IndicatorCode.TAX_PER_MU: D("37.35"),
        IndicatorCode.VA_PER_MU: D("23.50"),
        IndicatorCode.VA_PER_ENERGY: D("23.76"),
        IndicatorCode.VA_PER_EMISSION: D("10.14"),
        IndicatorCode.LABOUR_PRODUCTIVITY: D("11.03"),
        IndicatorCode.RD_INTENSITY: D("9.93"),
    }
    assert round(scored.score, 2) == D("115.71")
    assert scored.notes == []


def test_a_cap_limits_an_indicators_points():
    rules = [Rule(IndicatorCode.TAX_PER_MU, D(100), D("24.097"), max_points=D(120))]
    assert score_enterprise(rules, EXAMPLE).score == D(120)  # 30 / 24.097 × 100 = 124.5 → 120


def test_missing_land_area_is_not_evaluated_with_a_note():
    scored = score_enterprise(default_rules(), {**EXAMPLE, "land_area_mu": None})
    assert scored.score is None
    assert scored.notes == ["用地面积未登记，不参加评价"]
    assert scored.indicators[IndicatorCode.TAX_PER_MU]["value"] is None


def test_zero_energy_is_explained_not_divided():
    figure = indicator_value(IndicatorCode.VA_PER_ENERGY, {**EXAMPLE, "energy_tce": D(0)})
    assert figure.value is None and figure.note == "综合能耗为0，无法计算单位能耗增加值"
    scored = score_enterprise(default_rules(), {**EXAMPLE, "energy_tce": D(0)})
    assert scored.score is None and scored.notes == ["综合能耗为0，无法计算单位能耗增加值"]


def test_an_enterprise_without_data_is_shown_unscored_not_zero():
    scored = score_enterprise(default_rules(), {"land_area_mu": D(20)})
    assert scored.score is None
    assert "缺少评价税收，无法计算亩均税收" in scored.notes
    assert "缺少工业增加值、综合能耗，无法计算单位能耗增加值" in scored.notes


def test_missing_emissions_get_the_average_points_of_the_others():
    """REFERENCE §6.3: a 规上 enterprise with no emission data gets the indicator's average."""
    other = {**EXAMPLE, "emissions_t": D("0.8")}  # 10 000 万元/吨 → 20.28 points
    scored = score_all(default_rules(), {"a": EXAMPLE, "b": other, "c": {**EXAMPLE, "emissions_t": None}})
    a, b, c = (scored[k].indicators[IndicatorCode.VA_PER_EMISSION]["points"] for k in "abc")
    assert c == (a + b) / 2
    assert "按参评企业该指标平均得分15.21计" in scored["c"].indicators[IndicatorCode.VA_PER_EMISSION]["note"]
    assert scored["c"].score == scored["a"].score - a + c


def test_the_zero_rule_scores_zero_and_says_so():
    rules = [
        Rule(IndicatorCode.TAX_PER_MU, D(50), D(24)),
        Rule(IndicatorCode.TAX_PER_KWH, D(50), D(2), None, WhenMissing.ZERO),
    ]
    scored = score_enterprise(rules, {"land_area_mu": D(10), "tax_wan": D(240)})
    assert scored.score == D(50)
    assert (
        scored.indicators[IndicatorCode.TAX_PER_KWH]["note"]
        == "缺少用电量，无法计算单位电耗税收，按方案记0分"
    )


def test_classes_by_rank_follow_the_cumulative_shares():
    scores = {f"e{n:02d}": D(100 - n) for n in range(20)}  # e00 best
    result = classify(scores, ClassBasis.RANK, D(20), D(65), D(95))
    grades = [result[f"e{n:02d}"][1] for n in range(20)]
    assert grades == ["A"] * 4 + ["B"] * 9 + ["C"] * 6 + ["D"]
    assert result["e00"][0] == 1 and result["e19"][0] == 20


def test_equal_scores_share_rank_and_class():
    result = classify(
        {"a": D(90), "b": D(80), "c": D(80), "d": D(10), "e": D(5)}, ClassBasis.RANK, D(20), D(40), D(80)
    )
    assert result["b"] == result["c"] == (2, "B")
    assert result["a"] == (1, "A") and result["d"] == (4, "C") and result["e"] == (5, "D")


def test_classes_by_score():
    result = classify(
        {"a": D(120), "b": D(100), "c": D("79.99"), "d": D(40)}, ClassBasis.SCORE, D(100), D(80), D(60)
    )
    assert {k: g for k, (_r, g) in result.items()} == {"a": "A", "b": "A", "c": "C", "d": "D"}


def test_change_from_last_year():
    assert compare("C", "B") == Change.UP
    assert compare("A", "B") == Change.DOWN
    assert compare("B", "B") == Change.SAME
    assert compare("", "B") == Change.NEW
    assert compare("B", "") == ""


@pytest.mark.parametrize(
    "weights, basis, cuts, field, message",
    [
        (
            (30, 20, 20, 10, 10, 5),
            ClassBasis.RANK,
            (20, 65, 95),
            "indicators",
            "各指标权重合计须为100，现为95",
        ),
        ((30, 20, 20, 10, 10, 10), ClassBasis.RANK, (20, 15, 95), "cut_b", "B类档线须大于A类档线"),
        ((30, 20, 20, 10, 10, 10), ClassBasis.RANK, (20, 65, 105), "cut_c", "累计百分比不能超过100"),
        ((30, 20, 20, 10, 10, 10), ClassBasis.SCORE, (100, 80, 90), "cut_c", "C类最低分须低于B类最低分"),
    ],
)
def test_invalid_configurations_are_refused_in_chinese(weights, basis, cuts, field, message):
    rules = [Rule(r.code, D(w), r.benchmark) for r, w in zip(default_rules(), weights, strict=True)]
    errors = configuration_errors(rules, basis, *(D(c) for c in cuts))
    assert list(errors) == [field] and message in errors[field]


def test_the_default_scheme_is_valid_and_duplicates_are_not():
    rules = default_rules()
    assert configuration_errors(rules, ClassBasis.RANK, D(20), D(65), D(95)) == {}
    twice = [*rules[:5], Rule(IndicatorCode.TAX_PER_MU, D(10), D(1))]
    assert configuration_errors(twice, ClassBasis.RANK, D(20), D(65), D(95)) == {
        "indicators": "指标“亩均税收”重复"
    }
