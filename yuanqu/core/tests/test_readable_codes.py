"""Codes made for the program (``demands.demand``, ``approve_extension``, ``industrial_output``)
are read by people under their Chinese names, and figures carry thousands separators."""

import re
from decimal import Decimal

from django.urls import reverse

from yuanqu.core.context import acting_as
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.templatetags.numbers import number


def _text(response):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_permission_pages_name_models_and_actions_in_chinese(client, secadmin):
    with acting_as(secadmin, source="web"):
        grant = ObjectPermission.objects.create(
            name="诉求延期审批", role="staff", model="demands.demand", actions=["view", "approve_extension"]
        )
    client.force_login(secadmin)
    listing = _text(client.get(reverse("users:objectpermission_list"), {"q": "诉求延期审批"}))
    assert (
        "诉求延期审批" in listing and "demands.demand" not in listing and "approve_extension" not in listing
    )
    assert "查看、批准延期" in listing
    detail = _text(client.get(reverse("users:objectpermission", args=[grant.pk])))
    assert "demands.demand" not in detail and "approve_extension" not in detail
    assert "查看、批准延期" in detail


def test_indicator_catalogue_shows_names_not_codes(client, alice):
    client.force_login(alice)
    page = _text(client.get(reverse("economy:indicator_list")))
    assert "规上工业总产值" in page
    assert "industrial_output" not in page


def test_numbers_are_grouped_and_whole_values_lose_their_idle_decimals():
    assert number(Decimal("295.0000")) == "295"
    assert number(Decimal("2574045.61")) == "2,574,045.61"
    assert number(Decimal("10000.00")) == "10,000"
    assert number(Decimal("63.829864")) == "63.83"
    assert number(Decimal("1234.5"), 2) == "1,234.50"
    assert number(-0.001) == "0.00"
    assert number(None) == "" and number("暂无") == "暂无"


def test_enterprise_list_groups_the_registered_capital(client, alice, owned_enterprise):
    owned_enterprise.registered_capital_wan = Decimal("12345.00")
    owned_enterprise.save()
    client.force_login(alice)
    page = _text(client.get(reverse("enterprises:enterprise_list")))
    assert "12,345" in page and "12345.00" not in page
