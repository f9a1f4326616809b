import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest

from yuanqu.projects.models import Blocker, KeyProject, Milestone, ProjectYearPlan
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


# --- the list's 原因 and 逾期天数, computed by hand for October 2023 (a past month: overdue days
# are counted to 31 October 2023, 序时进度 is 10/12 = 83.3 %) ---------------------------------

OCTOBER = "2023-10"

# plan 1200, 40 a month Jan–Oct: 400 done, 1200 × 10/12 = 1000 due, 33.3 % − 83.3 % = −50 points
BEHIND_CAUSE = "完成投资400万元，序时应完成1,000万元，落后序时进度50.0个百分点"
# start planned 19 October, not done: 20 … 31 October are 12 days overdue (yellow: 1 ≤ 12 < 90)
OVERDUE_CAUSE = "开工节点逾期12天（计划2023-10-19）"


@pytest.fixture
def behind_on_investment(invest_dept):
    """招商局's project: plan 1200, 40 a month Jan–Oct, red on investment alone."""
    project = make_project("ZD2023-101", invest_dept, plan="1200", name="光伏组件项目")
    for month in range(1, 11):
        report(project, 2023, month, "40")
    return project


@pytest.fixture
def overdue_start(econ_dept):
    """经济发展局's project: on 序时进度 (100 a month), its start 12 days overdue: yellow."""
    project = make_project("ZD2023-102", econ_dept, plan="1200", name="储能电池项目")
    for month in range(1, 11):
        report(project, 2023, month, "100")
    Milestone.objects.create(
        project=project,
        kind="land",
        planned_on=datetime.date(2023, 3, 1),
        actual_on=datetime.date(2023, 3, 1),
    )
    Milestone.objects.create(project=project, kind="start", planned_on=datetime.date(2023, 10, 19))
    return project


@pytest.fixture
def green(econ_dept):
    """经济发展局's project on 序时进度, every node on time: green, no 原因."""
    project = make_project("ZD2023-103", econ_dept, plan="1200", name="高纯多晶硅项目")
    for month in range(1, 11):
        report(project, 2023, month, "100")
    Milestone.objects.create(
        project=project,
        kind="start",
        planned_on=datetime.date(2023, 5, 1),
        actual_on=datetime.date(2023, 5, 1),
    )
    project.fai_registered, project.fai_registered_on = True, datetime.date(2023, 5, 20)
    project.save()
    return project


def add_blockers(project, open_count, resolved_count=0):
    for n in range(open_count):
        Blocker.objects.create(project=project, kind="land", description=f"用地指标未落实{n}")
    for n in range(resolved_count):
        Blocker.objects.create(
            project=project, kind="power", description=f"施工用电{n}", resolved_on=datetime.date(2023, 9, 1)
        )


def _cells(html: str, tag: str) -> list[str]:
    found = re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in found]


def list_rows(response) -> dict[str, dict[str, str]]:
    """The list page's table as project code → {column header: cell text}."""
    html = response.content.decode()
    table = html[html.index('<table class="table"') :]
    table = table[: table.index("</table>")]
    header = _cells(table, "th")
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("</thead>")[1], flags=re.S):
        cells = dict(zip(header, _cells(row, "td"), strict=False))
        if "项目编号" in cells:
            rows[cells["项目编号"]] = cells
    return rows


def xlsx_rows(response) -> dict[str, dict[str, object]]:
    """An exported sheet as first-column value → {header: value}."""
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return {row[0]: dict(zip(rows[0], row, strict=False)) for row in rows[1:]}
