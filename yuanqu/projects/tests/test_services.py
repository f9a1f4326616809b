"""YTD, completion against 序时进度 and lights from the configured rules (REFERENCE §4.5, §8)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yuanqu.projects import services
from yuanqu.projects.models import Escalation, LightRule, Milestone, MonthlyProgress, ProjectYearPlan

from .conftest import make_project, report

OCT = datetime.date(2023, 10, 1)
DEC = datetime.date(2023, 12, 1)


def test_worked_example_of_the_reference(econ_dept):
    """Plan 5000, Jan–Aug 3050 → completion 61.0 %, 序时进度 66.7 %, 5.7 points behind: yellow."""
    project = make_project("P1", econ_dept, plan="5000")
    for month, amount in enumerate(["300", "350", "400", "400", "400", "400", "400", "400"], start=1):
        report(project, 2023, month, amount)
    result = services.light(project, datetime.date(2023, 8, 1))
    assert result.ytd == Decimal("3050")
    assert result.completion == Decimal("0.61")
    assert round(result.time_progress, 4) == Decimal("0.6667")
    assert result.light == "yellow"
    # 序时应完成 = 5000 × 8/12 = 3,333.33
    assert result.reasons == ["黄灯：完成投资3,050万元，序时应完成3,333.33万元，落后序时进度5.7个百分点"]
    assert result.cause == "完成投资3,050万元，序时应完成3,333.33万元，落后序时进度5.7个百分点"


@pytest.mark.parametrize(
    "ytd, expected",
    [("1100", "green"), ("950", "green"), ("949.99", "yellow"), ("850", "yellow"), ("849.99", "red")],
)
def test_progress_band_edges(econ_dept, ytd, expected):
    """December (序时进度 100 %), plan 1000: gap −5 is green, −15 yellow, below −15 red."""
    project = make_project("P1", econ_dept, plan="1000")
    report(project, 2023, 12, ytd)
    assert services.light(project, DEC).light == expected


def test_ytd_is_shown_to_the_cent_whatever_the_database_sums_with(econ_dept):
    """SQLite adds decimals as floats; the page must still read 1486.95, not 1486.9500000001."""
    project = make_project("P1", econ_dept)
    for month, amount in enumerate(["123.45", "678.91", "684.59"], start=1):
        report(project, 2023, month, amount)
    assert str(services.ytd(project, datetime.date(2023, 3, 1))) == "1486.95"


def test_lights_of_a_list_sum_every_ytd_in_one_query(econ_dept, alice, django_assert_max_num_queries):
    projects = [make_project(f"P{n}", econ_dept, plan="1000") for n in range(1, 6)]
    for n, project in enumerate(projects):
        report(project, 2023, 9, f"{100 * n}.25", user=alice)
        report(project, 2023, 10, "50", user=alice)
    report(projects[1], 2023, 10, "80", reason="更正", user=alice)  # the current version counts
    queryset = type(projects[0]).objects.filter(pk__in=[p.pk for p in projects])
    assert services.ytd_by_project(projects, OCT) == {p.pk: services.ytd(p, OCT) for p in projects}
    # rules, projects, plans, milestones, the YTD sums: not one query per project
    with django_assert_max_num_queries(5):
        lights = services.lights_by_project(queryset, OCT)
    assert {pk: r.ytd for pk, r in lights.items()} == {p.pk: services.ytd(p, OCT) for p in projects}
    assert lights[projects[1].pk].ytd == Decimal("180.25")


def test_ytd_sums_current_versions_and_keeps_corrections(econ_dept, alice):
    project = make_project("P1", econ_dept)
    report(project, 2023, 9, "100", user=alice)
    report(project, 2023, 10, "50", user=alice)
    with pytest.raises(ValidationError) as error:
        report(project, 2023, 10, "80")
    assert "2023年10月已有第1版月报，更正须填写更正原因" in error.value.messages[0]
    report(project, 2023, 10, "80", reason="统计口径更正", user=alice)
    report(project, 2022, 12, "999")  # last year: not in this year's YTD
    assert services.ytd(project, OCT) == Decimal("180")
    assert services.ytd(project, datetime.date(2023, 9, 1)) == Decimal("100")
    versions = MonthlyProgress.objects.filter(project=project, period=OCT).order_by("version")
    assert [(v.version, v.is_current, v.month_investment_wan) for v in versions] == [
        (1, False, Decimal("50")),
        (2, True, Decimal("80")),
    ]
    assert versions[1].reason == "统计口径更正" and versions[1].reported_by == alice


def test_an_uncovered_range_is_a_configuration_error(econ_dept):
    project = make_project("P1", econ_dept)
    LightRule.objects.filter(kind="progress", light="yellow").delete()
    with pytest.raises(ValidationError) as error:
        services.light(project, OCT)
    assert "亮灯规则配置错误：[-15.00, -5.00)区间未覆盖" in error.value.messages[0]
    assert "投资进度" in error.value.messages[0]


def test_rules_must_start_and_end_unbounded_and_not_overlap():
    band = LightRule
    with pytest.raises(ValidationError, match="小于0的区间未覆盖"):
        services.check_rules([band(lower=Decimal(0), upper=None, light="green")])
    with pytest.raises(ValidationError, match="大于等于10的区间未覆盖"):
        services.check_rules([band(lower=None, upper=Decimal(10), light="green")])
    with pytest.raises(ValidationError, match="区间重叠"):
        services.check_rules(
            [
                band(lower=None, upper=Decimal(10), light="red"),
                band(lower=Decimal(5), upper=None, light="green"),
            ]
        )
    with pytest.raises(ValidationError, match="未配置任何区间"):
        services.check_rules([])


def test_overdue_start_and_fai_lag(econ_dept):
    project = make_project("P1", econ_dept, plan=None)
    Milestone.objects.create(project=project, kind="start", planned_on=datetime.date(2023, 7, 1))
    result = services.light(project, OCT)  # 31 October: 122 days overdue
    assert result.light == "red"
    assert "红灯：开工节点逾期122天（计划2023-07-01）" in result.reasons
    assert "无2023年度计划投资，未计投资进度" in result.reasons
    Milestone.objects.filter(project=project).update(actual_on=datetime.date(2023, 9, 20))
    result = services.light(project, OCT)  # started, 41 days without 入库
    assert result.light == "yellow"
    assert result.reasons[0] == "黄灯：开工41天未入库（2023-09-20开工）"
    assert result.cause == "开工41天未入库（2023-09-20开工）"
    project.fai_registered, project.fai_registered_on = True, datetime.date(2023, 10, 15)
    project.save()
    assert services.light(project, OCT).light == "green"


def test_a_project_on_several_lists(econ_dept):
    project = make_project("P1", econ_dept, plan="1000", level="district")
    ProjectYearPlan.objects.create(
        project=project, year=2023, level="province", annual_plan_wan=Decimal("2000")
    )
    report(project, 2023, 12, "1000")
    assert services.primary_plan(project, 2023).level == "province"
    assert services.light(project, DEC).light == "red"  # 50 % of the province plan
    rows = [services.as_json_row(r) for r in services.book(type(project).objects.all(), DEC)]
    assert [(r["level"], r["annual_plan"], r["completion"], r["light"]) for r in rows] == [
        ("province", 2000.0, 0.5, "red"),
        ("district", 1000.0, 1.0, "green"),
    ]


def test_only_a_red_project_is_escalated(on_track, far_behind, leader):
    with pytest.raises(ValidationError, match="绿灯，只有红灯项目可以提级调度"):
        services.escalate(on_track, OCT, leader, "进度正常也想调度")
    escalation = services.escalate(far_behind, OCT, leader, "连续三个月落后序时进度")
    with pytest.raises(ValidationError, match="已在调度会议清单上"):
        services.escalate(far_behind, OCT, leader, "再次提级")
    services.decide(escalation, "由规划国土局10日内落实用地指标", datetime.date(2023, 11, 5))
    escalation = Escalation.objects.get()
    assert escalation.decision == "由规划国土局10日内落实用地指标"
    assert escalation.decided_on == datetime.date(2023, 11, 5)
