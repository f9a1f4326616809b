"""Every role against every page: the status each answers with the default grants.

A page that is not the role's at all answers 403 (no grant on the model); a record outside
the role's grants answers 404 (it does not exist for them); anonymous users go to the login
page. The three administrators are kept apart (三权分立): the system administrator runs the
organisation and cannot read the audit trail, the security administrator grants permissions
and cannot read the audit trail, the auditor reads the audit trail and nothing else.
"""

import pytest
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.users.models import ObjectPermission

# The pages, in the order of the columns below. Records: owned_enterprise (经济发展局, 东区)
# and other_enterprise (招商局, 西区); "change" is the change-log row of owned_enterprise.
PAGES = [
    "home",
    "search",
    "enterprise_list",
    "enterprise",
    "enterprise_other",
    "enterprise_add",
    "enterprise_edit",
    "enterprise_delete",
    "enterprise_export",
    "qualification_list",
    "industrychain_list",
    "department_list",
    "zone_list",
    "user_list",
    "objectpermission_list",
    "objectchange_list",
    "auditevent_list",
    "objectchange",
    "calendarday_list",
    "calendarday_add",
]

# fmt: off
EXPECTED = {
    #               home search list  own other add  edit  del  export qual chain dept  zone  user  perm  chg   evt  chg#  cal  cal+
    "anonymous":   (302, 302,   302,  302, 302, 302, 302,  302, 302,   302, 302,  302,  302,  302,  302,  302,  302, 302, 302,  302),
    "leader":      (200, 200,   200,  200, 200, 403, 404,  404, 200,   200, 200,  200,  200,  403,  403,  403,  403, 404, 200,  403),
    "staff":       (200, 200,   200,  200, 200, 200, 200,  200, 200,   200, 200,  200,  200,  403,  403,  403,  403, 404, 200,  403),
    "staff_other": (200, 200,   200,  200, 200, 200, 404,  404, 200,   200, 200,  200,  200,  403,  403,  403,  403, 404, 200,  403),
    "grid":        (200, 200,   200,  200, 404, 403, 404,  404, 403,   200, 403,  403,  200,  403,  403,  403,  403, 404, 403,  403),
    "enterprise":  (200, 200,   200,  200, 404, 403, 404,  404, 403,   200, 403,  403,  403,  403,  403,  403,  403, 404, 403,  403),
    "sysadmin":    (200, 200,   403,  404, 404, 403, 404,  404, 403,   403, 200,  200,  200,  200,  403,  403,  403, 404, 200,  200),
    "secadmin":    (200, 200,   403,  404, 404, 403, 404,  404, 403,   403, 403,  403,  403,  200,  200,  403,  403, 404, 403,  403),
    "auditor":     (200, 200,   403,  404, 404, 403, 404,  404, 403,   403, 403,  403,  403,  403,  403,  200,  200, 200, 403,  403),
}
# fmt: on

CAST = {
    "leader": "leader",
    "staff": "alice",
    "staff_other": "charlie",
    "grid": "grid_worker",
    "enterprise": "enterprise_user",
    "sysadmin": "sysadmin",
    "secadmin": "secadmin",
    "auditor": "auditor",
}


@pytest.fixture
def urls(owned_enterprise, other_enterprise):
    change = ObjectChange.objects.get(action="create", object_id=str(owned_enterprise.pk), object_repr=owned_enterprise.name)
    return {
        "home": reverse("home"),
        "search": reverse("search") + "?q=有限公司",
        "enterprise_list": reverse("enterprises:enterprise_list"),
        "enterprise": reverse("enterprises:enterprise", args=[owned_enterprise.pk]),
        "enterprise_other": reverse("enterprises:enterprise", args=[other_enterprise.pk]),
        "enterprise_add": reverse("enterprises:enterprise_add"),
        "enterprise_edit": reverse("enterprises:enterprise_edit", args=[owned_enterprise.pk]),
        "enterprise_delete": reverse("enterprises:enterprise_delete", args=[owned_enterprise.pk]),
        "enterprise_export": reverse("enterprises:enterprise_list") + "?export=xlsx",
        "qualification_list": reverse("enterprises:qualification_list"),
        "industrychain_list": reverse("enterprises:industrychain_list"),
        "department_list": reverse("users:department_list"),
        "zone_list": reverse("users:zone_list"),
        "user_list": reverse("users:user_list"),
        "objectpermission_list": reverse("users:objectpermission_list"),
        "objectchange_list": reverse("core:objectchange_list"),
        "auditevent_list": reverse("core:auditevent_list"),
        "objectchange": reverse("core:objectchange", args=[change.pk]),
        "calendarday_list": reverse("core:calendarday_list"),
        "calendarday_add": reverse("core:calendarday_add"),
    }


