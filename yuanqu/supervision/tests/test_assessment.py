"""目标管理考核 with hand-computed figures (July 2024 with the four-component rules 40/20/20/20
and a target weight of 0, as periods made before the 目标完成 component keep them; 2 points per
overdue item, 5 per 通报), then the 目标完成 component on the default rules 30/15/20/15/20."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from yuanqu.core.models import ObjectChange
from yuanqu.demands import services as demand_services
from yuanqu.demands.models import DemandCategory
from yuanqu.supervision import assessment
from yuanqu.supervision.models import AssessmentNotice, AssessmentPeriod, AssessmentScore, Task, TaskReport

D = datetime.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(m, d, hour=10):
    return datetime.datetime(2024, m, d, hour, tzinfo=SHANGHAI)


OLD_RULES = {
    "weight_tasks": 40,
    "weight_reports": 20,
    "weight_demands_on_time": 20,
    "weight_demands_satisfied": 20,
    "weight_targets": 0,
}


@pytest.fixture
def july(db):
    return AssessmentPeriod.objects.create(
        name="2024年7月", kind="month", start_on=D(2024, 7, 1), end_on=D(2024, 7, 31), **OLD_RULES
    )


def test_component_score_and_full_marks_when_nothing_to_rate():
    assert assessment.component_score(40, Decimal("75.0")) == Decimal("30.00")
    assert assessment.component_score(20, Decimal("33.3")) == Decimal("6.66")
    assert assessment.component_score(40, None) == Decimal("40.00")
    assert assessment.rate(1, 3) == Decimal("33.3") and assessment.rate(0, 0) is None


def test_score_row_deducts_overdue_items_and_notices(july, econ_dept):
    rates = {
        "task": Decimal(50),
        "report": Decimal(75),
        "demand_on_time": Decimal(80),
        "demand_satisfied": None,
        "target": Decimal(50),
    }
    row = assessment.score_row(july, econ_dept, rates, overdue=2, notices=1)
    # 20 + 15 + 16 + 20 + 0 (weight 0) = 71; 2 × 2 + 1 × 5 = 9 → 62
    assert row.scores == {
        "task": Decimal("20.00"),
        "report": Decimal("15.00"),
        "demand_on_time": Decimal("16.00"),
        "demand_satisfied": Decimal("20.00"),
        "target": Decimal("0.00"),
    }
    assert (row.deduction, row.total) == (Decimal("9.00"), Decimal("62.00"))
    # The total never goes below zero.
    assert assessment.score_row(july, econ_dept, rates, overdue=40, notices=0).total == Decimal("0.00")


def test_equal_totals_share_a_rank(july):
    from yuanqu.utilities.testing import factories as f

    rows = [
        assessment.Row(f.department(name), {}, {}, 0, 0, Decimal(0), Decimal(total))
        for name, total in [("甲局", 90), ("乙局", 85), ("丙局", 90), ("丁局", 70)]
    ]
    ranked = assessment.rank(rows)
    assert [(r.department.name, r.rank) for r in ranked] == [
        ("丙局", 1),
        ("甲局", 1),
        ("乙局", 3),
        ("丁局", 4),
    ]


def test_report_windows_follow_the_cycle(task):
    # Monthly from 2024-05-07: July holds the date 07-07, met by a report in (06-07, 07-07].
    assert assessment.report_windows(task, D(2024, 7, 1), D(2024, 7, 31)) == [(D(2024, 6, 7), D(2024, 7, 7))]
    july = (D(2024, 7, 1), D(2024, 7, 31))
    assert assessment.report_counts(task, [D(2024, 7, 5)], *july) == (1, 1)
    assert assessment.report_counts(task, [D(2024, 6, 5)], *july) == (0, 1)  # the previous cycle's
    assert assessment.report_counts(task, [D(2024, 7, 8)], *july) == (0, 1)  # late


def _demand(alice, enterprise, title, received, close_at=None, rating=None, reopen=False):
    demand = demand_services.receive(
        alice,
        enterprise=enterprise,
        category=DemandCategory.objects.get(name="用电"),  # 5 working days
        channel="visit",
        title=title,
        description=title,
        received_at=received,
    )
    demand_services.assign(demand, alice, alice.department, at=received + datetime.timedelta(hours=1))
    demand_services.accept(demand, alice, at=received + datetime.timedelta(hours=2))
    if close_at:  # the enterprise has no account: the holder calls back (or reopens)
        demand_services.answer(demand, alice, "已办理", at=close_at)
        if reopen:
            demand_services.reopen(demand, alice, "企业不满意", at=close_at + datetime.timedelta(hours=1))
        else:
            demand_services.follow_up(
                demand, alice, rating, "企业联系人", at=close_at + datetime.timedelta(hours=1)
            )
    return demand


@pytest.fixture
def july_records(task, other_task, work_point, econ_dept, alice, owned_enterprise, july):
    """The hand-computed July: see test_compute_ranks_the_departments."""
    TaskReport.objects.create(
        task=task, reported_on=D(2024, 7, 5), progress="按月报送", percent=50, reporter=alice
    )
    common = {"work_point": work_point, "department": econ_dept, "report_cycle": "monthly"}
    Task.objects.create(
        number="2024-A",
        text="按时完成",
        start_on=D(2024, 5, 1),
        due_on=D(2024, 7, 15),
        done_on=D(2024, 7, 12),
        status="done",
        **common,
    )
    Task.objects.create(
        number="2024-B",
        text="逾期未完成",
        start_on=D(2024, 7, 1),
        due_on=D(2024, 7, 20),
        status="on_track",
        **{**common, "report_cycle": "quarterly"},
    )
    for day in (2, 9, 16):  # 招商局: 3 of its 5 weekly dates in July (07-02 … 07-30)
        TaskReport.objects.create(
            task=other_task, reported_on=D(2024, 7, day), progress="周报", percent=30, reporter=alice
        )
    # Demands of 经济发展局 received 2024-07-01, due 07-08: one closed on time and 满意, one
    # reopened, one answered late and rated 不满意 → 按时办结率 1/2, 满意率 1/2.
    _demand(alice, owned_enterprise, "按时办结", at(7, 1), at(7, 3), "satisfied")
    _demand(alice, owned_enterprise, "不满意", at(7, 1), at(7, 3), reopen=True)
    _demand(alice, owned_enterprise, "超期办结", at(7, 1), at(7, 10), "dissatisfied")
    AssessmentNotice.objects.create(
        period=july, department=econ_dept, issued_on=D(2024, 7, 25), text="周报迟报"
    )


def test_compute_ranks_the_departments(july, july_records, econ_dept, invest_dept):
    rows = assessment.compute(july, today=D(2024, 8, 1))
    by_name = {r.department.name: r for r in rows}
    econ, invest = by_name[econ_dept.name], by_name[invest_dept.name]
    # 经济发展局: tasks 1 of 2 on time (A done 07-12; B open past 07-20) → 50%, 20.00;
    # reports 1 of 2 (task's 07-07 met, A's 07-01 missed) → 50%, 10.00; demands 50% → 10.00
    # and 50% → 10.00; 1 overdue (B) × 2 + 1 通报 × 5 = 7 → 43.00.
    assert econ.rates == {
        "task": Decimal("50.0"),
        "report": Decimal("50.0"),
        "demand_on_time": Decimal("50.0"),
        "demand_satisfied": Decimal("50.0"),
        "target": None,
    }
    assert (econ.overdue, econ.notices, econ.deduction, econ.total) == (
        1,
        1,
        Decimal("7.00"),
        Decimal("43.00"),
    )
    # 招商局: no task due (40), reports 3 of 5 → 60%, 12.00, no demands (20 + 20) → 92.00.
    assert invest.rates["report"] == Decimal("60.0") and invest.rates["task"] is None
    assert invest.total == Decimal("92.00")
    assert [(r.department.name, r.rank) for r in rows] == [(invest_dept.name, 1), (econ_dept.name, 2)]


def test_saved_ranking_shows_the_change_from_last_period(july, july_records, econ_dept, invest_dept):
    june = AssessmentPeriod.objects.create(
        name="2024年6月", kind="month", start_on=D(2024, 6, 1), end_on=D(2024, 6, 30)
    )
    assessment.save(
        june,
        [
            assessment.Row(
                econ_dept,
                {k: None for k, *_ in assessment.COMPONENTS},
                {k: Decimal(25) for k, *_ in assessment.COMPONENTS},
                0,
                0,
                Decimal(0),
                Decimal(100),
                rank=1,
            ),
            assessment.Row(
                invest_dept,
                {k: None for k, *_ in assessment.COMPONENTS},
                {k: Decimal(20) for k, *_ in assessment.COMPONENTS},
                0,
                0,
                Decimal(0),
                Decimal(80),
                rank=2,
            ),
        ],
    )
    saved = assessment.save(july, assessment.compute(july, today=D(2024, 8, 1)))
    assert ObjectChange.objects.filter(object_id=str(saved[0].pk), action="create").exists()
    table = assessment.ranking(july, AssessmentScore.objects.filter(period=july))
    assert [(r["score"].department.name, r["score"].rank, r["change"]) for r in table] == [
        (invest_dept.name, 1, 1),
        (econ_dept.name, 2, -1),
    ]
    # Recomputing replaces the rows rather than adding to them.
    assessment.save(july, assessment.compute(july, today=D(2024, 8, 1)))
    assert AssessmentScore.objects.filter(period=july).count() == 2
