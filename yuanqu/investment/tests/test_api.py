"""The investment REST API: leads (stage changes only through ``move``), their events, funds
in place and talent; each restricted like the pages."""

import datetime
import itertools

from django.urls import reverse

from yuanqu.investment.models import FundsInPlace, Lead, LeadEvent, TalentIntroduction
from yuanqu.projects.models import KeyProject
from yuanqu.utilities.testing.api import ALL, OWN_DEPARTMENT, APIViewTestCases, result_ids

from .conftest import make_lead

_serial = itertools.count(1)


def lead_of(department, **extra):
    return make_lead(f"测试招商项目{next(_serial)}", department, **extra)


class TestLeadAPI(APIViewTestCases.APIViewTestCase):
    model = Lead
    url_namespace = "investment-api"
    base_grants = [("users.department", ["view"], ALL)]
    update_data = {"investor": "杭州新能源投资有限公司", "origin_city": "杭州"}

    def make_record(self, department):
        return lead_of(department)

    def create_data(self, department):
        return {
            "name": f"苏州光伏组件项目{next(_serial)}",
            "investor": "苏州光伏有限公司",
            "origin_region": "yangtze",
            "source": "expo",
            "lead_on": "2024-03-01",
            "contracted_investment_wan": "12000.00",
            "department": department.pk,
        }

    def move_url(self, lead):
        return reverse("investment-api:lead-move", args=[lead.pk])

    def test_create_opens_the_lead_with_its_first_event(self):
        self.grant(["view", "add"])
        response = self.client.post(self.list_url(), self.create_data(self.own_department), format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["stage"] == "lead" and response.json()["stage_changed_on"] == "2024-03-01"
        event = LeadEvent.objects.get(lead_id=response.json()["id"])
        assert (event.to_stage, event.actor, event.note) == ("lead", self.user, "登记线索")

    def test_stage_cannot_be_patched(self):
        lead = lead_of(self.own_department)
        self.grant(["view", "change"])
        before = self.snapshot(lead)
        response = self.client.patch(self.detail_url(lead), {"stage": "signed"}, format="json")
        assert response.status_code == 400
        assert "move" in response.json()["stage"][0]
        self.assert_unchanged(lead, before)

    def test_move_to_next_stage_records_the_event(self):
        lead = lead_of(self.own_department)
        self.grant(["view", "change"])
        response = self.client.post(self.move_url(lead), {"stage": "negotiating"}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["stage"] == "negotiating"
        event = LeadEvent.objects.get(lead=lead)
        assert (event.from_stage, event.to_stage, event.actor) == ("lead", "negotiating", self.user)
        change = self.assert_logged(lead.pk, "update")
        assert change.postchange_data["stage"] == "negotiating"

    def test_skipping_a_stage_needs_a_reason(self):
        lead = lead_of(self.own_department)
        self.grant(["view", "change"])
        before = self.snapshot(lead)
        response = self.client.post(self.move_url(lead), {"stage": "signed"}, format="json")
        assert response.status_code == 400
        assert response.json()["stage"] == ["从“线索”到“签约”跳过了阶段，须填写原因"]
        self.assert_unchanged(lead, before)
        assert not LeadEvent.objects.filter(lead=lead).exists()
        response = self.client.post(
            self.move_url(lead), {"stage": "signed", "reason": "市领导现场签约"}, format="json"
        )
        assert response.status_code == 200
        assert LeadEvent.objects.get(lead=lead).note == "市领导现场签约"

    def test_move_needs_change_and_stays_inside_the_grant(self):
        own, other = lead_of(self.own_department), lead_of(self.other_department)
        data = {"stage": "negotiating"}
        self.assert_refused(self.client.post(self.move_url(own), data, format="json"), 403)  # no grant
        self.grant(["view"], OWN_DEPARTMENT)
        response = self.client.post(self.move_url(own), data, format="json")
        self.assert_refused(response, 403)  # sees it, may not change it
        self.assert_refused(self.client.post(self.move_url(other), data, format="json"), 404)
        assert Lead.objects.get(pk=own.pk).stage == "lead"
        assert not LeadEvent.objects.exists()

    def test_key_project_is_picked_among_visible_projects(self):
        lead = lead_of(self.own_department)
        own = KeyProject.objects.create(
            code="ZD2024-001",
            name="宁波锂电池一期",
            type="industry",
            total_investment_wan=1,
            department=self.own_department,
        )
        hidden = KeyProject.objects.create(
            code="ZD2024-002",
            name="外部门项目",
            type="industry",
            total_investment_wan=1,
            department=self.other_department,
        )
        self.grant(["view", "change"])
        self.grant(["view"], OWN_DEPARTMENT, model=KeyProject)
        response = self.client.patch(self.detail_url(lead), {"key_project": hidden.pk}, format="json")
        assert response.status_code == 400
        assert response.json() == {"key_project": [f"编号为 {hidden.pk} 的记录不存在或您无权查看。"]}
        response = self.client.patch(self.detail_url(lead), {"key_project": own.pk}, format="json")
        assert response.status_code == 200 and response.json()["key_project"] == own.pk
        assert self.assert_logged(lead.pk, "update").postchange_data["key_project"] == own.pk

    def test_list_uses_the_page_filters(self):
        pearl = lead_of(self.own_department, origin_region="pearl")
        lead_of(self.own_department)
        self.grant(["view"])
        assert result_ids(self.client.get(self.list_url(), {"origin_region": "pearl"})) == {pearl.pk}


class TestLeadEventAPI(APIViewTestCases.ListObjectsTestCase, APIViewTestCases.GetObjectTestCase):
    model = LeadEvent
    url_namespace = "investment-api"

    def make_record(self, department):
        lead = lead_of(department)
        return LeadEvent.objects.create(lead=lead, to_stage="lead", date=lead.lead_on, note="登记线索")

    def test_events_are_read_only(self):
        event = self.make_record(self.own_department)
        self.grant(["view", "add", "change", "delete"])
        assert self.client.patch(self.detail_url(event), {"note": "改"}, format="json").status_code == 405
        assert self.client.delete(self.detail_url(event)).status_code == 405


class TestFundsInPlaceAPI(APIViewTestCases.APIViewTestCase):
    model = FundsInPlace
    url_namespace = "investment-api"
    base_grants = [("investment.lead", ["view"], ALL)]
    update_data = {"amount_wan": "4500.00"}

    def make_record(self, department):
        return FundsInPlace.objects.create(
            lead=lead_of(department), date=datetime.date(2024, 5, 1), kind="out_of_province", amount_wan=3000
        )

    def create_data(self, department):
        return {
            "lead": lead_of(department).pk,
            "date": "2024-06-01",
            "kind": "foreign",
            "amount_wan": "800.00",
        }

    def move_out_data(self, department):
        return {"lead": lead_of(department).pk}

    def test_amount_must_be_positive(self):
        self.grant(["view", "add"])
        data = {**self.create_data(self.own_department), "amount_wan": "0"}
        response = self.client.post(self.list_url(), data, format="json")
        assert response.status_code == 400
        assert response.json() == {"amount_wan": ["到位资金须大于0"]}
        assert not FundsInPlace.objects.exists()


class TestTalentIntroductionAPI(APIViewTestCases.APIViewTestCase):
    model = TalentIntroduction
    url_namespace = "investment-api"
    base_grants = [("investment.lead", ["view"], ALL)]
    update_data = {"count": 5}

    def make_record(self, department):
        return TalentIntroduction.objects.create(
            lead=lead_of(department), date=datetime.date(2024, 5, 1), tier="high", count=2
        )

    def create_data(self, department):
        return {"lead": lead_of(department).pk, "date": "2024-06-01", "tier": "leading", "count": 1}

    def move_out_data(self, department):
        return {"lead": lead_of(department).pk}
