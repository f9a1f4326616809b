"""Links, tabs and menu entries are drawn from the check of the page they open
(``yuanqu.utilities.links.can_open``)."""

import re

from django.urls import reverse

from yuanqu.enterprises.models import IndustryChain
from yuanqu.users.models import User
from yuanqu.utilities.links import can_open
from yuanqu.utilities.testing import factories as f


def hrefs(response) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', response.content.decode()))


def test_can_open_asks_the_view_itself(alice, bob, leader, sysadmin, owned_enterprise, other_enterprise):
    # A list page: the model's view grant.
    assert can_open(alice, "enterprises:enterprise_list")
    assert not can_open(sysadmin, "enterprises:enterprise_list")
    # An edit page: the view's own get_object, restriction included (own department only).
    assert can_open(alice, "enterprises:enterprise_edit", owned_enterprise.pk)
    assert not can_open(alice, "enterprises:enterprise_edit", other_enterprise.pk)
    # A rule the concrete view adds: nobody edits their own account on the user pages.
    assert can_open(sysadmin, "users:user_edit", bob.pk)
    assert not can_open(sysadmin, "users:user_edit", sysadmin.pk)
    # A page that does not exist is never offered.
    assert not can_open(sysadmin, "demands:demandcategory_delete", 1)
    assert not can_open(alice, "/no-such-page/")


def test_industry_chain_names_lead_where_the_user_may_go(client, leader, sysadmin):
    chain = f.chain("硅基新材料")
    client.force_login(sysadmin)
    links = hrefs(client.get(reverse("enterprises:industrychain_list")))
    assert reverse("enterprises:industrychain_edit", args=[chain.pk]) in links
    client.force_login(leader)
    links = hrefs(client.get(reverse("enterprises:industrychain_list")))
    assert reverse("enterprises:industrychain_edit", args=[chain.pk]) not in links
    assert f"{reverse('enterprises:enterprise_list')}?industry_chain={chain.pk}" in {
        h.replace("&amp;", "&") for h in links
    }


def test_industry_chain_edit_cancels_to_a_page_the_sysadmin_may_open(client, sysadmin):
    chain = f.chain("硅基新材料")
    client.force_login(sysadmin)
    response = client.get(reverse("enterprises:industrychain_edit", args=[chain.pk]))
    assert response.status_code == 200
    cancel = re.search(r'href="([^"]+)">取消</a>', response.content.decode()).group(1)
    assert cancel == reverse("enterprises:industrychain_list")
    assert client.get(cancel).status_code == 200
    assert IndustryChain.objects.get(pk=chain.pk).name == "硅基新材料"


def test_economy_tabs_only_for_those_who_may_open_them(client, grid_worker, leader):
    tabs = {
        "economy:cockpit": "驾驶舱",
        "economy:enterprisemonthlyvalue_list": "企业月报数据",
        "economy:zonemonthlyfigure_list": "园区月度数据",
        "economy:periodlock_list": "月份锁定",
        "economy:indicator_list": "经济指标",
    }

    def shown(user):
        client.force_login(user)
        links = {h.split("?")[0] for h in hrefs(client.get(reverse("economy:summary")))}
        return {name for name in tabs if reverse(name) in links}

    grid_tabs = shown(grid_worker)
    assert "economy:periodlock_list" not in grid_tabs
    assert "economy:cockpit" in grid_tabs  # a grid worker reads the cockpit of their 片区
    for name in grid_tabs:
        assert client.get(reverse(name)).status_code == 200
    assert shown(leader) == set(tabs)


def test_enterprise_user_is_sent_to_its_own_pages_not_the_cockpit(client, enterprise_user, owned_enterprise):
    client.force_login(enterprise_user)
    home = client.get("/")
    links = hrefs(home)
    assert reverse("economy:cockpit") not in links
    assert reverse("enterprises:enterprise", args=[owned_enterprise.pk]) in links
    assert reverse("enterprises:enterprise_list") not in links
    assert client.get(reverse("economy:cockpit")).status_code == 403
    for url in links - {reverse("home")}:
        if url.startswith("/") and not url.startswith("/static/"):
            assert client.get(url).status_code == 200, url


def test_sysadmin_menu_lists_the_pages_they_manage(client, sysadmin):
    client.force_login(sysadmin)
    page = client.get("/").content.decode()
    for label, name in [
        ("经济指标", "economy:indicator_list"),
        ("月份锁定", "economy:periodlock_list"),
        ("亮灯规则", "projects:lightrule_list"),
        ("日历年度", "core:calendaryear_list"),
        ("产业链", "enterprises:industrychain_list"),
    ]:
        assert f'<a href="{reverse(name)}">{label}</a>' in page
        assert client.get(reverse(name)).status_code == 200
    assert reverse("supervision:my_work") not in page


def test_new_button_hidden_where_no_add_page_exists(client, leader):
    client.force_login(leader)
    page = client.get(reverse("projects:lightrule_list")).content.decode()
    assert "light-rules/add/" not in page
    assert User.objects.filter(username="leader").exists()
