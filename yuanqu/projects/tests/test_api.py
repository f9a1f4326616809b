"""The key-project REST API: the project book with its light and YTD, plans, milestones,
blockers, and monthly progress recorded as versions through the project services."""

import datetime
import itertools
from decimal import Decimal

from django.urls import reverse

from yuanqu.projects import services
from yuanqu.projects.models import Blocker, KeyProject, Milestone, MonthlyProgress, ProjectYearPlan
from yuanqu.utilities.testing.api import ALL, APIViewTestCases, result_ids

_serial = itertools.count(1)


def project_of(department, plan=None, year=2023):
    project = KeyProject.objects.create(
        code=f"ZD-T{next(_serial):03d}",
        name="测试重点项目",
        type="industry",
        total_investment_wan=Decimal("5000"),
        department=department,
    )
    if plan is not None:
        ProjectYearPlan.objects.create(
            project=project, year=year, level="district", annual_plan_wan=Decimal(plan)
        )
    return project


def report(project, month, amount, reason="", year=2023):
    return services.record_progress(
        project, datetime.date(year, month, 1), month_investment_wan=Decimal(amount), reason=reason
    )


class ChildCase:
    """A project's child record: moving it out means moving it to another department's project."""

    url_namespace = "projects-api"
    base_grants = [("projects.keyproject", ["view"], ALL), ("users.department", ["view"], ALL)]

    def move_out_data(self, department):
        return {"project": project_of(department).pk}


class TestKeyProjectAPI(APIViewTestCases.APIViewTestCase):
    model = KeyProject
    url_namespace = "projects-api"
    base_grants = [("users.department", ["view"], ALL)]
    update_data = {"name": "高纯多晶硅二期项目", "liaison": "王联络"}

    def make_record(self, department):
        return project_of(department)

    def create_data(self, department):
        return {
            "code": f"ZD2024-{next(_serial):03d}",
            "name": "新能源电池项目",
            "type": "industry",
            "total_investment_wan": "35000.00",
            "department": department.pk,
        }

    def test_detail_has_light_and_ytd_of_the_month(self):
        project = project_of(self.own_department, plan="1200")
        for month in range(1, 11):
            report(project, month, "100")
        self.grant(["view"])
        response = self.client.get(self.detail_url(project), {"period": "2023-10"})
        assert response.status_code == 200
        status = response.json()["status"]
        expected = services.light(project, datetime.date(2023, 10, 1))
        assert status["period"] == "2023-10"
        assert status["ytd_wan"] == "1000.00"  # ten months of 100
        assert status["annual_plan_wan"] == "1200.00"
        assert Decimal(status["completion"]) == (Decimal(1000) / Decimal(1200)).quantize(Decimal("0.0001"))
        assert status["light"] == expected.light and status["reasons"] == expected.reasons

    def test_detail_defaults_to_the_last_complete_month(self):
        project = project_of(self.own_department)
        self.grant(["view"])
        today = datetime.date.today().replace(day=1)
        last = (today - datetime.timedelta(days=1)).strftime("%Y-%m")
        assert self.client.get(self.detail_url(project)).json()["status"]["period"] == last

    def test_bad_period_is_refused_in_chinese(self):
        project = project_of(self.own_department)
        self.grant(["view"])
        response = self.client.get(self.detail_url(project), {"period": "2023年10月"})
        assert response.status_code == 400
        assert response.json() == {"period": ["月份“2023年10月”格式不对，应为“2023-10”这样的年-月"]}

    def test_list_filters_by_light_of_the_month(self):
        ahead = project_of(self.own_department, plan="1200")
        behind = project_of(self.own_department, plan="1200")
        for month in range(1, 11):
            report(ahead, month, "100")
            report(behind, month, "40")
        self.grant(["view"])
        lights = services.lights_by_project(KeyProject.objects.all(), datetime.date(2023, 10, 1))
        assert lights[ahead.pk].light != lights[behind.pk].light
        response = self.client.get(self.list_url(), {"period": "2023-10", "light": lights[behind.pk].light})
        assert result_ids(response) == {behind.pk}


