"""目标管理考核's fifth component, 目标完成: the lights of the targets each department is
responsible for, at the last complete month of the period, on the default rules 30/15/20/15/20.

The targets here are reported targets (the department enters its 1–N月累计), so the lights
are set by hand: in July the 序时进度 is 7/12 = 58.3 %; 100 of 100 is green, 50 (−8.3 points)
yellow, 10 (−48.3 points) red, and a target not yet reported has no light."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from yuanqu.figures.models import Unit
from yuanqu.supervision import assessment
from yuanqu.supervision.forms import AssessmentPeriodForm
from yuanqu.supervision.models import AssessmentPeriod, AssessmentScore
from yuanqu.targets.models import Target, TargetReport

from .test_pages import sheet_rows
from .test_views import text

D = datetime.date


def target(name, department, reported=None, year=2024, month=7) -> Target:
    made = Target.objects.create(
        year=year,
        name=name,
        kind="total",
        value=Decimal(100),
        unit=Unit.objects.get(name="个"),
        department=department,
    )
    if reported is not None:
        TargetReport.objects.create(target=made, period=D(year, month, 1), actual=Decimal(reported))
    return made


@pytest.fixture
def july(db):
    """A month's 小结 on the default rules."""
    return AssessmentPeriod.objects.create(
        name="2024年7月", kind="month", start_on=D(2024, 7, 1), end_on=D(2024, 7, 31)
    )


@pytest.fixture
def sheet(db, econ_dept, invest_dept):
    """经济发展局: one green, one red; 招商局: one target it has not reported yet (no light)."""
    target("新增市场主体", econ_dept, reported=100)
    target("新增高新技术企业", econ_dept, reported=10)
    target("引进亿元以上项目", invest_dept)


def test_new_periods_default_to_five_weights_adding_up_to_100(july):
    weights = [getattr(july, weight) for _, weight, _ in assessment.COMPONENTS]
    assert weights == [30, 15, 20, 15, 20] and sum(weights) == 100


def test_the_judged_month_is_the_last_complete_month_of_the_period():
    def period(start, end):
        return AssessmentPeriod(start_on=start, end_on=end)

    assert assessment.judged_month(period(D(2024, 7, 1), D(2024, 7, 31))) == D(2024, 7, 1)
    assert assessment.judged_month(period(D(2024, 9, 30), D(2024, 10, 6))) == D(2024, 9, 1)
    assert assessment.judged_month(period(D(2024, 2, 1), D(2024, 2, 29))) == D(2024, 2, 1)
    # A week early in January is judged on last year's sheet at December.
    assert assessment.judged_month(period(D(2024, 12, 30), D(2025, 1, 5))) == D(2024, 12, 1)


def test_target_rate_counts_yellow_as_half_and_leaves_unlit_targets_out():
    assert assessment.target_rate(["green", "red"]) == Decimal("50.0")
    assert assessment.target_rate(["green", "yellow", ""]) == Decimal("75.0")
    assert assessment.target_rate(["yellow", "red", "red"]) == Decimal("16.7")
    assert assessment.target_rate([""]) is None and assessment.target_rate([]) is None


def test_one_green_one_red_scores_half_the_weight_none_lit_the_full_weight(
    july, sheet, econ_dept, invest_dept
):
    rows = {r.department.name: r for r in assessment.compute(july, today=D(2024, 8, 1))}
    econ, invest = rows[econ_dept.name], rows[invest_dept.name]
    assert (econ.rates["target"], econ.scores["target"]) == (Decimal("50.0"), Decimal("10.00"))
    assert (invest.rates["target"], invest.scores["target"]) == (None, Decimal("20.00"))
    # Nothing else to rate for either: 30 + 15 + 20 + 15 = 80, plus the target score.
    assert (econ.total, invest.total) == (Decimal("90.00"), Decimal("100.00"))
    assert (econ.rank, invest.rank) == (2, 1)


def test_a_yellow_light_counts_half(july, econ_dept):
    target("新增市场主体", econ_dept, reported=100)
    target("新增高新技术企业", econ_dept, reported=50)
    (row,) = assessment.compute(july, today=D(2024, 8, 1))
    assert (row.rates["target"], row.scores["target"], row.total) == (
        Decimal("75.0"),
        Decimal("15.00"),
        Decimal("95.00"),
    )


