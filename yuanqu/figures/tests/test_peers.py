"""Peers' values from the city's 通报: the zone's rank (ties share a rank), its growth rank and
its share of the city, in the catalogue, the command and the page."""

import datetime
import io
import json
from decimal import Decimal as Dec

import pytest
from django.core.management import call_command
from django.urls import reverse

from yuanqu.economy.tests.conftest import output  # noqa: F401 (a fixture)
from yuanqu.economy.tests.test_command import zone_data  # noqa: F401 (a fixture)
from yuanqu.figures.models import PeerValue
from yuanqu.figures.peers import standing

pytestmark = pytest.mark.django_db
D = datetime.date


def peers(*rows):
    return [PeerValue(figure="x", period=D(2024, 8, 1), peer=p, value=v, growth=g) for p, v, g in rows]


def test_ties_share_a_rank_and_the_share_is_of_the_city_row():
    rows = peers(
        ("高新区", Dec(300), Dec("0.12")), ("经开区", Dec(122), Dec("0.08")), ("全市", Dec(1000), None)
    )
    s = standing(rows, Dec(122), Dec("0.12"))
    assert (s.rank, s.rank_of) == (2, 3)  # 300 ahead; 经开区's 122 ties with ours
    assert (s.growth_rank, s.growth_rank_of) == (1, 3)  # 0.12 ties for first
    assert s.share == Dec("0.122")
    assert s.text() == "居全市第2位（共3个），增速居第1位，占全市12.2%"


def test_without_a_city_row_the_share_is_of_the_zone_and_its_peers():
    s = standing(peers(("高新区", Dec(300), None), ("经开区", Dec(78), None)), Dec(122), None)
    assert (s.rank, s.share) == (2, Dec("0.244"))
    assert s.growth_rank is None
    assert standing([], Dec(1), None) is None
    lone = standing(peers(("高新区", None, Dec("0.1"))), None, Dec("0.05"))
    assert (lone.rank, lone.growth_rank, lone.share) == (None, 2, None)


def test_the_command_and_the_page_show_the_standing(zone_data, client, leader):  # noqa: F811
    for peer, value, growth in (("高新区", "300", "0.15"), ("经开区", "100", "0.05"), ("全市", "1220", None)):
        PeerValue.objects.create(figure="economy.industrial_output", period=D(2024, 8, 1), peer=peer,
                                 value=Dec(value), growth=None if growth is None else Dec(growth))  # fmt: skip
    out = io.StringIO()
    call_command("figures", "--period", "2024-08", "--json", stdout=out)
    row = next(r for r in json.loads(out.getvalue()) if r["key"] == "economy.industrial_output")
    assert (row["rank"], row["rank_of"], row["growth_rank"], row["share"]) == (2, 3, 2, 0.1)  # 122 of 1220
    other = next(r for r in json.loads(out.getvalue()) if r["key"] == "economy.revenue")
    assert (other["rank"], other["share"]) == (None, None)
    client.force_login(leader)
    page = client.get(reverse("figures:catalogue"), {"period": "2024-08"}).content.decode()
    assert "<th>全市位次</th>" in page and "居全市第2位（共3个），增速居第2位，占全市10.0%" in page


def test_entering_a_peer_value_in_percent_and_a_bad_one_keeps_the_input(client, alice):
    client.force_login(alice)
    url = reverse("figures:peervalue_add")
    data = {"figure": "economy.industrial_output", "period": "2024-08", "peer": "高新区", "value": "300",
            "growth": "9.5", "source": "市统计局2024年8月通报"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    saved = PeerValue.objects.get()
    assert (saved.period, saved.growth) == (D(2024, 8, 1), Dec("0.095"))
    edit = client.get(reverse("figures:peervalue_edit", args=[saved.pk])).content.decode()
    assert 'value="2024-08"' in edit and 'value="9.5"' in edit
    bad = client.post(url, {**data, "peer": "经开区", "period": "2024-13", "value": "", "growth": ""})
    page = bad.content.decode()
    assert bad.status_code == 200 and "数值和增速至少填写一项" in page and 'value="经开区"' in page
    assert PeerValue.objects.count() == 1
