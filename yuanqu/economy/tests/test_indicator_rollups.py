"""The indicator page over a demo zone: its 24-month series read from the rollups is the series
summed from every enterprise's values, for the park and for a 片区; the enterprise table comes
in pages of 50 that keep the sort and the filters."""

import datetime

import pytest
from django.urls import reverse

from yuanqu.economy import views
from yuanqu.economy.analysis import enterprise_series
from yuanqu.economy.demo import generate_economy
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator
from yuanqu.economy.rollups import Scope
from yuanqu.enterprises import demo
from yuanqu.users.models import User, Zone

TODAY = datetime.date(2024, 11, 20)
PERIOD = datetime.date(2024, 10, 1)


@pytest.fixture
def demo_zone(db):
    demo.generate(60, today=TODAY)
    generate_economy(TODAY)
    return Indicator.objects.get(code="industrial_output")


def _rounded(series):
    """The series as the page shows it: amounts to the cent, growth to 0.01 %."""
    keys = ("month_value", "ytd", "last_month_value", "last_ytd")
    return [
        {
            **row,
            **{k: None if row[k] is None else round(row[k], 2) for k in keys},
            "growth": None if row["growth"] is None else round(row["growth"], 6),
        }
        for row in series
    ]


def test_the_series_from_the_rollups_is_the_sum_of_the_values(demo_zone):
    values = EnterpriseMonthlyValue.objects.all()
    park = enterprise_series(values, demo_zone, PERIOD)
    rolled = enterprise_series(values, demo_zone, PERIOD, scope=Scope())
    assert _rounded(rolled["series"]) == _rounded(park["series"])
    assert any(row["note"] for row in park["series"])  # entered/left counts are compared too
    for key in ("chains", "zones", "enterprises", "drags"):
        assert rolled[key] == park[key]
    zone = Zone.objects.filter(parent__isnull=False).order_by("pk").first()
    in_zone = enterprise_series(values, demo_zone, PERIOD, zone=zone)
    rolled_zone = enterprise_series(values, demo_zone, PERIOD, zone=zone, scope=Scope(zone.subtree_ids()))
    assert _rounded(rolled_zone["series"]) == _rounded(in_zone["series"])
    assert in_zone["series"][-1]["ytd"] < park["series"][-1]["ytd"]


def test_the_enterprise_table_comes_in_pages_keeping_sort_and_filters(client, demo_zone, monkeypatch):
    """Pages of 5 here (the demo zone of 60 has 16 规上 enterprises; the page shows 50)."""
    assert views.ENTERPRISES_PER_PAGE == 50
    monkeypatch.setattr(views, "ENTERPRISES_PER_PAGE", 5)
    client.force_login(User.objects.get(username="leader"))
    url = reverse("economy:indicator", args=[demo_zone.pk])
    first = client.get(url, {"period": "2024-10", "sort": "name"})
    count = first.context["enterprise_count"]
    assert count > 10 and len(first.context["enterprises"]) == 5
    assert f"企业明细（{count}家" in first.content.decode()
    pager = first.context["pager"]
    assert pager["number"] == 1 and pager["previous"] == "" and pager["pages"] == -(-count // 5)
    assert "sort=name" in pager["next"] and "period=2024-10" in pager["next"]
    rows, page = list(first.context["enterprises"]), first
    while page.context["pager"]["next"]:
        page = client.get(url + page.context["pager"]["next"].split("#")[0])
        assert "上一页" in page.content.decode()
        rows += page.context["enterprises"]
    assert len(rows) == count == len({r["id"] for r in rows})
    names = [r["name"] for r in rows]
    assert names == sorted(names)  # the sort holds across pages
    assert all(r["ytd_text"] for r in rows)  # every row shown has its figures as text
    # with no filter or sort asked for, the link names the page alone
    assert client.get(url).context["pager"]["next"] == "?page=2#indicator-enterprises"
    # a filter that leaves less than a page has no pager
    filtered = client.get(url, {"period": "2024-10", "q": names[0]})
    assert (
        filtered.context["pager"] is None
        and [r["name"] for r in filtered.context["enterprises"]] == names[:1]
    )
