"""The indicator page: series, breakdowns by 产业链 and 片区, the enterprise table, each table's
Excel export (audited, restricted), and what a grid worker sees."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.economy.models import Indicator
from yuanqu.economy.services import record_enterprise_value, record_zone_figure
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import xlsx_rows

from .test_views import text

AUG, AUG_LAST = datetime.date(2024, 8, 1), datetime.date(2023, 8, 1)


@pytest.fixture
def book(owned_enterprise, other_enterprise, econ_dept, invest_dept, east, west, output):
    """规上工业总产值, 1–8月 (万元): the comparable set grows 108 / 90 − 1 = 20.0 %."""
    owned_enterprise.industry_chain = f.chain("高端装备制造")
    owned_enterprise.save()
    other_enterprise.industry_chain = f.chain("新材料")
    other_enterprise.save()
    new = f.enterprise("东区新纳统科技有限公司", dept=econ_dept, zone_obj=east)
    gone = f.enterprise("西区退库材料有限公司", dept=invest_dept, zone_obj=west)
    for enterprise, now, before in (
        (owned_enterprise, 60, 50),
        (other_enterprise, 48, 40),
        (new, 12, None),
        (gone, None, 10),
    ):
        if now is not None:
            record_enterprise_value(enterprise, output, AUG, month_value=D(now) / 8, ytd_value=D(now))
        if before is not None:
            record_enterprise_value(
                enterprise, output, AUG_LAST, month_value=D(before) / 8, ytd_value=D(before)
            )
    return {"owned": owned_enterprise, "other": other_enterprise, "new": new, "gone": gone}


def page(output, **params):
    return reverse("economy:indicator", args=[output.pk]), {"period": "2024-08", **params}


def test_the_page_shows_series_breakdowns_and_enterprises_with_notes(client, leader, book, output):
    client.force_login(leader)
    url, params = page(output)
    response = client.get(url, params)
    assert response.status_code == 200
    series = {row["label"]: row for row in response.context["detail"]["series"]}
    assert len(series) == 24 and "2022年9月" in series and "2024年8月" in series
    assert (series["2024年8月"]["ytd"], series["2024年8月"]["last_ytd"]) == (D(120), D(100))
    assert round(series["2024年8月"]["growth"], 4) == D("0.2000")
    chains = {r["name"]: r for r in response.context["detail"]["chains"]}
    assert (chains["高端装备制造"]["ytd"], chains["高端装备制造"]["base"]) == (D(60), D(50))
    assert round(chains["高端装备制造"]["pull_pp"], 2) == D("11.11")
    assert round(chains["新材料"]["pull_pp"], 2) == D("8.89")
    assert chains["未归链"]["pull_pp"] is None and chains["高端装备制造"]["share"] == D("0.5")
    zones = {r["name"]: r for r in response.context["detail"]["zones"]}
    assert (zones["东区"]["ytd"], zones["东区"]["share"]) == (D(72), D("0.6"))
    body = text(response)
    assert "20.0%" in body and "11.11" in body and "60.0%" in body
    assert "东区新纳统科技有限公司" in body and "无上年同期数据（新纳统或新报），未计入增速" in body
    assert "西区退库材料有限公司" in body and "上年同期有数据、本期无数据（退库或未报），未计入增速" in body
    assert 'id="chart-month"' in response.content.decode() and "echarts.min.js" in response.content.decode()


def test_enterprise_filters(client, leader, book, output):
    client.force_login(leader)
    url, params = page(output)
    names = lambda r: [row["name"] for row in r.context["enterprises"]]  # noqa: E731
    assert names(client.get(url, {**params, "status": "entered"})) == ["东区新纳统科技有限公司"]
    assert names(client.get(url, {**params, "status": "left"})) == ["西区退库材料有限公司"]
    assert names(client.get(url, {**params, "chain": "新材料"})) == ["西区光电科技有限公司"]
    assert names(client.get(url, {**params, "q": book["owned"].uscc})) == ["东区精密机械有限公司"]


def test_a_grid_worker_sees_only_its_zone(client, grid_worker, book, output):
    client.force_login(grid_worker)
    url, params = page(output)
    response = client.get(url, params)
    body = text(response)
    assert "东区精密机械有限公司" in body and "西区光电科技有限公司" not in body
    assert "西区退库材料有限公司" not in body
    assert [r["name"] for r in response.context["detail"]["zones"]] == ["东区"]
    assert client.get(url, {**params, "export": "xlsx", "table": "enterprises"}).status_code == 403


def test_every_table_exports_audited_and_restricted(client, leader, alice, book, output):
    client.force_login(leader)
    url, params = page(output)
    for table, title in (
        ("series", "月度序列"),
        ("chains", "按产业链"),
        ("zones", "按片区"),
        ("enterprises", "企业明细"),
    ):
        response = client.get(url, {**params, "export": "xlsx", "table": table})
        assert response.status_code == 200, table
        event = AuditEvent.objects.filter(kind="export").latest("pk")
        assert f"规上工业总产值{title}" in event.detail and event.user_id == leader.pk
        assert event.data["table"] == table
    rows = xlsx_rows(client.get(url, {**params, "export": "xlsx", "table": "zones"}))
    # Amounts in the indicator's display unit (万元 stored, 亿元 shown), every digit kept.
    assert rows[0][:3] == ["片区", "1–N月累计（亿元）", "上年同期（同口径）（亿元）"]
    assert rows[1][:6] == ["东区", 0.0072, 0.005, 20, 11.11, 60]
    assert client.get(url, {**params, "export": "xlsx", "table": "nonsense"}).status_code == 404
    # 部门人员 export only their own department's enterprises.
    client.force_login(alice)
    rows = xlsx_rows(client.get(url, {**params, "export": "xlsx", "table": "enterprises"}))
    assert sorted(r[0] for r in rows[1:]) == ["东区新纳统科技有限公司", "东区精密机械有限公司"]


def test_a_zone_level_indicator_shows_the_published_growth(client, leader, park):
    gdp = Indicator.objects.get(code="gdp")
    record_zone_figure(park, gdp, AUG_LAST, ytd_value=D(93))
    record_zone_figure(park, gdp, AUG, ytd_value=D(100), published_growth=D("0.071"))
    client.force_login(leader)
    response = client.get(reverse("economy:indicator", args=[gdp.pk]), {"period": "2024-08"})
    last = response.context["detail"]["series"][-1]
    assert (last["ytd"], last["last_ytd"], last["growth"]) == (D(100), D(93), D("0.071"))
    assert "7.1%" in text(response) and "增速采用统计部门公布数" in text(response)


def test_summary_and_list_link_to_the_indicator_page(client, leader, output):
    client.force_login(leader)
    link = reverse("economy:indicator", args=[output.pk])
    assert (
        f'href="{link}?period=2024-08'
        in client.get(reverse("economy:summary"), {"period": "2024-08"}).content.decode()
    )
    assert f'href="{link}"' in client.get(reverse("economy:indicator_list")).content.decode()


def test_a_bad_month_is_named(client, leader, output):
    client.force_login(leader)
    response = client.get(reverse("economy:indicator", args=[output.pk]), {"period": "2024-13"})
    assert response.status_code == 200
    assert "月份“2024-13”格式不对" in text(response)


def test_without_a_grant_the_page_is_not_found(client, enterprise_user, db):
    gdp = Indicator.objects.get(code="gdp")
    gdp_url = reverse("economy:indicator", args=[gdp.pk])
    client.force_login(enterprise_user)
    assert client.get(gdp_url).status_code == 200  # 企业用户 may view the catalogue
    from yuanqu.users.models import ObjectPermission

    ObjectPermission.objects.filter(model="economy.indicator").update(enabled=False)
    enterprise_user.__dict__.pop("_yuanqu_grants", None)
    assert client.get(gdp_url).status_code == 404
