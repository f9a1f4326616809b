"""The demands REST API: the list and detail restricted like the pages (an enterprise user
sees only its own company's demands), intake through the demands service, and the workflow
steps as POST endpoints that only the holder may take (403), 404 outside the grant."""

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from yuanqu.core.models import ObjectChange
from yuanqu.demands import services
from yuanqu.demands.models import Demand, DemandEvent
from yuanqu.users.choices import Role
from yuanqu.utilities.testing import factories
from yuanqu.utilities.testing.api import APIViewTestCases, result_ids

from .conftest import at

DEMANDS = "/api/demands/"
_serial = itertools.count(1)


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def step(demand, name):
    return reverse(f"demands-api:demand-{name.replace('_', '-')}", args=[demand.pk])


def demand_changes(demand, action):
    return ObjectChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Demand), object_id=str(demand.pk), action=action
    )


class TestDemandAPI(APIViewTestCases.ListObjectsTestCase, APIViewTestCases.GetObjectTestCase):
    model = Demand
    url_namespace = "demands-api"

    def make_record(self, department):
        receiver = factories.user(f"receiver{next(_serial)}", Role.STAFF, department)
        return services.receive(
            receiver,
            enterprise=factories.enterprise(dept=department),
            category=services.Demand.category.field.related_model.objects.get(name="用电"),
            channel="visit",
            title="临时用电增容",
            description="新厂房投产需要增容。",
            received_at=at(2024, 9, 27),
        )


@pytest.fixture
def power_id(power):
    return power.pk


def intake(enterprise, category, **extra):
    return {
        "enterprise": enterprise.pk,
        "category": category.pk,
        "channel": "visit",
        "title": "新厂房临时用电增容",
        "description": "新厂房投产需要增容至800千伏安。",
        "received_at": "2024-09-27T10:00:00+08:00",
        **extra,
    }


