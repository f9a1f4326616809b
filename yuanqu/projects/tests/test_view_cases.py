"""The shared CRUD cases on the key-project pages: the project book, and the child records
added from a project's page (year plans, milestones, blockers, monthly and weekly reports). A
child follows its project's department; its form offers the projects the tester may change.
Views are reached by URL name only (the views module is being split into a package)."""

import datetime
import itertools
from decimal import Decimal

from django.urls import reverse

from yuanqu.projects.choices import BlockerKind, MilestoneKind, ProjectType
from yuanqu.projects.models import (
    Blocker,
    KeyProject,
    Milestone,
    MonthlyProgress,
    ProjectYearPlan,
    WeeklyReport,
)
from yuanqu.projects.services import record_progress
from yuanqu.users.choices import Role
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.changes import assert_nothing_changed
from yuanqu.utilities.testing.views import ALL, ViewTestCases

_serial = itertools.count(1)


def project_of(department, **extra):
    n = next(_serial)
    return KeyProject.objects.create(
        code=f"ZD-V{n:03d}",
        name=f"测试重点项目{n}号",
        type=ProjectType.INDUSTRY,
        total_investment_wan=Decimal("5000"),
        department=department,
        **extra,
    )


class TestKeyProjectViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = KeyProject
    base_grants = [("users.department", ["view"], ALL), ("enterprises.enterprise", ["view"], ALL)]
    edit_changes = {"name": "智能装备产业园二期（更名）", "total_investment_wan": "6500.00"}

    def make_record(self, department):
        return project_of(department)

    def record_text(self, record):
        return record.name

    def create_data(self, department):
        n = next(_serial)
        return {
            "code": f"ZD-N{n:03d}",
            "name": f"新能源电池项目{n}号",
            "type": ProjectType.INDUSTRY,
            "total_investment_wan": "120000.00",
            "department": department.pk,
            "comments": "省重点",
        }


class ProjectChildCases:
    """A project's child: the tester may view and change every project, so only the child's
    own grant decides; moving it out means naming another department's project."""

    base_grants = [("projects.keyproject", ["view", "change"], ALL), ("users.department", ["view"], ALL)]
    project_extra: dict = {}

    def make_child(self, project):
        raise NotImplementedError

    def make_record(self, department):
        return self.make_child(project_of(department, **self.project_extra))

    def create_url(self, department):
        return self.url("add") + f"?project={project_of(department, **self.project_extra).pk}"

    def move_out_changes(self, department):
        return {"project": project_of(department, **self.project_extra).pk}

    def new_project(self, department):
        return project_of(department, **self.project_extra).pk


class TestProjectYearPlanViews(
    ProjectChildCases, ViewTestCases.CreateObjectViewTestCase, ViewTestCases.EditObjectViewTestCase
):
    model = ProjectYearPlan
    edit_changes = {"annual_plan_wan": "1500.00", "level": "province"}

    def make_child(self, project):
        return ProjectYearPlan.objects.create(
            project=project, year=2024, level="city", annual_plan_wan=Decimal(1000)
        )

    def create_data(self, department):
        return {
            "project": self.new_project(department),
            "year": "2024",
            "level": "district",
            "annual_plan_wan": "800.00",
        }


class TestMilestoneViews(
    ProjectChildCases, ViewTestCases.CreateObjectViewTestCase, ViewTestCases.EditObjectViewTestCase
):
    model = Milestone
    edit_changes = {"actual_on": "2024-04-02"}

    def make_child(self, project):
        return Milestone.objects.create(
            project=project, kind=MilestoneKind.START, planned_on=datetime.date(2024, 3, 1)
        )

    def create_data(self, department):
        return {
            "project": self.new_project(department),
            "kind": MilestoneKind.LAND,
            "planned_on": "2024-05-01",
        }


class TestBlockerViews(
    ProjectChildCases, ViewTestCases.CreateObjectViewTestCase, ViewTestCases.EditObjectViewTestCase
):
    model = Blocker
    edit_changes = {"resolved_on": "2024-04-10", "description": "用地指标已落实"}

    def make_child(self, project):
        return Blocker.objects.create(project=project, kind=BlockerKind.LAND, description="用地指标未落实")

    def create_data(self, department):
        return {
            "project": self.new_project(department),
            "kind": BlockerKind.POWER,
            "description": "临时用电未接入",
            "deadline": "2024-06-30",
        }


class TestMonthlyProgressViews(ProjectChildCases, ViewTestCases.CreateObjectViewTestCase):
    model = MonthlyProgress
    invalid_changes = {"month_investment_wan": "一百万"}

    def create_data(self, department):
        return {
            "project": self.new_project(department),
            "period": "2024-03",
            "month_investment_wan": "120.00",
            "physical_progress": "主体结构施工",
        }

    def _assert_posted_values_logged(self, data, logged):
        assert logged["period"] == "2024-03-01"  # a month is kept as its first day
        super()._assert_posted_values_logged({k: v for k, v in data.items() if k != "period"}, logged)


class TestWeeklyReportViews(ProjectChildCases, ViewTestCases.CreateObjectViewTestCase):
    model = WeeklyReport
    project_extra = {"weekly_watch": True}  # only watched projects report weekly
    invalid_changes = {"progress_text": ""}

    def create_data(self, department):
        return {
            "project": self.new_project(department),
            "week": "2024-03-13",
            "progress_text": "完成桩基施工",
            "next_step": "开始承台浇筑",
        }

    def _assert_posted_values_logged(self, data, logged):
        assert logged["week"] == "2024-03-11"  # filed under the week's Monday
        super()._assert_posted_values_logged({k: v for k, v in data.items() if k != "week"}, logged)


def test_a_refused_correction_leaves_the_current_version_current(client, econ_dept, invest_dept):
    """A correction of another department's month is refused whole: the version it would
    replace is still the current one and nothing is logged."""
    ObjectPermission.objects.filter(is_default=True).update(enabled=False)
    tester = f.user("reporter", Role.STAFF, econ_dept)
    for model, actions, constraint in [
        ("projects.keyproject", ["view", "change"], ALL),
        ("projects.monthlyprogress", ["view", "add"], "own_department"),
    ]:
        ObjectPermission.objects.create(
            name=model, user=tester, model=model, actions=actions, constraint=constraint
        )
    project = project_of(invest_dept)
    first = record_progress(project, datetime.date(2024, 3, 1), month_investment_wan=Decimal(100))
    client.force_login(tester)
    data = {
        "project": project.pk,
        "period": "2024-03",
        "month_investment_wan": "130.00",
        "reason": "统计口径更正",
    }
    with assert_nothing_changed(MonthlyProgress, KeyProject):
        response = client.post(reverse("projects:monthlyprogress_add"), data)
    assert response.status_code == 200
    assert "超出了您的权限范围" in response.content.decode()
    assert MonthlyProgress.objects.get(project=project, is_current=True).pk == first.pk
