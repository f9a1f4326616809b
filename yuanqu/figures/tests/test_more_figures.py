"""Key projects', supervision's and 亩均评价's figures on small fixtures."""

import datetime
from decimal import Decimal

import pytest

from yuanqu.evaluation.models import EvaluationResult, EvaluationScheme
from yuanqu.figures.catalogue import Query, evaluate, figures
from yuanqu.projects.models import KeyProject
from yuanqu.projects.services.statistics import statistics
from yuanqu.projects.tests.conftest import far_behind, on_track  # noqa: F401 (fixtures)
from yuanqu.supervision.models import RectificationItem, Task, WorkPoint

pytestmark = pytest.mark.django_db
D = datetime.date


def values(app, period, **kwargs):
    query = Query(period, **kwargs)
    return {k.split(".")[1]: evaluate(f, query) for k, f in figures().items() if k.startswith(app + ".")}


def test_project_figures_equal_the_statistics_page(on_track, far_behind, econ_dept):  # noqa: F811
    stats = statistics(KeyProject.objects.all(), D(2023, 10, 1))
    october = values("projects", D(2023, 10, 1))
    assert october["listed"].value == stats["listed"] == 2
    assert october["invested"].value == stats["total"]["ytd"] / 10000 == Decimal("0.14")  # 1000 + 400 万元
    assert october["completion"].value == Decimal("58.33")  # 1400 / 2400
    assert october["completion_district"].value == Decimal("58.33")
    assert (
        october["completion_province"].value is None
        and october["completion_province"].note == "没有年度计划投资"
    )
    assert values("projects", D(2023, 10, 1), scope="department", target=econ_dept)[
        "invested"
    ].value == Decimal("0.1")
    assert october["listed"].link == "/key-projects/statistics/?period=2023-10"


@pytest.fixture
def tasks(econ_dept, invest_dept, leader):
    point = WorkPoint.objects.create(year=2024, number="01", title="优化营商环境", source="work_point")

    def task(n, dept, due, done=None, status="on_track"):
        return Task.objects.create(number=f"DB2024-{n:03}", work_point=point, text=f"任务{n}", department=dept,
                                   leader=leader, report_cycle="monthly", start_on=D(2024, 1, 2), due_on=due,
                                   done_on=done, status="done" if done else status)  # fmt: skip

    task(1, econ_dept, D(2024, 3, 31), D(2024, 3, 20))  # on time
    task(2, econ_dept, D(2024, 4, 30), D(2024, 5, 10))  # late
    task(3, invest_dept, D(2024, 5, 31))  # overdue
    task(4, invest_dept, D(2024, 6, 30), status="cancelled")  # not counted
    task(5, econ_dept, D(2024, 12, 31))  # not yet due
    for n, (due, closed) in enumerate([(D(2024, 3, 1), D(2024, 2, 20)), (D(2024, 4, 1), None)]):
        RectificationItem.objects.create(list_name="巡察整改", number=str(n), problem="问题", due_on=due,
                                         closed_on=closed, department=econ_dept)  # fmt: skip


def test_supervision_figures(tasks, econ_dept):
    june = values("supervision", D(2024, 6, 1))
    assert (june["tasks_due"].value, june["tasks_done"].value, june["tasks_on_time"].value) == (3, 2, 1)
    assert june["tasks_overdue"].value == 1
    assert june["tasks_on_time_rate"].value == 33.3
    assert (june["rectification_due"].value, june["rectification_closed"].value) == (2, 1)
    assert june["rectification_rate"].value == 50.0
    april = values("supervision", D(2024, 4, 1))
    assert (april["tasks_due"].value, april["tasks_done"].value, april["tasks_overdue"].value) == (2, 1, 0)
    by_dept = values("supervision", D(2024, 6, 1), scope="department", target=econ_dept)
    assert by_dept["tasks_due"].value == 2 and by_dept["tasks_on_time_rate"].value == 50.0
    assert values("supervision", D(2023, 6, 1))["tasks_on_time_rate"].note == "本期没有到期的督办任务"


def test_evaluation_class_counts_read_the_latest_published_year(
    owned_enterprise, other_enterprise, econ_dept
):
    def scheme(year, status, grades):
        s = EvaluationScheme.objects.create(year=year, status=status, department=econ_dept)
        for enterprise, grade in zip((owned_enterprise, other_enterprise), grades, strict=True):
            EvaluationResult.objects.create(
                scheme=s, enterprise=enterprise, year=year, evaluated=True, grade=grade
            )

    scheme(2024, "published", "AB")
    scheme(2025, "published", "AA")
    scheme(2026, "draft", "DD")
    now = values("evaluation", D(2026, 10, 1))
    assert (now["grade_a"].value, now["grade_a"].base, now["grade_a"].note) == (2, 1, "2025年度评价结果")
    assert now["grade_d"].value == 0  # the 2026 draft is not read
    assert values("evaluation", D(2025, 10, 1))["grade_b"].value == 1
    assert values("evaluation", D(2024, 10, 1))["grade_a"].value is None
