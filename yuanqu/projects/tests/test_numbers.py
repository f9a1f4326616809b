"""The project page reads amounts as people write them: thousands separated, no .00 on whole sums."""

from decimal import Decimal

import pytest

from .conftest import make_project, report

pytestmark = pytest.mark.django_db


def test_the_project_page_shows_amounts_with_separators(client, alice, econ_dept):
    project = make_project("ZD2024-009", econ_dept, plan="12345.67", year=2024, name="储能电池项目")
    project.total_investment_wan = Decimal("123456")
    project.save()
    report(project, 2024, 1, "2345.6")
    client.force_login(alice)
    html = client.get(project.get_absolute_url(), {"period": "2024-01"}).content.decode()
    assert "12,345.67" in html  # the year's plan
    assert "123,456 万元" in html  # 计划总投资, a whole sum: no .00
    assert "2,345.60" in html  # January's investment
    assert "123456.00" not in html and "2345.60" not in html
