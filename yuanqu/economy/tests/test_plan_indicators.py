"""The indicators and units the zones' annual plans (目标责任书) name: in the catalogue after
migrate, brought to a database in use by the data migration, listed by ``yuanqu indicators``
and the figure catalogue, and converted between units by the figure catalogue's unit names."""

import datetime
import importlib
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from yuanqu.core.models import ObjectChange
from yuanqu.economy.choices import Unit
from yuanqu.economy.indicators import display_unit, ensure_indicators
from yuanqu.economy.models import Indicator, ZoneMonthlyFigure
from yuanqu.figures.units import UNITS, convert

pytestmark = pytest.mark.django_db

OCT_2026, OCT_2025 = datetime.date(2026, 10, 1), datetime.date(2025, 10, 1)
NAME = "0006_plan_indicators_and_units"
migration = importlib.import_module(f"yuanqu.economy.migrations.{NAME}")


def run_migration():
    """The data step of the migration with the models as they stand at it (no signals)."""
    state = MigrationLoader(connection).project_state(("economy", NAME))
    migration.add_plan_indicators(state.apps, None)


# code → (name, unit as shown, kind, population, growth published by the bureau)
PLAN = {
    "primary_industry_value_added": ("第一产业增加值", "亿元", "ytd_flow", "all", True),
    "construction_value_added": ("建筑业增加值", "亿元", "ytd_flow", "construction", True),
    "grain_output": ("粮食产量", "吨", "ytd_flow", "all", False),
    "housing_floor_area_sold": ("商品房销售面积", "万平方米", "ytd_flow", "real_estate", False),
    "livelihood_expenditure": ("民生支出", "亿元", "ytd_flow", "all", False),
    "invention_patents_granted": ("发明专利授权量", "件", "ytd_flow", "all", False),
    "technology_contract_turnover": ("技术合同成交额", "亿元", "ytd_flow", "all", False),
    "new_urban_jobs": ("新增城镇就业", "人", "ytd_flow", "all", False),
    "disposable_income_per_capita": ("居民人均可支配收入", "元", "ytd_flow", "all", True),
}


def shipped(code):
    indicator = Indicator.objects.get(code=code)
    return (
        indicator.name,
        indicator.get_unit_display(),
        indicator.kind,
        indicator.population,
        indicator.growth_published,
    )


def test_the_plan_indicators_are_in_the_catalogue_after_migrate():
    for code, expected in PLAN.items():
        assert shipped(code) == expected, code
        indicator = Indicator.objects.get(code=code)
        assert indicator.level == "zone" and indicator.active
    assert Indicator.objects.count() == 25
    # They follow the indicators shipped before, in the order of the CSV.
    orders = list(Indicator.objects.filter(code__in=PLAN).values_list("order", flat=True))
    assert min(orders) > Indicator.objects.get(code="retail_sales").order
    assert orders == sorted(orders)


def test_every_unit_of_an_indicator_is_a_unit_the_figure_catalogue_converts():
    names = {name for name, _dimension, _factor in UNITS}
    assert {str(label) for label in Unit.labels} <= names
    plan_units = "元 美元 万美元 亿美元 亩 公顷 平方米 万平方米 吨 万吨 件 项".split()
    assert set(plan_units) <= {str(label) for label in Unit.labels}
    # The units shipped before keep their stored values.
    assert {"wan_yuan", "yi_yuan", "wan_kwh", "person", "percent", "enterprises", "items"} <= set(Unit.values)


def test_the_data_migration_adds_what_a_catalogue_in_use_lacks_and_touches_nothing_else():
    # A database from before: none of the nine, the zone renamed 地区生产总值 and made its own 民生支出.
    Indicator.objects.filter(code__in=PLAN).delete()
    gdp = Indicator.objects.get(code="gdp")
    gdp.name, gdp.order = "GDP（地区生产总值）", 5
    gdp.save()
    own = Indicator.objects.create(
        code="minsheng", name="民生支出", unit=Unit.WAN_YUAN, level="zone", order=300
    )
    last = ObjectChange.objects.order_by("-id").values_list("id", flat=True).first()

    run_migration()

    added = set(Indicator.objects.filter(code__in=PLAN).values_list("code", flat=True))
    assert added == set(PLAN) - {"livelihood_expenditure"}  # the zone's own 民生支出 stays the one
    for code in added:
        assert shipped(code) == PLAN[code], code
    own.refresh_from_db()
    gdp.refresh_from_db()
    assert (own.code, own.unit, own.order) == ("minsheng", "wan_yuan", 300)
    assert (gdp.name, gdp.order, gdp.unit) == ("GDP（地区生产总值）", 5, "yi_yuan")
    # Each one added is in the change log, as made by the system.
    logged = list(ObjectChange.objects.filter(id__gt=last))
    assert sorted(c.object_repr for c in logged) == sorted(PLAN[code][0] for code in added)
    assert {(c.action, c.source, c.user_name) for c in logged} == {("create", "system", "系统")}
    grain = next(c for c in logged if c.object_repr == "粮食产量")
    assert grain.postchange_data["unit"] == "tonne" and grain.postchange_data["code"] == "grain_output"
    assert grain.object_id == str(Indicator.objects.get(code="grain_output").pk)

    # Run again: nothing more.
    run_migration()
    assert ObjectChange.objects.filter(id__gt=last).count() == len(added)
    assert Indicator.objects.filter(name="民生支出").count() == 1


