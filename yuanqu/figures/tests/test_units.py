"""Units convert inside their dimension; a currency only through the year's exchange rate."""

from decimal import Decimal as D

import pytest

from yuanqu.figures.models import ExchangeRate, Unit
from yuanqu.figures.units import UNITS, UnitError, convert, convertible

pytestmark = pytest.mark.django_db


def test_the_units_a_plan_uses_are_there_after_migrate():
    names = set(Unit.objects.values_list("name", flat=True))
    assert {
        "元",
        "万元",
        "亿元",
        "美元",
        "万美元",
        "亿美元",
        "亩",
        "公顷",
        "平方米",
        "万平方米",
        "吨",
        "万吨",
        "件",
        "项",
    } <= names
    assert len(names) == len(UNITS)


@pytest.mark.parametrize(
    "value, source, target, expected",
    [
        ("110", "亿元", "万元", "1100000"),
        ("2500", "万元", "亿元", "0.25"),
        ("50", "万平方米", "平方米", "500000"),
        ("1000", "亩", "公顷", "66.666667"),
        ("15", "亩", "平方米", "10000"),
        ("3", "万吨", "吨", "30000"),
        ("7", "件", "件", "7"),
    ],
)
def test_conversions_inside_a_dimension(value, source, target, expected):
    assert convert(D(value), source, target).normalize() == D(expected).normalize()


def test_a_currency_converts_only_with_the_years_rate():
    with pytest.raises(UnitError, match="2026年美元兑人民币汇率未录入"):
        convert(D("1.5"), "亿美元", "亿元", year=2026)
    ExchangeRate.objects.create(year=2026, usd_cny=D("7.1000"))
    assert convert(D("1.5"), "亿美元", "亿元", year=2026) == D("10.65")
    assert convert(D("710"), "万元", "万美元", year=2026) == D("100")
    with pytest.raises(UnitError, match="汇率未录入"):
        convert(D("1"), "美元", "元", year=2025)


def test_units_of_different_dimensions_never_convert():
    assert not convertible("亩", "万元")
    assert convertible("美元", "万元")
    with pytest.raises(UnitError, match="“亩”（面积）不能换算为“万元”（人民币）"):
        convert(D(1), "亩", "万元")
    with pytest.raises(UnitError, match="“个”（项目数）不能换算为“家”（企业数）"):
        convert(D(1), "个", "家")
    with pytest.raises(UnitError, match="计量单位“桶”不存在"):
        convert(D(1), "桶", "吨")
