"""The enterprise page reads its capital and land as people write them."""

from decimal import Decimal

import pytest

from yuanqu.utilities.testing import factories as f

pytestmark = pytest.mark.django_db


def test_the_enterprise_page_shows_capital_and_land_with_separators(client, leader, econ_dept):
    enterprise = f.enterprise(
        "千分位测试有限公司",
        dept=econ_dept,
        registered_capital_wan=Decimal("12345.67"),
        land_area_mu=Decimal("1250"),
    )
    client.force_login(leader)
    html = client.get(enterprise.get_absolute_url()).content.decode()
    assert "12,345.67" in html and "1,250" in html
    assert "12345.67" not in html and "1250.00" not in html and ".0000" not in html