def test_staff_receive_through_the_service(alice, owned_enterprise, power):
    response = api(alice).post(DEMANDS, intake(owned_enterprise, power), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    demand = Demand.objects.get(pk=body["id"])
    assert body["number"] == "SQ2024-0001" and body["status"] == "received"
    assert body["holder_user"] == alice.pk and body["department"] == alice.department_id
    assert body["due_on"] == f"{services.deadline(demand.received_at, power.time_limit_workdays):%Y-%m-%d}"
    change = demand_changes(demand, "create").get()
    assert (change.user_id, change.source) == (alice.pk, "api")
    assert DemandEvent.objects.get(demand=demand).action == "receive"


def test_intake_errors_name_the_field_and_save_nothing(alice, owned_enterprise, power):
    data = intake(owned_enterprise, power, channel="12345")
    response = api(alice).post(DEMANDS, data, format="json")
    assert response.status_code == 400
    assert response.json() == {"external_number": ["12345热线转来的诉求请填写外部工单号"]}
    response = api(alice).post(DEMANDS, {**data, "category": 999999}, format="json")
    assert response.status_code == 400 and "category" in response.json()
    assert not Demand.objects.exists()


def test_intake_needs_the_add_grant(auditor, owned_enterprise, power):
    response = api(auditor).post(DEMANDS, intake(owned_enterprise, power), format="json")
    assert response.status_code == 403
    assert not Demand.objects.exists()


def test_enterprise_user_submits_only_for_its_own_company(
    enterprise_user, owned_enterprise, other_enterprise, power
):
    data = intake(other_enterprise, power, channel="hotline")  # tries another company
    response = api(enterprise_user).post(DEMANDS, data, format="json")
    assert response.status_code == 201, response.json()
    demand = Demand.objects.get(pk=response.json()["id"])
    assert demand.enterprise == owned_enterprise and demand.channel == "portal"


def test_enterprise_user_sees_only_its_own_demands(enterprise_user, charlie, demand, other_enterprise, power):
    other = services.receive(
        charlie,
        enterprise=other_enterprise,
        category=power,
        channel="visit",
        title="西区道路照明",
        description="路灯不亮。",
    )
    client = api(enterprise_user)
    assert result_ids(client.get(DEMANDS)) == {demand.pk}
    assert client.get(f"{DEMANDS}{other.pk}/").status_code == 404
    assert client.get(f"{DEMANDS}{demand.pk}/").json()["title"] == "新厂房临时用电增容"


def test_list_uses_the_page_filters(alice, demand, charlie, other_enterprise, power):
    services.receive(
        charlie,
        enterprise=other_enterprise,
        category=power,
        channel="12345",
        external_number="12345-001",
        title="西区道路照明",
        description="路灯不亮。",
    )
    assert result_ids(api(alice).get(DEMANDS, {"channel": "visit"})) == {demand.pk}
    assert result_ids(api(alice).get(DEMANDS, {"q": "西区道路"})) != {demand.pk}


def test_only_the_holder_takes_a_step(alice, bob, charlie, demand, econ_dept):
    response = api(bob).post(step(demand, "assign"), {"department": econ_dept.pk}, format="json")
    assert response.status_code == 403
    assert "SQ2024-0001" in response.json()["detail"] and "交办" in response.json()["detail"]
    # 招商局 staff see the demand but hold no change grant on 经济发展局's: 403 (get_for_action).
    response = api(charlie).post(step(demand, "assign"), {"department": econ_dept.pk}, format="json")
    assert response.status_code == 403
    demand.refresh_from_db()
    assert demand.status == "received"
    assert not demand_changes(demand, "update").exists()


def test_the_workflow_through_the_api(alice, bob, enterprise_user, demand, econ_dept, invest_dept):
    response = api(alice).post(
        step(demand, "assign"),
        {"department": econ_dept.pk, "supporting": [invest_dept.pk], "text": "请经发局牵头"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "assigned"
    assert response.json()["supporting_departments"] == [invest_dept.pk]
    step_changes = demand_changes(demand, "update").order_by("pk")
    # The step itself, then the 协办部门 it named (a link, logged as its own update).
    assert [c.postchange_data.get("status") for c in step_changes] == ["assigned", None]
    assert step_changes[1].prechange_data == {"supporting_departments": []}
    assert step_changes[1].postchange_data == {"supporting_departments": [invest_dept.pk]}
    assert {(c.user_id, c.source) for c in step_changes} == {(alice.pk, "api")}

    assert api(bob).post(step(demand, "accept"), {}, format="json").json()["status"] == "accepted"
    response = api(bob).post(step(demand, "answer"), {"text": ""}, format="json")
    assert response.status_code == 400 and "text" in response.json()
    response = api(bob).post(
        step(demand, "answer"), {"text": "已协调供电公司，10月8日前完成增容。"}, format="json"
    )
    assert response.json()["status"] == "answered"
    # The holder cannot close it: the enterprise (it has an account) confirms, not a call-back.
    response = api(bob).post(step(demand, "confirm"), {"satisfaction": "satisfied"}, format="json")
    assert response.status_code == 403 and "确认办结" in response.json()["detail"]
    response = api(bob).post(
        step(demand, "follow_up"), {"satisfaction": "satisfied", "contact": "张经理"}, format="json"
    )
    assert response.status_code == 403
    demand.refresh_from_db()
    assert demand.status == "answered" and demand.events.count() == 4
    response = api(enterprise_user).post(step(demand, "confirm"), {"text": "很好"}, format="json")
    assert response.status_code == 400 and "satisfaction" in response.json()
    response = api(enterprise_user).post(
        step(demand, "confirm"), {"satisfaction": "satisfied", "text": "很好"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "closed" and response.json()["satisfaction"] == "satisfied"
    actions = list(DemandEvent.objects.filter(demand=demand).values_list("action", flat=True))
    assert actions == ["receive", "assign", "accept", "answer", "confirm"]


def test_reopen_and_call_back_through_the_api(alice, bob, demand, econ_dept):
    """No enterprise account here: the holder reopens or records the call-back."""
    services.assign(demand, alice, econ_dept)
    services.accept(demand, bob)
    services.answer(demand, bob, "已答复")
    response = api(bob).post(step(demand, "reopen"), {"text": "电话回访：仍未解决"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "in_progress"
    demand.refresh_from_db()
    services.answer(demand, bob, "再次答复")
    response = api(bob).post(
        step(demand, "follow_up"),
        {"satisfaction": "basically", "contact": "张经理 13800000000", "called_at": "2000-01-01T10:00"},
        format="json",
    )
    assert response.status_code == 400
    assert "回访时间不能早于答复时间" in response.json()["non_field_errors"][0]
    response = api(bob).post(
        step(demand, "follow_up"),
        {"satisfaction": "basically", "contact": "张经理 13800000000"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["satisfaction"], body["follow_up_contact"]) == (
        "closed",
        "basically",
        "张经理 13800000000",
    )


def test_a_step_not_allowed_in_the_status_is_refused(alice, demand):
    response = api(alice).post(
        step(demand, "follow_up"), {"satisfaction": "satisfied", "contact": "张"}, format="json"
    )
    assert response.status_code == 403
    assert "当前状态“受理”" in response.json()["detail"]


def test_detail_carries_the_handling_record(enterprise_user, alice, demand, econ_dept):
    services.assign(demand, alice, econ_dept, text="请经发局牵头")
    events = api(enterprise_user).get(f"{DEMANDS}{demand.pk}/").json()["events"]
    assert [(e["action"], e["actor"], e["text"]) for e in events] == [
        ("receive", alice.pk, ""),
        ("assign", alice.pk, "请经发局牵头"),
    ]
