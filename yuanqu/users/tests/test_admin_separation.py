"""三权分立 on accounts: no single administrator can give itself another's powers."""

import pytest
from django.urls import reverse

from yuanqu.users.choices import Role
from yuanqu.users.models import User
from yuanqu.utilities.testing.factories import PASSWORD
from yuanqu.utilities.testing.views import with_version


def edit_url(user):
    return reverse("users:user_edit", args=[user.pk])


@pytest.mark.django_db
def test_sysadmin_cannot_edit_the_auditor_or_reset_its_password(client, sysadmin, auditor):
    client.force_login(sysadmin)
    assert client.get(edit_url(auditor)).status_code == 403
    response = client.post(edit_url(auditor), {"username": "auditor", "role": Role.STAFF, "password": "New-Passw0rd-x"})
    assert response.status_code == 403
    auditor.refresh_from_db()
    assert auditor.role == Role.AUDITOR and auditor.check_password(PASSWORD)


@pytest.mark.django_db
def test_sysadmin_cannot_give_an_administrator_role(client, sysadmin, alice, econ_dept):
    client.force_login(sysadmin)
    form_page = client.get(edit_url(alice)).content.decode()
    assert 'value="auditor"' not in form_page and 'value="staff"' in form_page
    response = client.post(
        edit_url(alice),
        {"username": "alice", "name": "王丽", "role": Role.AUDITOR, "department": econ_dept.pk, "is_active": "on"},
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["role"]
    assert "选择一个有效的选项" in error
    alice.refresh_from_db()
    assert alice.role == Role.STAFF


@pytest.mark.django_db
def test_nobody_edits_their_own_account_here(client, sysadmin, secadmin):
    for admin in (sysadmin, secadmin):
        client.force_login(admin)
        assert client.get(edit_url(admin)).status_code == 403


@pytest.mark.django_db
def test_secadmin_sets_roles_but_not_passwords(client, secadmin, alice):
    client.force_login(secadmin)
    page = client.get(edit_url(alice)).content.decode()
    assert 'name="password"' not in page and 'name="username"' not in page
    response = client.post(
        edit_url(alice), with_version(alice, {"role": Role.LEADER, "is_active": "on", "password": "Hijack-Passw0rd"})
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.role == Role.LEADER and alice.check_password(PASSWORD)
    assert client.get(reverse("users:user_add")).status_code == 403


@pytest.mark.django_db
def test_secadmin_cannot_make_an_unbound_account_an_enterprise_user(client, secadmin, alice):
    client.force_login(secadmin)
    response = client.post(edit_url(alice), {"role": Role.ENTERPRISE, "is_active": "on"})
    assert "该账号未绑定企业" in response.content.decode()
    assert User.objects.get(pk=alice.pk).role == Role.STAFF
