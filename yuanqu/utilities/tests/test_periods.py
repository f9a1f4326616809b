"""Month arithmetic and the parsing of ``?period=`` / ``?year=`` / ``?zone=`` (utilities/periods.py)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from yuanqu.utilities import periods
from yuanqu.utilities.periods import (
    add_months,
    describe,
    describe_ytd,
    id_param,
    last_complete_month,
    month_end,
    month_range,
    parse_period,
    parse_year,
    period_param,
    previous_month,
    same_month_last_year,
    shift_date,
    year_param,
    year_to_date,
    zone_param,
)

D = datetime.date


def get(**params):
    return RequestFactory().get("/", params)


def test_month_arithmetic_crosses_years_both_ways():
    assert add_months(D(2023, 11, 1), 3) == D(2024, 2, 1)
    assert add_months(D(2024, 1, 1), -1) == D(2023, 12, 1)
    assert add_months(D(2024, 1, 1), -25) == D(2021, 12, 1)
    assert previous_month(D(2024, 1, 1)) == D(2023, 12, 1)
    assert same_month_last_year(D(2024, 2, 1)) == D(2023, 2, 1)
    assert last_complete_month(D(2024, 1, 15)) == D(2023, 12, 1)


def test_shifting_a_day_keeps_it_or_clamps_to_the_month_end():
    assert shift_date(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert shift_date(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert shift_date(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert shift_date(D(2024, 5, 15), -12) == D(2023, 5, 15)
    assert month_end(D(2024, 2, 1)) == D(2024, 2, 29)


def test_month_ranges_and_one_to_n_months():
    assert month_range(D(2023, 11, 1), D(2024, 2, 1)) == [
        D(2023, 11, 1),
        D(2023, 12, 1),
        D(2024, 1, 1),
        D(2024, 2, 1),
    ]
    assert month_range(D(2024, 3, 1), D(2024, 2, 1)) == []
    assert year_to_date(D(2024, 3, 1)) == [D(2024, 1, 1), D(2024, 2, 1), D(2024, 3, 1)]
    assert describe(D(2024, 3, 1)) == "2024年3月"
    assert describe_ytd(D(2024, 3, 1)) == "2024年1–3月" and describe_ytd(D(2024, 1, 1)) == "2024年1月"


def test_a_period_is_read_from_year_and_month():
    assert parse_period("2023-10") == D(2023, 10, 1)
    assert parse_period(" 2023-10-31 ") == D(2023, 10, 1)
    assert parse_period("2023-1") == D(2023, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "2026-13",
        "2026-0",
        "2023年10月",
        "abc",
        "",
        "-1",
        "2023/10",
        "2023-02-30",
        "２０２３-10",
        "2023-10-01-01",
    ],
)
def test_a_malformed_period_is_a_chinese_error_naming_it(text):
    with pytest.raises(ValidationError) as caught:
        parse_period(text)
    assert caught.value.messages == [f"月份“{text.strip()}”格式不对，应为“2023-10”这样的年-月"]


def test_a_period_outside_the_years_is_refused_with_the_range():
    with pytest.raises(ValidationError, match="年份9999超出范围（1900–2999）"):
        parse_period("9999-12")  # one month later would overflow datetime.date
    with pytest.raises(ValidationError, match="年份1超出范围"):
        parse_period("0001-01")


@pytest.mark.parametrize("text", ["-1", "二〇二四", "2024.5", "abc", "99999", "0"])
def test_a_malformed_year_is_a_chinese_error(text):
    with pytest.raises(ValidationError) as caught:
        parse_year(text)
    assert "年份" in caught.value.messages[0] and text in caught.value.messages[0]


def test_a_page_parameter_falls_back_to_the_default_with_the_message():
    default = D(2024, 5, 1)
    assert period_param(get(), default) == (default, "")
    assert period_param(get(period="2024-02"), default) == (D(2024, 2, 1), "")
    period, error = period_param(get(period="2026-13"), lambda: default)
    assert period == default and error == "月份“2026-13”格式不对，应为“2023-10”这样的年-月"
    assert year_param(get(year="2023"), 2024) == (2023, "")
    year, error = year_param(get(year="-1"), 2024)
    assert year == 2024 and "年份“-1”格式不对" in error


@pytest.mark.parametrize("text", ["abc", "-1", "1.5", "99999999999999999999999", "３"])
def test_a_malformed_id_is_no_id(text):
    assert id_param(get(zone=text), "zone") is None


def test_a_zone_is_found_by_its_id_and_nothing_else(east):
    assert zone_param(get(zone=str(east.pk))) == east
    assert zone_param(get(zone=str(east.pk + 1000))) is None
    assert zone_param(get(zone="99999999999999999999999")) is None
    assert zone_param(get()) is None


def test_the_module_is_the_only_place_with_month_arithmetic():
    """No app keeps its own ``add_months`` or period parser (the copies this module replaced)."""
    import pathlib

    root = pathlib.Path(periods.__file__).resolve().parents[1]
    copies = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path.name != "periods.py"
        and any(
            line.startswith(
                ("def add_months(", "def parse_period(", "def month_end(", "def _period_and_zone(")
            )
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert copies == []