def test_the_total_and_rank_follow_the_target_weight(july, sheet, econ_dept, invest_dept):
    """Without the target weight (a period kept from before) the two departments tie; with it
    the one lagging its targets drops a place."""
    old = AssessmentPeriod.objects.create(
        name="2024年7月（旧规则）",
        kind="month",
        start_on=D(2024, 7, 1),
        end_on=D(2024, 7, 31),
        weight_tasks=40,
        weight_reports=20,
        weight_demands_on_time=20,
        weight_demands_satisfied=20,
        weight_targets=0,
    )
    before = {r.department.name: (r.total, r.rank) for r in assessment.compute(old, today=D(2024, 8, 1))}
    after = {r.department.name: (r.total, r.rank) for r in assessment.compute(july, today=D(2024, 8, 1))}
    assert before == {econ_dept.name: (Decimal("100.00"), 1), invest_dept.name: (Decimal("100.00"), 1)}
    assert after == {econ_dept.name: (Decimal("90.00"), 2), invest_dept.name: (Decimal("100.00"), 1)}


def test_only_the_judged_years_targets_count(econ_dept):
    """A week ending 2025-01-05 judges 2024's sheet at December; 2025's targets wait."""
    week = AssessmentPeriod.objects.create(
        name="2025年第1周", kind="week", start_on=D(2024, 12, 30), end_on=D(2025, 1, 5)
    )
    target("新增市场主体", econ_dept, reported=30, month=12)  # 30 of 100 in December: red
    target("新增高新技术企业", econ_dept, reported=100, year=2025, month=1)
    (row,) = assessment.compute(week, today=D(2025, 1, 6))
    assert row.rates["target"] == Decimal("0.0") and row.scores["target"] == Decimal("0.00")


@pytest.mark.parametrize(
    "weights, valid",
    [
        ((40, 20, 20, 20, 0), True),  # a period kept from before the target component
        ((30, 15, 20, 15, 20), True),  # the new default
        ((40, 20, 20, 20, 20), False),
    ],
)
def test_the_five_weights_must_add_up_to_100(db, weights, valid):
    data = {
        "name": "2024年8月",
        "kind": "month",
        "start_on": "2024-08-01",
        "end_on": "2024-08-31",
        "overdue_deduction": "2",
        "notice_deduction": "5",
        **{weight: str(w) for (_, weight, _), w in zip(assessment.COMPONENTS, weights, strict=True)},
    }
    form = AssessmentPeriodForm(data=data)
    assert form.is_valid() == valid
    if not valid:
        assert form.non_field_errors() == ["五项权重之和应为100，当前为120"]


def test_an_existing_period_saves_unchanged_with_its_four_weights(client, inspector):
    """A period made before the component (target weight 0) opens and saves as it is."""
    period = AssessmentPeriod.objects.create(
        name="2024年6月",
        kind="month",
        start_on=D(2024, 6, 1),
        end_on=D(2024, 6, 30),
        weight_tasks=40,
        weight_reports=20,
        weight_demands_on_time=20,
        weight_demands_satisfied=20,
        weight_targets=0,
    )
    client.force_login(inspector)
    form = client.get(reverse("supervision:assessmentperiod_edit", args=[period.pk])).context["form"]
    data = {name: form[name].value() for name in form.fields}
    response = client.post(reverse("supervision:assessmentperiod_edit", args=[period.pk]), data)
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.weight_tasks, period.weight_targets) == (40, 0)


def test_page_print_and_export_show_the_target_component(client, inspector, july, sheet):
    client.force_login(inspector)
    client.post(reverse("supervision:assessment_compute", args=[july.pk]))
    econ = AssessmentScore.objects.get(department__name="经济发展局")
    assert (econ.target_rate, econ.target_score, econ.total, econ.rank) == (
        Decimal("50.0"),
        Decimal("10.00"),
        Decimal("90.00"),
        2,
    )
    page = text(client.get(july.get_absolute_url()))
    assert "目标完成 20" in page and "目标完成率" in page and "50.0%" in page
    assert "按2024年7月末" in page
    printed = text(client.get(reverse("supervision:assessment_print", args=[july.pk])))
    assert "目标完成率" in printed and "50.0%" in printed
    rows = sheet_rows(client.get(reverse("supervision:assessment_export", args=[july.pk])))
    header = rows[0]
    assert header[10:12] == ["目标完成率（%）", "目标得分"]
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["经济发展局"][10:12] == [50, 10] and by_name["经济发展局"][-2] == 90
    assert by_name["招商局"][10] in (None, "", "—") and by_name["招商局"][11] == 20