class TestProjectYearPlanAPI(ChildCase, APIViewTestCases.APIViewTestCase):
    model = ProjectYearPlan
    update_data = {"annual_plan_wan": "1500.00"}

    def make_record(self, department):
        return ProjectYearPlan.objects.create(
            project=project_of(department), year=2024, level="city", annual_plan_wan=Decimal("1000")
        )

    def create_data(self, department):
        return {
            "project": project_of(department).pk,
            "year": 2024,
            "level": "province",
            "annual_plan_wan": "800.00",
        }


class TestMilestoneAPI(ChildCase, APIViewTestCases.APIViewTestCase):
    model = Milestone
    update_data = {"actual_on": "2024-04-02"}

    def make_record(self, department):
        return Milestone.objects.create(
            project=project_of(department), kind="start", planned_on=datetime.date(2024, 3, 1)
        )

    def create_data(self, department):
        return {"project": project_of(department).pk, "kind": "start", "planned_on": "2024-05-01"}


class TestBlockerAPI(ChildCase, APIViewTestCases.APIViewTestCase):
    model = Blocker
    update_data = {"resolved_on": "2024-04-10"}

    def make_record(self, department):
        return Blocker.objects.create(
            project=project_of(department), kind="land", description="用地指标未落实"
        )

    def create_data(self, department):
        return {"project": project_of(department).pk, "kind": "power", "description": "临时用电未接入"}


class TestMonthlyProgressAPI(
    ChildCase,
    APIViewTestCases.ListObjectsTestCase,
    APIViewTestCases.GetObjectTestCase,
    APIViewTestCases.CreateObjectTestCase,
):
    model = MonthlyProgress

    def make_record(self, department):
        return report(project_of(department), 3, "120")

    def create_data(self, department):
        return {"project": project_of(department).pk, "period": "2024-03", "month_investment_wan": "120.00"}

    def test_a_correction_is_a_new_version_with_a_reason(self):
        project = project_of(self.own_department)
        report(project, 1, "100")
        first = report(project, 2, "50")
        self.grant(["view", "add"])
        data = {"project": project.pk, "period": "2023-02", "month_investment_wan": "80.00"}
        response = self.client.post(self.list_url(), data, format="json")
        assert response.status_code == 400
        assert response.json() == {"reason": ["2023年2月已有第1版月报，更正须填写更正原因"]}
        assert MonthlyProgress.objects.count() == 2
        response = self.client.post(self.list_url(), {**data, "reason": "统计口径调整"}, format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["version"], body["is_current"], body["reported_by"]) == (2, True, self.user.pk)
        assert body["ytd_wan"] == "180.00"  # 100 in January + the corrected 80 in February
        first.refresh_from_db()
        assert not first.is_current
        self.assert_logged(body["id"], "create")

    def test_list_ytd_is_the_service_ytd(self):
        project = project_of(self.own_department)
        for month, amount in ((1, "100"), (2, "50"), (3, "70")):
            report(project, month, amount)
        report(project, 2, "60", reason="更正")
        self.grant(["view"])
        rows = self.client.get(self.list_url(), {"project": project.pk}).json()["results"]
        assert len(rows) == 4
        for row in rows:
            period = datetime.date.fromisoformat(row["period"] + "-01")
            assert row["ytd_wan"] == f"{services.ytd(project, period):.2f}"
        current = {row["period"]: row["ytd_wan"] for row in rows if row["is_current"]}
        assert current == {"2023-01": "100.00", "2023-02": "160.00", "2023-03": "230.00"}

    def test_reports_are_never_edited_or_deleted(self):
        progress = self.make_record(self.own_department)
        self.grant(["view", "add", "change", "delete"])
        url = reverse("projects-api:monthlyprogress-detail", args=[progress.pk])
        assert self.client.patch(url, {"month_investment_wan": "1"}, format="json").status_code == 405
        assert self.client.delete(url).status_code == 405
