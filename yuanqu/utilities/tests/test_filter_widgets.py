"""Filters read as a zone office reads them."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_yes_no_filters_offer_all_yes_no(client, leader, owned_enterprise, other_enterprise):
    """A yes/no filter's empty choice reads 全部, and choosing it filters nothing."""
    other_enterprise.is_foreign_invested = True
    other_enterprise.save()
    client.force_login(leader)
    page = client.get(reverse("enterprises:enterprise_list")).content.decode()
    select = re.search(r'<select name="is_foreign_invested".*?</select>', page, re.S).group(0)
    assert re.findall(r"<option[^>]*>([^<]*)</option>", select) == ["全部", "是", "否"]
    assert "未知" not in select
    listed = client.get(reverse("enterprises:enterprise_list"), {"is_foreign_invested": "unknown"})
    assert listed.status_code == 200
    assert listed.context["table"].paginator.count == 2
    only = client.get(reverse("enterprises:enterprise_list"), {"is_foreign_invested": "true"})
    assert only.context["table"].paginator.count == 1
