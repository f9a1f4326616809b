"""The portal reads figures as every other page does (the shared ``number`` filter)."""

import re
from decimal import Decimal

import pytest

from .test_portal import PERIOD, industrial  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_month_form_shows_ytd_and_last_year_with_separators(client, enterprise_user, industrial):  # noqa: F811
    client.force_login(enterprise_user)
    response = client.post("/portal/", {"period": PERIOD, "m_industrial_output": "11445.6"})
    assert response.status_code == 302
    page = client.get(response.url)
    html = page.content.decode()
    assert page.context["rows"][0]["ytd"] == Decimal("12345.6")  # 9 × 100 earlier + 11445.6
    assert '<span class="js-ytd">12,345.60</span>' in html
    shown = re.sub(r"<[^>]+>", " ", html)  # what the user reads (data-* attributes feed the script)
    assert " 800 " in shown  # last year's 1–10月, a whole value: no .0000
    assert "12345.6" not in shown and ".0000" not in shown
