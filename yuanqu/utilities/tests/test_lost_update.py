"""No lost update on the edit pages (issue 12, finding 4).

Every CRUD edit page runs the shared ``test_edit_from_a_stale_page_is_refused``
(``utilities/testing/views.py``, ``EditObjectViewTestCase``: a colleague saves meanwhile, the
stale page is refused, their values and only their change kept); ``test_crud_coverage`` makes
sure every edit page has that case. Here: what the refusal says, and what happens next.
"""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from yuanqu.core.models import ObjectChange
from yuanqu.enterprises.models import Contact, Enterprise
from yuanqu.supervision.models import Task, TaskMilestone, WorkPoint
from yuanqu.tests.test_crud_coverage import collected_view_cases, crud_pages
from yuanqu.utilities.concurrency import VERSION_FIELD, version_of
from yuanqu.utilities.testing.changes import assert_nothing_changed
from yuanqu.utilities.testing.views import ViewTestCases, form_post_data, formset_post_data

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def opened(client, url) -> dict:
    """The edit page as a user opens it and would post it unchanged."""
    response = client.get(url)
    assert response.status_code == 200
    return {**formset_post_data(response.context.get("formset")), **form_post_data(response.context["form"])}


def alert(response) -> str:
    """The form's error block, as text."""
    page = response.content.decode()
    match = re.search(r'<div class="msg error" role="alert">(.*?)</div>\s*</div>', page, re.S)
    assert match, "no form error shown"
    return re.sub(r"<[^>]+>", "", match.group(1))


@pytest.fixture
def edit_url(owned_enterprise):
    return reverse("enterprises:enterprise_edit", args=[owned_enterprise.pk])


def test_every_edit_page_runs_the_stale_page_case():
    """The lost-update case is part of every edit page's shared case, so no edit page of
    the URL registry goes without it."""
    cases = collected_view_cases()
    edit_models = {model for name, (model, _) in crud_pages().items() if name.endswith("_edit")}
    assert len(edit_models) >= 20
    covered = {
        cls.model
        for cls in cases
        if issubclass(cls, ViewTestCases.EditObjectViewTestCase)
        and hasattr(cls, "test_edit_from_a_stale_page_is_refused")
    }
    assert edit_models - covered == set()


def test_the_refusal_names_who_changed_what_when(alice, bob, owned_enterprise, edit_url):
    mine = opened(login(alice), edit_url)
    theirs = opened(login(bob), edit_url)
    assert mine[VERSION_FIELD] == theirs[VERSION_FIELD] == version_of(owned_enterprise)
    theirs.update(name="东区精密机械股份有限公司", address="东区创新路8号")
    assert login(bob).post(edit_url, theirs).status_code == 302

    mine["comments"] = "王丽补充的备注"
    with assert_nothing_changed(Enterprise):
        response = login(alice).post(edit_url, mine)
    assert response.status_code == 200
    text = alert(response)
    now = timezone.localtime().strftime("%H:%M")
    assert text.startswith(f"该记录已被他人修改（李波，{now}）："), text
    assert f"企业名称：{owned_enterprise.name} → 东区精密机械股份有限公司" in text
    assert "东区创新路8号" in text and "未保存" in text
    # the user's input is still there, with the version they have now been shown
    assert "王丽补充的备注" in response.content.decode()
    assert response.context["form"][VERSION_FIELD].value() == str(version_of(owned_enterprise))
    assert Enterprise.objects.get(pk=owned_enterprise.pk).name == "东区精密机械股份有限公司"


def test_saving_again_after_the_refusal_goes_through(alice, bob, owned_enterprise, edit_url):
    alice_client = login(alice)
    mine = {**opened(alice_client, edit_url), "comments": "王丽补充的备注"}
    theirs = {**opened(login(bob), edit_url), "address": "东区创新路8号"}
    assert login(bob).post(edit_url, theirs).status_code == 302
    refused = alice_client.post(edit_url, mine)
    assert refused.status_code == 200
    again = form_post_data(refused.context["form"])  # pressing 保存 again on the page shown
    assert again[VERSION_FIELD] == str(version_of(owned_enterprise))
    assert alice_client.post(edit_url, again).status_code == 302
    saved = Enterprise.objects.get(pk=owned_enterprise.pk)
    assert (saved.comments, saved.address) == ("王丽补充的备注", "东区创新路8号")  # his change stays
    assert [
        c.user_id
        for c in ObjectChange.objects.filter(object_id=str(saved.pk), action="update").order_by("pk")
    ] == [
        bob.pk,
        alice.pk,
    ]


def test_the_page_shown_again_takes_their_changes_where_the_user_changed_nothing(
    alice, bob, owned_enterprise, edit_url
):
    """A field someone else changed and the user left alone shows the stored value; a field
    both changed keeps the user's input (the message shows what the other person wrote)."""
    alice_client = login(alice)
    mine = {**opened(alice_client, edit_url), "name": "东区精密机械集团有限公司"}
    theirs = {**opened(login(bob), edit_url), "name": "东区精密机械股份有限公司", "address": "东区创新路8号"}
    assert login(bob).post(edit_url, theirs).status_code == 302
    response = alice_client.post(edit_url, mine)
    form = response.context["form"]
    assert form["address"].value() == "东区创新路8号"
    assert form["name"].value() == "东区精密机械集团有限公司"
    assert "企业名称：" in alert(response) and "东区精密机械股份有限公司" in alert(response)

    def others(data):  # every other field, as posted
        return {
            k: str(v) for k, v in data.items() if k not in ("address", VERSION_FIELD) and v not in ("", None)
        }

    assert others(form_post_data(form)) == others(mine)


