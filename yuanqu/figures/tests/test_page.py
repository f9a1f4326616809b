"""数据目录 page: the catalogue with values for the month and scope, over what the user may see."""

import datetime
import re

import pytest
from django.urls import reverse

from yuanqu.enterprises.models import Qualification

pytestmark = pytest.mark.django_db
URL = reverse("figures:catalogue")


@pytest.fixture
def grants(owned_enterprise, other_enterprise):
    for enterprise in (owned_enterprise, other_enterprise):
        Qualification.objects.create(enterprise=enterprise, kind="hnte", granted_on=datetime.date(2024, 5, 1))


def _cell(page, name):
    row = re.search(rf"<td>{re.escape(name)}</td>.*?</tr>", page, re.S).group(0)
    return re.findall(r'<td class="num">(.*?)</td>', row, re.S)


def test_a_leader_sees_every_module_and_follows_a_figure_to_its_records(client, leader, grants):
    client.force_login(leader)
    page = client.get(URL, {"period": "2024-10"}).content.decode()
    assert "数据目录 · 2024年1–10月 · 园区" in page
    assert 'id="figures-enterprises"' in page and 'id="figures-economy"' in page
    cell = _cell(page, "高新技术企业（有效）")[0]
    link = re.search(r'href="([^"]+)"', cell).group(1).replace("&amp;", "&")
    assert ">2<" in cell
    listed = client.get(link)
    assert listed.status_code == 200 and listed.context["table"].paginator.count == 2


def test_a_grid_worker_sees_their_zone_only_and_a_scope_narrows(client, grid_worker, leader, grants, east):
    client.force_login(grid_worker)
    page = client.get(URL, {"period": "2024-10"}).content.decode()
    assert ">1<" in _cell(page, "高新技术企业（有效）")[0]
    client.force_login(leader)
    page = client.get(URL, {"period": "2024-10", "scope": "zone", "id": east.pk}).content.decode()
    assert "2024年1–10月 · 东区" in page
    assert ">1<" in _cell(page, "高新技术企业（有效）")[0]


def test_bad_parameters_fall_back_with_a_message(client, leader):
    client.force_login(leader)
    response = client.get(URL, {"period": "2024-99", "scope": "zone", "id": "abc"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "· 园区" in page and 'role="alert"' in page


def test_enterprise_users_and_sysadmins_do_not_get_the_page_nor_the_menu(
    client, enterprise_user, sysadmin, leader
):
    for user in (enterprise_user, sysadmin):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert f'href="{URL}"' not in client.get("/").content.decode()
    client.force_login(leader)
    assert f'href="{URL}"' in client.get("/").content.decode()
