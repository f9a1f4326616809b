"""Lead → key project: a lead that reaches 开工 is linked to its key project, picked among
those the user may see or created from the lead through the normal project form."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.investment.models import Lead
from yuanqu.projects.models import KeyProject
from yuanqu.users.models import ObjectPermission

from .test_views import text


def lead_changes(lead):
    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Lead), object_id=str(lead.pk), action="update"
    )


def project(code, name, department):
    return KeyProject.objects.create(
        code=code, name=name, type="industry", total_investment_wan=Decimal("50000"), department=department
    )


def start(lead):
    Lead.objects.filter(pk=lead.pk).update(stage="started")
    lead.refresh_from_db()


def test_started_lead_without_project_asks_for_one(client, alice, lead):
    start(lead)
    client.force_login(alice)
    page = text(client.get(lead.get_absolute_url()))
    assert "项目已开工，尚未关联重点项目" in page
    assert "创建重点项目" in page


def test_move_to_started_reminds_to_link(client, alice, lead):
    Lead.objects.filter(pk=lead.pk).update(stage="registered")
    client.force_login(alice)
    response = client.post(reverse("investment:lead_move", args=[lead.pk]), {"to": "started"}, follow=True)
    assert "项目已开工，请在“重点项目”栏关联或创建重点项目" in text(response)


def test_picker_offers_only_visible_projects_and_links(
    client, grid_worker, alice, lead, econ_dept, invest_dept
):
    mine = project("ZD2024-001", "宁波锂电池一期", econ_dept)
    project("ZD2024-002", "深圳电子元器件厂房", invest_dept)
    client.force_login(alice)
    page = client.get(lead.get_absolute_url()).content.decode()
    assert "宁波锂电池一期" in page and "深圳电子元器件厂房" in page  # staff see every project

    response = client.post(reverse("investment:lead_link_project", args=[lead.pk]), {"key_project": mine.pk})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.key_project == mine
    change = lead_changes(lead).get()
    assert change.user_id == alice.pk
    assert change.postchange_data["key_project"] == mine.pk
    page = text(client.get(lead.get_absolute_url()))
    assert "ZD2024-001 宁波锂电池一期" in page
    assert list(mine.leads.all()) == [lead]  # the project side reaches its lead


def test_picker_refuses_a_project_the_user_cannot_see(client, alice, lead, econ_dept, invest_dept):
    hidden = project("ZD2024-009", "看不到的项目", invest_dept)

    # Narrow alice's view of key projects to her own department.
    ObjectPermission.objects.filter(model="projects.keyproject", constraint="all").update(enabled=False)
    ObjectPermission.objects.create(
        name="测试-本部门重点项目",
        user=alice,
        model="projects.keyproject",
        actions=["view"],
        constraint="own_department",
    )
    client.force_login(alice)
    assert "看不到的项目" not in client.get(lead.get_absolute_url()).content.decode()
    response = client.post(
        reverse("investment:lead_link_project", args=[lead.pk]), {"key_project": hidden.pk}, follow=True
    )
    assert "未关联：所选重点项目不存在或您无权查看" in text(response)
    lead.refresh_from_db()
    assert lead.key_project is None
    assert not lead_changes(lead).exists()


def test_link_needs_change_on_the_lead(client, charlie, grid_worker, lead, econ_dept):
    target = project("ZD2024-001", "宁波锂电池一期", econ_dept)
    url = reverse("investment:lead_link_project", args=[lead.pk])
    client.force_login(charlie)  # 招商局 staff: sees the lead, may not change it
    assert client.post(url, {"key_project": target.pk}).status_code == 403
    client.force_login(grid_worker)  # no grant on leads at all
    assert client.post(url, {"key_project": target.pk}).status_code == 404
    lead.refresh_from_db()
    assert lead.key_project is None


def test_create_project_from_lead_prefills_and_links_back(client, alice, lead, owned_enterprise, econ_dept):
    Lead.objects.filter(pk=lead.pk).update(stage="started", enterprise=owned_enterprise)
    client.force_login(alice)
    url = reverse("investment:lead_add_project", args=[lead.pk])
    form = client.get(url).context["form"]
    assert form.initial["name"] == "宁波锂电池项目"
    assert form.initial["enterprise"] == owned_enterprise.pk
    assert form.initial["total_investment_wan"] == Decimal("35000")
    assert form.initial["department"] == econ_dept.pk
    response = client.post(
        url,
        {
            "code": "ZD2024-010",
            "name": "宁波锂电池项目",
            "enterprise": owned_enterprise.pk,
            "type": "industry",
            "total_investment_wan": "35000",
            "department": econ_dept.pk,
        },
    )
    created = KeyProject.objects.get(code="ZD2024-010")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    lead.refresh_from_db()
    assert lead.key_project == created
    assert lead_changes(lead).get().user_id == alice.pk
    assert ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(KeyProject), object_id=str(created.pk), action="create"
    ).exists()


def test_create_project_outside_grant_saves_nothing(client, alice, lead, invest_dept):
    client.force_login(alice)  # may add key projects of 经济发展局 only
    response = client.post(
        reverse("investment:lead_add_project", args=[lead.pk]),
        {
            "code": "ZD2024-011",
            "name": "外部门项目",
            "type": "industry",
            "total_investment_wan": "100",
            "department": invest_dept.pk,
        },
    )
    assert "超出了您的权限范围" in text(response)
    assert not KeyProject.objects.filter(code="ZD2024-011").exists()
    lead.refresh_from_db()
    assert lead.key_project is None


def test_create_project_refused_without_rights(client, charlie, leader, lead):
    url = reverse("investment:lead_add_project", args=[lead.pk])
    client.force_login(charlie)  # cannot change the lead
    assert client.get(url).status_code == 403
    client.force_login(leader)  # sees leads and projects, adds neither
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "role, expected",
    [
        ("anonymous", 302),
        ("alice", 200),  # staff of the lead's department
        ("charlie", 403),  # sees the lead, may not change it
        ("leader", 403),
        ("grid_worker", 404),
        ("enterprise_user", 404),
        ("sysadmin", 404),
        ("secadmin", 404),
        ("auditor", 404),
    ],
)
def test_create_project_page_answers_each_role(client, request, lead, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("investment:lead_add_project", args=[lead.pk])).status_code == expected
