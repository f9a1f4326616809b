"""The pages: who may take which step (403 for a non-holder, 404 outside the grant), the
enterprise portal's isolation, the list with its filters and export, my demands, statistics."""

import io
import re

import openpyxl
import pytest
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.demands import services
from yuanqu.demands.models import Demand

from .conftest import at


def text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def step_url(demand, action):
    return reverse(f"demands:demand_{action}", args=[demand.pk])


@pytest.fixture
def other_demand(charlie, other_enterprise, power):
    """Received by charlie (招商局) for 西区光电."""
    return services.receive(
        charlie,
        enterprise=other_enterprise,
        category=power,
        channel="12345",
        external_number="12345-001",
        title="西区道路照明",
        description="厂区门前路灯不亮。",
        received_at=at(2024, 9, 26),
    )


def test_receiver_assigns_through_the_page(client, alice, demand, econ_dept, invest_dept):
    client.force_login(alice)
    page = client.get(demand.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert step_url(demand, "assign") in html and step_url(demand, "forward") in html
    response = client.post(
        step_url(demand, "assign"),
        {"department": econ_dept.pk, "supporting": [invest_dept.pk], "text": "请经发局牵头"},
    )
    assert response.status_code == 302
    demand.refresh_from_db()
    assert demand.status == "assigned" and demand.holder_department == econ_dept
    page = text(client.get(demand.get_absolute_url()))
    assert "请经发局牵头" in page and "受理 → 交办" in page and "招商局" in page


def test_a_colleague_who_does_not_hold_the_step_gets_403(client, bob, demand):
    client.force_login(bob)
    assert client.get(step_url(demand, "assign")).status_code == 403
    assert client.post(step_url(demand, "assign"), {"department": bob.department_id}).status_code == 403
    demand.refresh_from_db()
    assert demand.status == "received"
    page = client.get(demand.get_absolute_url()).content.decode()
    assert step_url(demand, "assign") not in page  # no button for a step bob cannot take


def test_another_department_sees_the_demand_but_gets_403_on_every_step(client, charlie, demand):
    """get_for_action's one rule: 404 only outside the view grant; 招商局 staff may view every
    demand (read-only), so a step they may not take is 403."""
    client.force_login(charlie)
    before = (demand.status, demand.department_id, demand.holder_department_id)
    for action in ("assign", "accept", "answer", "follow_up", "return", "request_extension"):
        assert client.get(step_url(demand, action)).status_code == 403
    assert client.post(step_url(demand, "assign"), {"department": charlie.department_id}).status_code == 403
    demand.refresh_from_db()
    assert (demand.status, demand.department_id, demand.holder_department_id) == before
    assert client.get(demand.get_absolute_url()).status_code == 200


def test_steps_are_inline_forms_on_the_record(client, alice, bob, demand, econ_dept):
    services.assign(demand, alice, econ_dept)
    client.force_login(bob)
    html = client.get(demand.get_absolute_url()).content.decode()
    # Only the steps bob may take now, each a button revealing its form in place.
    assert re.findall(r'<details class="step" id="step-(\w+)"', html) == [
        "accept",
        "return",
        "request_extension",
    ]
    assert f'hx-post="{step_url(demand, "accept")}"' in html and 'id="id_accept_text"' in html
    # Opened without JavaScript, a step's address shows the record with that form open.
    response = client.get(step_url(demand, "accept"))
    assert response.status_code == 302
    assert response["Location"] == f"{demand.get_absolute_url()}?step=accept#step-accept"
    assert '<details class="step" id="step-accept" open>' in client.get(response["Location"]).content.decode()


def test_htmx_step_returns_the_updated_record(client, alice, bob, demand, econ_dept):
    services.assign(demand, alice, econ_dept)
    client.force_login(bob)
    response = client.post(step_url(demand, "accept"), {"text": "已签收"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="record">') and "<html" not in html
    assert "诉求SQ2024-0001已签收。" in text(response) and "交办 → 签收" in text(response)
    assert 'id="step-accept"' not in html and 'id="step-answer"' in html
    demand.refresh_from_db()
    assert demand.status == "accepted"


def test_a_step_with_an_error_keeps_the_input_and_changes_nothing(client, alice, bob, demand, econ_dept):
    services.assign(demand, alice, econ_dept)
    services.accept(demand, bob)
    client.force_login(bob)
    events = demand.events.count()
    # HTMX: the record block with the form open, the error and the input kept.
    response = client.post(
        step_url(demand, "request_extension"),
        {"days": "0", "text": "待现场勘察"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith('<div id="record">')
    assert '<details class="step" id="step-request_extension" open>' in html
    assert "待现场勘察" in html and "确保该值大于或等于1" in text(response)
    # A plain post: the whole page, the same.
    response = client.post(step_url(demand, "answer"), {"text": ""})
    assert response.status_code == 200
    assert '<details class="step" id="step-answer" open>' in response.content.decode()
    assert "该字段是必填项" in text(response)
    demand.refresh_from_db()
    assert demand.status == "accepted" and demand.extension_days is None
    assert demand.events.count() == events


def test_department_staff_answer_and_the_demand_waits(client, alice, bob, demand, econ_dept, enterprise_user):
    services.assign(demand, alice, econ_dept)
    client.force_login(bob)
    assert client.post(step_url(demand, "accept"), {"text": "已签收"}).status_code == 302
    response = client.post(step_url(demand, "answer"), {"text": "已协调完成增容"})
    assert response.status_code == 302 and response["Location"] == demand.get_absolute_url()
    demand.refresh_from_db()
    assert demand.status == "answered" and demand.answer == "已协调完成增容"
    page = client.get(demand.get_absolute_url())
    assert page.context["steps"] == []  # nothing left for the holder: the enterprise confirms
    assert "等待企业在企业端确认办结或要求重新办理" in text(page)
    # The holder cannot record a call-back for an enterprise with an account.
    assert (
        client.post(step_url(demand, "follow_up"), {"satisfaction": "satisfied", "contact": "张"}).status_code
        == 403
    )
    demand.refresh_from_db()
    assert demand.status == "answered"


def test_holder_records_the_call_back(client, alice, bob, demand, econ_dept):
    """东区精密机械 has no account here: the holder calls back and records it."""
    services.assign(demand, alice, econ_dept)
    services.accept(demand, bob)
    services.answer(demand, bob, "已协调完成增容")
    client.force_login(bob)
    page = client.get(demand.get_absolute_url())
    assert [s["action"] for s in page.context["steps"]] == ["reopen", "follow_up"]
    assert "企业无企业端账号，由承办部门电话回访后办结" in text(page)
    data = {"contact": "张经理 13800000000", "called_at": "2099-01-01T10:00", "satisfaction": "satisfied"}
    response = client.post(step_url(demand, "follow_up"), data)
    assert "回访时间不能晚于当前时间" in text(response) and "张经理 13800000000" in response.content.decode()
    demand.refresh_from_db()
    assert demand.status == "answered"
    data["called_at"] = ""
    assert client.post(step_url(demand, "follow_up"), data).status_code == 302
    demand.refresh_from_db()
    assert demand.status == "closed" and demand.follow_up_contact == "张经理 13800000000"
    page = text(client.get(demand.get_absolute_url()))
    assert "承办部门电话回访张经理 13800000000" in page and "回访 · 李波 · 已答复待确认 → 办结" in page


def test_illegal_step_through_the_page_is_403(client, alice, demand):
    client.force_login(alice)
    # A call-back is not a step a received demand offers: the page refuses it.
    assert (
        client.post(step_url(demand, "follow_up"), {"satisfaction": "satisfied", "contact": "张"}).status_code
        == 403
    )
    demand.refresh_from_db()
    assert demand.status == "received"


def test_leader_approves_the_extension(client, alice, bob, leader, demand, econ_dept):
    services.assign(demand, alice, econ_dept, at=at(2024, 9, 27))
    services.accept(demand, bob)
    client.force_login(bob)
    assert (
        client.post(step_url(demand, "request_extension"), {"days": 3, "text": "待现场勘察"}).status_code
        == 302
    )
    assert client.get(step_url(demand, "approve_extension")).status_code == 403  # staff lack the grant
    client.force_login(leader)
    assert "批准延期" in text(client.get(demand.get_absolute_url()))
    assert client.post(step_url(demand, "approve_extension"), {"text": "同意"}).status_code == 302
    demand.refresh_from_db()
    assert str(demand.due_on) == "2024-10-14"


def test_enterprise_portal_submits_follows_and_rates(
    client, enterprise_user, alice, bob, owned_enterprise, other_enterprise, power, econ_dept, other_demand
):
    client.force_login(enterprise_user)
    form = client.get(reverse("demands:demand_add"))
    assert form.status_code == 200 and "enterprise" not in form.context["form"].fields
    response = client.post(
        reverse("demands:demand_add"),
        {
            "category": power.pk,
            "title": "申请用电增容",
            "description": "二期投产",
            "enterprise": other_enterprise.pk,
        },
    )
    assert response.status_code == 302
    demand = Demand.objects.get(title="申请用电增容")
    assert demand.enterprise == owned_enterprise  # fixed to theirs, whatever was posted
    assert demand.channel == "portal"
    assert demand.holder_department == econ_dept and demand.holder_user is None
    # Nothing of the other company: not in the list, 404 on its page and steps.
    listing = text(client.get(reverse("demands:demand_list")))
    assert "申请用电增容" in listing and "西区道路照明" not in listing
    assert client.get(other_demand.get_absolute_url()).status_code == 404
    assert client.get(step_url(other_demand, "follow_up")).status_code == 404
    # The department handles it; the enterprise confirms the answer from its list.
    client.force_login(alice)
    assert client.post(step_url(demand, "assign"), {"department": econ_dept.pk}).status_code == 302
    demand.refresh_from_db()
    services.accept(demand, bob)
    services.answer(demand, bob, "已安排增容")
    client.force_login(enterprise_user)
    mine = text(client.get(reverse("demands:my_demands")))
    assert demand.number in mine and "确认办结" in mine
    listing = client.get(reverse("demands:demand_list"))
    waiting = text(listing).split("待您确认的答复（1）")[1]
    assert "已安排增容" in waiting and "满意 基本满意 不满意 重新办理" in waiting
    page = client.get(demand.get_absolute_url())
    assert [s["action"] for s in page.context["steps"]] == ["confirm", "reopen"]
    response = client.post(
        step_url(demand, "confirm"), {"satisfaction": "basically", "next": reverse("demands:demand_list")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("demands:demand_list")
    demand.refresh_from_db()
    assert demand.status == "closed" and demand.satisfaction == "basically"
    assert "待您确认的答复" not in text(client.get(reverse("demands:demand_list")))


def test_enterprise_reopens_with_its_reason(client, alice, bob, demand, econ_dept, enterprise_user):
    services.assign(demand, alice, econ_dept)
    services.accept(demand, bob)
    services.answer(demand, bob, "已安排增容")
    client.force_login(enterprise_user)
    response = client.post(step_url(demand, "reopen"), {"text": ""}, headers={"HX-Request": "true"})
    assert "该字段是必填项" in text(response)
    demand.refresh_from_db()
    assert demand.status == "answered"
    response = client.post(step_url(demand, "reopen"), {"text": "仍然跳闸"}, headers={"HX-Request": "true"})
    assert "诉求SQ2024-0001已重新办理。" in text(response)
    demand.refresh_from_db()
    assert demand.status == "in_progress"
    client.force_login(bob)
    page = text(client.get(demand.get_absolute_url()))
    assert (
        "不满意，要求重新办理：仍然跳闸" in page and "重新办理 · 企业填报员 · 已答复待确认 → 办理中" in page
    )


def test_other_enterprise_user_cannot_rate(client, alice, bob, demand, econ_dept, other_enterprise):
    from yuanqu.users.choices import Role
    from yuanqu.utilities.testing import factories as f

    stranger = f.user("stranger", Role.ENTERPRISE, other_enterprise.department, enterprise=other_enterprise)
    services.assign(demand, alice, econ_dept)
    services.accept(demand, bob)
    services.answer(demand, bob, "答复")
    client.force_login(stranger)
    assert client.post(step_url(demand, "confirm"), {"satisfaction": "satisfied"}).status_code == 404
    demand.refresh_from_db()
    assert demand.status == "answered" and demand.satisfaction == ""


def test_grid_worker_receives_in_their_zone(client, grid_worker, owned_enterprise, other_enterprise, power):
    client.force_login(grid_worker)
    form = client.get(reverse("demands:demand_add")).context["form"]
    assert list(form.fields["enterprise"].queryset) == [owned_enterprise]
    data = {
        "enterprise": owned_enterprise.pk,
        "category": power.pk,
        "channel": "visit",
        "title": "走访发现",
        "description": "缺工",
    }
    assert client.post(reverse("demands:demand_add"), data).status_code == 302
    demand = Demand.objects.get(title="走访发现")
    assert demand.holder_department == grid_worker.department
    data["enterprise"] = other_enterprise.pk
    response = client.post(reverse("demands:demand_add"), data)
    assert response.status_code == 200 and "选择一个有效的选项" in text(response)


def test_12345_needs_its_ticket_number(client, alice, owned_enterprise, power):
    client.force_login(alice)
    data = {
        "enterprise": owned_enterprise.pk,
        "category": power.pk,
        "channel": "12345",
        "title": "t",
        "description": "d",
    }
    response = client.post(reverse("demands:demand_add"), data)
    assert "12345热线转来的诉求请填写外部工单号" in text(response)


def test_list_filters_and_export(client, leader, demand, other_demand):
    client.force_login(leader)
    url = reverse("demands:demand_list")
    both = text(client.get(url))
    assert demand.number in both and other_demand.number in both
    only = text(client.get(url, {"channel": "12345"}))
    assert other_demand.number in only and demand.number not in only
    red = text(client.get(url, {"light": "red"}))  # both deadlines are long past
    assert demand.number in red
    period = text(client.get(url, {"received_from": "2024-09-27", "received_to": "2024-09-27"}))
    assert demand.number in period and other_demand.number not in period
    response = client.get(url, {"export": "xlsx", "channel": "visit"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "编号" and "亮灯" in rows[0]
    assert [r[0] for r in rows[1:]] == [demand.number]
    assert rows[1][rows[0].index("亮灯")] == "红灯"
    assert AuditEvent.objects.filter(kind="export").count() == 1


def test_staff_cannot_export(client, alice, demand):
    client.force_login(alice)
    assert client.get(reverse("demands:demand_list"), {"export": "xlsx"}).status_code == 403


def test_my_demands_orders_by_deadline(client, alice, owned_enterprise, power, demand):
    later = services.receive(
        alice,
        enterprise=owned_enterprise,
        category=power,
        channel="visit",
        title="后到",
        description="d",
        received_at=at(2024, 10, 15),
    )
    client.force_login(alice)
    page = text(client.get(reverse("demands:my_demands")))
    assert page.index(demand.number) < page.index(later.number)


def test_statistics_page(client, leader, demand):
    client.force_login(leader)
    page = text(client.get(reverse("demands:statistics"), {"start": "2024-01-01", "end": "2024-12-31"}))
    assert "受理诉求 1 件" in page and "经济发展局" in page
    bad = text(client.get(reverse("demands:statistics"), {"start": "2024-12-31", "end": "2024-01-01"}))
    assert "截止日期不能早于起始日期" in bad


def test_navigation_shows_the_module(client, alice):
    client.force_login(alice)
    assert reverse("demands:demand_list") in client.get("/").content.decode()
