import datetime
from decimal import Decimal

import pytest

from yuanqu.projects.models import KeyProject, ProjectYearPlan
from yuanqu.projects.services import record_progress


def make_project(code, department, plan="1000", year=2023, level="district", **extra):
    project = KeyProject.objects.create(
        code=code,
        name=extra.pop("name", f"{code}项目"),
        type=extra.pop("type", "industry"),
        total_investment_wan=Decimal("5000"),
        department=department,
        **extra,
    )
    if plan is not None:
        ProjectYearPlan.objects.create(project=project, year=year, level=level, annual_plan_wan=Decimal(plan))
    return project


def report(project, year, month, amount, reason="", user=None):
    return record_progress(
        project, datetime.date(year, month, 1), month_investment_wan=Decimal(amount), reason=reason, user=user
    )


@pytest.fixture
def on_track(econ_dept):
    """经济发展局's project: plan 1200 in 2023, 100 a month Jan–Oct (on 序时进度)."""
    project = make_project("ZD2023-001", econ_dept, plan="1200", name="高纯多晶硅项目")
    for month in range(1, 11):
        report(project, 2023, month, "100")
    return project


@pytest.fixture
def far_behind(invest_dept):
    """招商局's project: plan 1200 in 2023, 40 a month Jan–Oct (completion 33.3 %, red)."""
    project = make_project("ZD2023-002", invest_dept, plan="1200", name="光伏组件项目")
    for month in range(1, 11):
        report(project, 2023, month, "40")
    return project
