"""Who drags the figure down: each enterprise's 拉动 on the indicator page, the table sorted by
any column (the export in the same order), the largest negative contributions, and the
cockpit's 预警企业 ordered by the size of the fall. Figures are computed by hand below."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.economy.services import enterprise_pulls, record_enterprise_value
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import xlsx_rows

from .test_cockpit import cockpit_json

AUG, AUG_LAST = datetime.date(2024, 8, 1), datetime.date(2023, 8, 1)
NAMES = {
    "a": "东区甲钢铁有限公司",
    "b": "西区乙电子有限公司",
    "c": "东区丙纺织有限公司",
    "d": "西区丁化工有限公司",
    "e": "东区戊新材料有限公司",
}


@pytest.fixture
def drags_book(econ_dept, east, west, output):
    """规上工业总产值 1–8月, 万元 (this year ← a year earlier):
        甲 东区 1,500,000 ← 2,000,000  change −500,000
        乙 西区 1,200,000 ← 1,000,000  change +200,000
        丙 东区   400,000 ←   500,000  change −100,000
        丁 西区 1,400,000 ← 1,500,000  change −100,000
        戊 东区   300,000 ←  (none)    entered, not comparable
    Comparable base 5,000,000 → 拉动 甲 −10.00, 乙 +4.00, 丙 −2.00, 丁 −2.00, adding up to the
    comparable growth 4,500,000 / 5,000,000 − 1 = −10 %. In 东区 alone the base is 2,500,000:
    甲 −20.00, 丙 −4.00."""
    zones = {"a": east, "b": west, "c": east, "d": west, "e": east}
    figures = {"a": (1500000, 2000000), "b": (1200000, 1000000), "c": (400000, 500000),
               "d": (1400000, 1500000), "e": (300000, None)}  # fmt: skip
    made = {}
    for key, (now, before) in figures.items():
        made[key] = f.enterprise(NAMES[key], dept=econ_dept, zone_obj=zones[key])
        record_enterprise_value(made[key], output, AUG, month_value=D(now) / 8, ytd_value=D(now))
        if before is not None:
            record_enterprise_value(
                made[key], output, AUG_LAST, month_value=D(before) / 8, ytd_value=D(before)
            )
    return made


def page(output, **params):
    return reverse("economy:indicator", args=[output.pk]), {"period": "2024-08", **params}


def names_in_order(rows):
    return [r["name"] for r in rows]


def test_pull_is_the_change_over_the_whole_comparable_base():
    pulls = enterprise_pulls({1: D(150), 2: D(120), 3: D(30)}, {1: D(200), 2: D(100), 4: D(10)})
    assert pulls == {1: D(-50) / D(300) * 100, 2: D(20) / D(300) * 100}  # 3 entered, 4 left: no pull
    assert round(sum(pulls.values()), 6) == round((D(270) / D(300) - 1) * 100, 6)


def test_each_enterprise_shows_its_pull_and_the_largest_drags_are_listed(client, leader, drags_book, output):
    client.force_login(leader)
    url, params = page(output)
    response = client.get(url, params)
    rows = {r["name"]: r for r in response.context["enterprises"]}
    assert round(rows[NAMES["a"]]["pull_pp"], 2) == D("-10.00")
    assert round(rows[NAMES["b"]]["pull_pp"], 2) == D("4.00")
    assert rows[NAMES["a"]]["change"] == D(-500000)
    assert rows[NAMES["e"]]["pull_pp"] is None  # no value a year earlier
    drags = response.context["detail"]["drags"]
    assert names_in_order(drags) == [NAMES["a"], NAMES["c"], NAMES["d"]]  # 乙 pulls up, 戊 not comparable
    html = response.content.decode()
    assert 'id="indicator-drags"' in html and "-10.00" in html
    # 亿元 with thousands separators on the page: 1,500,000 万元 = 150.0000 亿元, −500,000 = −50.0000
    assert "150.0000" in html and "-50.0000" in html


def test_the_enterprise_table_sorts_by_any_column_and_keeps_blanks_last(client, leader, drags_book, output):
    client.force_login(leader)
    url, params = page(output)

    def order(sort):
        return names_in_order(client.get(url, {**params, "sort": sort}).context["enterprises"])

    assert order("pull_pp") == [NAMES["a"], NAMES["c"], NAMES["d"], NAMES["b"], NAMES["e"]]
    assert order("-pull_pp") == [NAMES["b"], NAMES["c"], NAMES["d"], NAMES["a"], NAMES["e"]]
    assert order("-growth") == [
        NAMES["b"],
        NAMES["d"],
        NAMES["c"],
        NAMES["a"],
        NAMES["e"],
    ]  # +20, −6.7, −20, −25 %
    assert order("-ytd") == [NAMES["a"], NAMES["d"], NAMES["b"], NAMES["c"], NAMES["e"]]
    assert order("last_ytd") == [NAMES["c"], NAMES["b"], NAMES["d"], NAMES["a"], NAMES["e"]]
    assert order("nonsense") == order("-ytd")  # an unknown column falls back to the default
    # the header links: the current column shows its direction, a click reverses it
    response = client.get(url, {**params, "sort": "pull_pp"})
    column = next(c for c in response.context["columns"] if c["key"] == "pull_pp")
    assert column["arrow"] == "▲" and "sort=-pull_pp" in column["href"] and "period=2024-08" in column["href"]


def test_the_export_follows_the_sort_and_the_filters(client, leader, drags_book, output):
    client.force_login(leader)
    url, params = page(output)
    rows = xlsx_rows(client.get(url, {**params, "sort": "pull_pp", "export": "xlsx", "table": "enterprises"}))
    header = rows[0]
    assert [r[0] for r in rows[1:]] == [NAMES["a"], NAMES["c"], NAMES["d"], NAMES["b"], NAMES["e"]]
    assert rows[1][header.index("拉动（百分点）")] == -10.0
    assert rows[1][header.index("增减（亿元）")] == -50
    filtered = xlsx_rows(
        client.get(url, {**params, "sort": "-pull_pp", "q": "东区", "export": "xlsx", "table": "enterprises"})
    )
    assert [r[0] for r in filtered[1:]] == [NAMES["c"], NAMES["a"], NAMES["e"]]
    drags = xlsx_rows(client.get(url, {**params, "export": "xlsx", "table": "drags"}))
    assert [r[0] for r in drags[1:]] == [NAMES["a"], NAMES["c"], NAMES["d"]]
    event = AuditEvent.objects.filter(kind="export").latest("pk")
    assert event.data["table"] == "drags" and event.data["rows"] == 3 and event.user_id == leader.pk


def test_a_grid_worker_sees_the_pulls_within_the_own_zone(client, grid_worker, drags_book, output):
    client.force_login(grid_worker)
    url, params = page(output)
    response = client.get(url, {**params, "sort": "pull_pp"})
    rows = response.context["enterprises"]
    assert names_in_order(rows) == [NAMES["a"], NAMES["c"], NAMES["e"]]  # 东区 only
    assert [round(r["pull_pp"], 2) for r in rows[:2]] == [D("-20.00"), D("-4.00")]
    assert NAMES["b"] not in response.content.decode() and NAMES["d"] not in response.content.decode()
    assert response.context["can_export_data"] is False
    assert 'table=drags"' not in response.content.decode()


def test_the_cockpit_lists_the_drags_and_orders_warnings_by_the_fall(client, leader, drags_book, output):
    client.force_login(leader)
    response = client.get(reverse("economy:cockpit"), {"period": "2024-08"})
    data = cockpit_json(response)
    assert [(d["name"], d["pull_pp"]) for d in data["drags"]] == [
        (NAMES["a"], -10.0),
        (NAMES["c"], -2.0),
        (NAMES["d"], -2.0),
    ]
    # 预警 beyond a 20 % fall: 甲 (−25 %); 丙's −20 % is not beyond it.
    assert [w["name"] for w in data["warnings"]] == [NAMES["a"]]
    html = response.content.decode()
    link = reverse("economy:indicator", args=[output.pk]) + "?period=2024-08#drags"
    assert f'href="{link}"' in html


def test_warnings_are_ordered_by_the_size_of_the_fall_not_by_name(
    client, leader, drags_book, output, settings
):
    settings.YUANQU_WARNING_DROP = 0.05  # 甲 −25 % (−500,000), 丙 −20 % (−100,000), 丁 −6.7 % (−100,000)
    client.force_login(leader)
    warnings = cockpit_json(client.get(reverse("economy:cockpit"), {"period": "2024-08"}))["warnings"]
    assert [(w["name"], w["change"]) for w in warnings] == [
        (NAMES["a"], -50.0),
        (NAMES["c"], -10.0),  # equal falls: by name (丙 before 丁 in code-point order)
        (NAMES["d"], -10.0),
    ]
    assert sorted(w["name"] for w in warnings) != [w["name"] for w in warnings]