def test_the_table_names_every_page_for_every_role():
    assert set(EXPECTED) == {"anonymous", *CAST}
    assert all(len(row) == len(PAGES) for row in EXPECTED.values())


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED))
def test_permission_matrix(role, client, request, urls):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(CAST[role]))
    actual = {page: client.get(urls[page]).status_code for page in PAGES}
    assert actual == dict(zip(PAGES, EXPECTED[role], strict=True))


@pytest.mark.django_db
def test_refusals_are_explained_in_chinese(client, auditor, sysadmin, urls):
    client.force_login(auditor)
    refused = client.get(urls["enterprise_list"])
    assert refused.status_code == 403
    assert "无权访问" in refused.content.decode() and "没有查看权限" in refused.content.decode()
    missing = client.get(urls["enterprise_edit"])
    assert missing.status_code == 404
    assert "页面不存在" in missing.content.decode()
    assert "东区精密机械有限公司" not in missing.content.decode()
    client.force_login(sysadmin)
    assert "无权访问" in client.get(urls["objectchange_list"]).content.decode()


@pytest.mark.django_db
def test_enterprise_user_sees_only_its_own_enterprise(client, enterprise_user, owned_enterprise, other_enterprise):
    client.force_login(enterprise_user)
    page = client.get(reverse("enterprises:enterprise_list")).content.decode()
    assert owned_enterprise.name in page and other_enterprise.name not in page
    assert "共 <strong>1</strong> 条" in page
    found = client.get(reverse("search"), {"q": "有限公司"}).content.decode()
    assert owned_enterprise.name in found and other_enterprise.name not in found
    assert client.get(other_enterprise.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_writes_outside_the_grant_change_nothing(client, request, owned_enterprise):
    """A POST to edit or delete answers like the page (404/403) for every role that may not."""
    data = {"uscc": owned_enterprise.uscc, "name": "被改掉的名称", "status": "operating", "department": owned_enterprise.department_id}
    edit = reverse("enterprises:enterprise_edit", args=[owned_enterprise.pk])
    delete = reverse("enterprises:enterprise_delete", args=[owned_enterprise.pk])
    for name in ["leader", "charlie", "grid_worker", "enterprise_user", "sysadmin", "secadmin", "auditor"]:
        client.force_login(request.getfixturevalue(name))
        assert client.post(edit, data).status_code == 404, name
        assert client.post(delete).status_code == 404, name
    owned_enterprise.refresh_from_db()
    assert owned_enterprise.name == "东区精密机械有限公司"
    assert not ObjectChange.objects.filter(object_id=str(owned_enterprise.pk), action__in=["update", "delete"]).exists()


@pytest.mark.django_db
def test_security_admin_manages_permissions(client, secadmin, alice):
    client.force_login(secadmin)
    assert client.get(reverse("users:objectpermission_add")).status_code == 200
    data = {
        "name": "王丽临时导入权限",
        "enabled": "on",
        "user": alice.pk,
        "model": "enterprises.enterprise",
        "actions": ["import"],
        "constraint": "own_department",
    }
    response = client.post(reverse("users:objectpermission_add"), data)
    assert response.status_code == 302
    change = ObjectChange.objects.get(action="create", object_repr="王丽临时导入权限")
    assert change.user_name == "secadmin"


@pytest.mark.django_db
def test_audit_trail_can_be_granted_to_auditors_only(client, secadmin):
    client.force_login(secadmin)
    data = {
        "name": "系统管理员查看变更记录",
        "enabled": "on",
        "role": "sysadmin",
        "model": "core.objectchange",
        "actions": ["view"],
        "constraint": "all",
    }
    response = client.post(reverse("users:objectpermission_add"), data)
    assert response.status_code == 200
    assert "审计记录只能授予审计员角色“查看/导出”操作" in response.content.decode()
    assert not ObjectPermission.objects.filter(name="系统管理员查看变更记录").exists()


@pytest.mark.django_db
def test_auditors_cannot_be_given_the_domain(client, sysadmin, secadmin):
    # The system administrator cannot open the permission pages at all …
    client.force_login(sysadmin)
    assert client.get(reverse("users:objectpermission_add")).status_code == 403
    # … and the security administrator cannot hand the auditor anything but the audit trail.
    client.force_login(secadmin)
    data = {"name": "审计员查看企业", "enabled": "on", "role": "auditor", "model": "enterprises.enterprise",
            "actions": ["view"], "constraint": "all"}
    response = client.post(reverse("users:objectpermission_add"), data)
    assert response.status_code == 200
    assert "审计员只能查看审计记录" in response.content.decode()
    assert not ObjectPermission.objects.filter(name="审计员查看企业").exists()
