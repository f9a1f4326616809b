"""The demo key projects: about 80, a few red, this year's monthly progress; a rerun changes
nothing."""

import datetime

from yuanqu.enterprises import demo as enterprise_demo
from yuanqu.projects.demo import FAR_BEHIND, START_OVERDUE, TOTAL, generate_projects
from yuanqu.projects.models import KeyProject, MonthlyProgress
from yuanqu.projects.services import lights_by_project

TODAY = datetime.date(2025, 11, 15)


def test_generate_projects(db):
    enterprise_demo.generate(60, today=TODAY)
    assert generate_projects(TODAY) == TOTAL == KeyProject.objects.count()
    assert MonthlyProgress.objects.filter(period__year=2025).count() == TOTAL * 10
    lights = [
        r.light for r in lights_by_project(KeyProject.objects.all(), datetime.date(2025, 10, 1)).values()
    ]
    assert FAR_BEHIND + START_OVERDUE <= lights.count("red") <= 12
    assert lights.count("green") > TOTAL / 2 and lights.count("yellow") >= 5
    assert not KeyProject.objects.filter(department=None).exists()
    assert generate_projects(TODAY) == 0
    assert KeyProject.objects.count() == TOTAL


def test_demo_weekly_watch_and_statistics(client, leader):
    from django.urls import reverse
    from django.utils import timezone

    from yuanqu.projects.demo import UNREPORTED
    from yuanqu.projects.models import WeeklyReport
    from yuanqu.projects.services import statistics, weekly_board

    from .test_features import assert_statistics_sheet

    enterprise_demo.generate(60, today=TODAY)
    generate_projects(TODAY)
    board = weekly_board(KeyProject.objects.all(), TODAY)
    assert len(board) >= FAR_BEHIND + START_OVERDUE
    assert sum(1 for row in board if row["report"] is None) == UNREPORTED
    figures = statistics(KeyProject.objects.all(), datetime.date(2025, 10, 1))
    assert figures["listed"] == TOTAL and figures["started_billion"] > 0 and figures["finished"] > 0
    assert all(row["count"] > 0 and row["rate"] for row in figures["by_type"])
    # The page's export holds these figures (the page counts lights to today).
    client.force_login(leader)
    response = client.get(reverse("projects:statistics"), {"period": "2025-10", "export": "xlsx"})
    shown = statistics(KeyProject.objects.all(), datetime.date(2025, 10, 1), today=timezone.localdate())
    read = assert_statistics_sheet(response.content, "重点项目统计（2025年10月）", shown)
    assert read[0][0] == ("本年在库项目（个）", TOTAL) and read[2][-1][:2] == ("合计", TOTAL)
    reports = WeeklyReport.objects.count()
    generate_projects(TODAY)  # a rerun changes nothing
    assert WeeklyReport.objects.count() == reports


def test_lights_of_every_demo_project_in_five_queries_as_one_by_one(db, django_assert_max_num_queries):
    """The lights of the list, the cockpit and the 周通报 are read as rows in a fixed number of
    queries; each is the light the project page computes from the project itself."""
    from yuanqu.projects.services import light

    enterprise_demo.generate(60, today=TODAY)
    generate_projects(TODAY)
    period = datetime.date(2025, 10, 1)
    few = KeyProject.objects.order_by("code")[:3]
    with django_assert_max_num_queries(5):
        lights_by_project(KeyProject.objects.filter(pk__in=few.values("pk")), period, today=TODAY)
    with django_assert_max_num_queries(5):
        lights = lights_by_project(KeyProject.objects.all(), period, today=TODAY)
    projects = list(KeyProject.objects.all())
    assert len(lights) == len(projects) == TOTAL
    for project in projects:
        one = light(project, period, today=TODAY)
        assert lights[project.pk] == one, project.code
    assert {r.light for r in lights.values()} == {"green", "yellow", "red"}
    assert any(r.parts and r.notes == [] for r in lights.values())
    # A list of projects (the 周通报 passes one) gives the same, with no query per project.
    with django_assert_max_num_queries(5):
        assert lights_by_project(projects, period, today=TODAY) == lights