def test_an_empty_catalogue_is_loaded_whole_but_one_in_use_is_not_filled_up():
    Indicator.objects.all().delete()
    ensure_indicators()
    assert Indicator.objects.count() == 25 and shipped("grain_output") == PLAN["grain_output"]
    # An indicator the zone deleted stays deleted at the next migrate.
    Indicator.objects.get(code="grain_output").delete()
    ensure_indicators()
    assert not Indicator.objects.filter(code="grain_output").exists()


def test_counts_in_pieces_and_entries_are_shown_as_whole_numbers():
    patents = Indicator.objects.get(code="invention_patents_granted")
    assert display_unit(patents).text(D("1234")) == "1,234"
    assert display_unit(patents).label == "件"
    area = Indicator.objects.get(code="housing_floor_area_sold")
    assert display_unit(area).text(D("12.346")) == "12.35" and display_unit(area).label == "万平方米"


def indicators_json() -> dict[str, dict]:
    out = io.StringIO()
    call_command("indicators", "--period", "2026-10", "--json", stdout=out)
    return {row["code"]: row for row in json.loads(out.getvalue())}


def figures_json() -> dict[str, dict]:
    out = io.StringIO()
    call_command("figures", "--period", "2026-10", "--json", stdout=out)
    return {row["key"]: row for row in json.loads(out.getvalue())}


def test_without_figures_entered_they_are_listed_null_with_a_chinese_note(park):
    rows, catalogue = indicators_json(), figures_json()
    for code, (name, unit, *_rest) in PLAN.items():
        row = rows[code]
        assert (row["name"], row["unit"], row["ytd"], row["growth"]) == (name, unit, None, None), code
        assert "2026年10月园区数据未录入" in row["note"], code
        figure = catalogue[f"economy.{code}"]
        assert (figure["name"], figure["unit"], figure["value"]) == (name, unit, None), code
        assert "2026年10月园区数据未录入" in figure["note"], code
    assert catalogue["economy.invention_patents_granted"]["kind"] == "count"
    assert catalogue["economy.housing_floor_area_sold"]["kind"] == "total"
    assert "增速由统计部门公布，尚未录入" in rows["disposable_income_per_capita"]["note"]


def figure(park, code, period, ytd, month=None, growth=None):
    return ZoneMonthlyFigure.objects.create(
        zone=park,
        indicator=Indicator.objects.get(code=code),
        period=period,
        month_value=None if month is None else D(month),
        ytd_value=D(ytd),
        published_growth=None if growth is None else D(growth),
    )


def test_a_zone_figure_entered_is_listed_with_its_value_and_growth(park):
    figure(park, "housing_floor_area_sold", OCT_2025, "40", "4")
    figure(park, "housing_floor_area_sold", OCT_2026, "46", "5")
    figure(park, "invention_patents_granted", OCT_2026, "128", "12")
    figure(park, "disposable_income_per_capita", OCT_2026, "45210", growth="0.052")
    rows, catalogue = indicators_json(), figures_json()

    area = rows["housing_floor_area_sold"]
    assert (area["ytd"], area["base"], area["growth"], area["unit"]) == (46.0, 40.0, 0.15, "万平方米")
    assert catalogue["economy.housing_floor_area_sold"]["value"] == 46.0
    assert catalogue["economy.housing_floor_area_sold"]["growth"] == 0.15  # 46 ÷ 40 − 1
    assert catalogue["economy.housing_floor_area_sold"]["note"] == ""

    patents = catalogue["economy.invention_patents_granted"]
    assert (patents["value"], patents["unit"], patents["kind"]) == (128, "件", "count")
    assert patents["growth"] is None and patents["note"] == "无基期数据"  # no 2025 figure to compare with

    income = rows["disposable_income_per_capita"]
    assert (income["ytd"], income["growth"], income["published_growth"]) == (45210.0, 0.052, True)
    assert catalogue["economy.disposable_income_per_capita"]["value"] == 45210
    assert catalogue["economy.disposable_income_per_capita"]["unit"] == "元"
    # The others are still empty, each with its reason.
    assert rows["grain_output"]["ytd"] is None and "园区数据未录入" in rows["grain_output"]["note"]


def test_a_value_in_wan_square_metres_converts_to_square_metres():
    area = Indicator.objects.get(code="housing_floor_area_sold")
    assert convert(D("46.5"), area.get_unit_display(), "平方米") == D("465000")
    grain = Indicator.objects.get(code="grain_output")
    assert convert(D("52300"), grain.get_unit_display(), "万吨") == D("5.23")
