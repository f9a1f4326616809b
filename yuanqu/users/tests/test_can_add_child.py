import pytest

from yuanqu.enterprises.models import Contact, Qualification
from yuanqu.users.permissions import can_add_child


@pytest.mark.django_db
def test_child_grants_are_read_along_the_path_to_the_enterprise(
    grid_worker, charlie, alice, enterprise_user, owned_enterprise, other_enterprise
):
    # 网格员 may add contacts to enterprises of own 片区 (东区) only, and no qualifications.
    assert can_add_child(grid_worker, Contact, "enterprise", owned_enterprise)
    assert not can_add_child(grid_worker, Contact, "enterprise", other_enterprise)
    assert not can_add_child(grid_worker, Qualification, "enterprise", owned_enterprise)
    # 部门人员 of 招商局 maintains 招商局's enterprises, not 经济发展局's.
    assert can_add_child(charlie, Qualification, "enterprise", other_enterprise)
    assert not can_add_child(charlie, Qualification, "enterprise", owned_enterprise)
    assert can_add_child(alice, Contact, "enterprise", owned_enterprise)
    # 企业用户: its own company only.
    assert can_add_child(enterprise_user, Contact, "enterprise", owned_enterprise)
    assert not can_add_child(enterprise_user, Contact, "enterprise", other_enterprise)


@pytest.mark.django_db
def test_detail_page_offers_only_the_actions_the_user_may_take(client, grid_worker, charlie, owned_enterprise):
    client.force_login(grid_worker)
    page = client.get(owned_enterprise.get_absolute_url()).content.decode()
    assert "添加联系人" in page and "添加资质" not in page
    client.force_login(charlie)
    page = client.get(owned_enterprise.get_absolute_url()).content.decode()
    assert "添加联系人" not in page and "添加资质" not in page