def test_a_page_without_a_version_is_refused_with_a_reason(alice, owned_enterprise, edit_url):
    """A page opened before the versions existed (or a hand-made post) is not trusted."""
    data = opened(login(alice), edit_url)
    del data[VERSION_FIELD]
    data["comments"] = "旧页面提交"
    with assert_nothing_changed(Enterprise):
        response = login(alice).post(edit_url, data)
    assert response.status_code == 200
    assert "此页面没有记录版本" in alert(response)
    assert response.context["form"][VERSION_FIELD].value() == str(version_of(owned_enterprise))


def test_a_save_that_changes_nothing_leaves_other_pages_current(alice, bob, owned_enterprise, edit_url):
    """Pressing 保存 on an untouched page writes no change, so it makes no one's page stale."""
    mine = {**opened(login(alice), edit_url), "comments": "王丽补充的备注"}
    before = version_of(owned_enterprise)
    assert login(bob).post(edit_url, opened(login(bob), edit_url)).status_code == 302
    assert version_of(owned_enterprise) == before
    assert login(alice).post(edit_url, mine).status_code == 302
    assert Enterprise.objects.get(pk=owned_enterprise.pk).comments == "王丽补充的备注"


def test_a_form_error_keeps_the_version_the_page_was_opened_at(alice, bob, owned_enterprise, edit_url):
    alice_client = login(alice)
    mine = opened(alice_client, edit_url)
    opened_at = mine[VERSION_FIELD]
    assert (
        login(bob).post(edit_url, {**opened(login(bob), edit_url), "address": "东区创新路8号"}).status_code
        == 302
    )
    response = alice_client.post(edit_url, {**mine, "name": ""})
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert response.context["form"][VERSION_FIELD].value() == str(opened_at)  # still stale
    fixed = alice_client.post(edit_url, {**mine, "comments": "改好了"})
    assert fixed.status_code == 200 and "李波" in alert(fixed)


def test_a_masked_field_stays_masked_in_the_refusal(alice, charlie, owned_enterprise, econ_dept):
    """What changed is shown as the history shows it: a mobile masked for a user without
    ``view_personal`` on the enterprise."""
    from yuanqu.users.models import ObjectPermission

    contact = Contact.objects.create(enterprise=owned_enterprise, name="周敏", mobile="13812345678")
    ObjectPermission.objects.create(
        name="跨部门修改联系人",
        user=charlie,
        model="enterprises.contact",
        actions=["view", "change"],
        constraint="all",
    )
    ObjectPermission.objects.create(
        name="跨部门查看企业",
        user=charlie,
        model="enterprises.enterprise",
        actions=["view"],
        constraint="all",
    )
    url = reverse("enterprises:contact_edit", args=[contact.pk])
    charlie_client = login(charlie)
    stale = {**opened(charlie_client, url), "position": "财务"}
    assert login(alice).post(url, {**opened(login(alice), url), "mobile": "13987654321"}).status_code == 302
    text = alert(charlie_client.post(url, stale))
    assert "王丽" in text and "139****4321" in text and "13987654321" not in text


def test_child_rows_changed_elsewhere_make_the_page_stale(inspector, econ_dept, leader):
    """A page that edits child rows too (a task's milestones) is stale when a milestone
    changed: saving it would put the old milestone back."""
    point = WorkPoint.objects.create(year=2025, number="01", title="优化营商环境", source="work_point")
    task = Task.objects.create(
        number="DB2025-001",
        work_point=point,
        text="推进企业服务专员制度全覆盖",
        department=econ_dept,
        leader=leader,
        report_cycle="monthly",
        start_on=datetime.date(2025, 1, 2),
        due_on=datetime.date(2025, 9, 30),
        status="on_track",
    )
    milestone = TaskMilestone.objects.create(task=task, text="5月底前摸底", due_on=datetime.date(2025, 5, 31))
    url = reverse("supervision:task_edit", args=[task.pk])
    mine = opened(login(inspector), url)
    milestone.done_on = datetime.date(2025, 5, 28)  # someone records it done meanwhile
    milestone.save()
    with assert_nothing_changed(Task, TaskMilestone):
        response = login(inspector).post(url, mine)
    assert response.status_code == 200
    text = alert(response)
    assert "时间节点“5月底前摸底”完成日期：— → 2025-05-28" in text, text


def test_a_set_of_light_bands_edited_from_a_stale_page_is_refused(leader, sysadmin):
    """A kind's light bands are edited together on one page: the page carries the version of
    the set, and a save after someone else's change to the bands is refused the same way."""
    from yuanqu.projects.models import LightRule

    url = reverse("projects:lightrule_edit", args=["progress"])

    def opened_set(client):
        response = client.get(url)
        return {
            **formset_post_data(response.context["formset"]),
            VERSION_FIELD: response.context["record_version"],
        }

    leader_client, admin_client = login(leader), login(sysadmin)
    mine, theirs = opened_set(leader_client), opened_set(admin_client)
    theirs.update({"form-0-upper": "-20", "form-1-lower": "-20"})
    assert admin_client.post(url, theirs).status_code == 302
    mine.update({"form-2-lower": "-4", "form-1-upper": "-4"})
    with assert_nothing_changed(LightRule):
        response = leader_client.post(url, mine)
    assert response.status_code == 200
    page = response.content.decode()
    assert "该记录已被他人修改（" in page and "→ -20" in page, page
    assert response.context["record_version"] != mine[VERSION_FIELD]
    assert (
        leader_client.post(url, {**mine, VERSION_FIELD: response.context["record_version"]}).status_code
        == 302
    )
