"""The demo zone hangs together: weekly reports quote the project's own figures, nothing is
built before 开工, a demand's text is about its title, and the summary counts the logins it
prints."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from yuanqu.demands.models import Demand
from yuanqu.economy.services import add_months
from yuanqu.enterprises import demo
from yuanqu.projects.choices import MilestoneKind
from yuanqu.projects.demo import BEFORE_START, STAGES
from yuanqu.projects.models import KeyProject, Milestone, MonthlyProgress, WeeklyReport
from yuanqu.utilities.testing.database import rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> str:
    """One small demo zone for the whole module (seeding takes seconds), rolled back after it;
    the tests only read it. Yields what ``seed_demo`` printed."""
    with rolled_back(django_db_blocker):
        out = io.StringIO()
        call_command("seed_demo", enterprises=60, stdout=out)
        yield out.getvalue()


def test_key_projects_progress_reads_in_order_and_weekly_reports_quote_their_figures(seeded):
    started = {m.project_id: m.actual_on for m in Milestone.objects.filter(kind=MilestoneKind.START)}
    # Milestones in a plausible order: 供地 before 开工 before 竣工投产.
    by_project = {}
    for m in Milestone.objects.exclude(actual_on=None):
        by_project.setdefault(m.project_id, {})[m.kind] = m.actual_on
    for dates in by_project.values():
        order = [dates.get(k) for k in (MilestoneKind.LAND, MilestoneKind.START, MilestoneKind.COMPLETED)]
        present = [d for d in order if d is not None]
        assert present == sorted(present)
        if dates.get(MilestoneKind.START) is None:
            assert dates.get(MilestoneKind.COMPLETED) is None
    # Not started: no building stage, no investment, on the project and in every month.
    for project in KeyProject.objects.all():
        months = MonthlyProgress.objects.filter(project=project)
        if started[project.pk] is None:
            assert project.image_progress == BEFORE_START
            assert not months.exclude(month_investment_wan=0).exists()
            assert set(months.values_list("physical_progress", flat=True)) <= {BEFORE_START}
        else:
            assert project.image_progress != BEFORE_START
    # A month before 开工 shows no stage after it (设备安装 comes after 开工, never before).
    for report in MonthlyProgress.objects.select_related("project"):
        start = started[report.project_id]
        month_end = add_months(report.period, 1) - datetime.timedelta(days=1)
        if start is None or month_end < start:
            assert report.physical_progress not in STAGES
    # Weekly reports quote the investment the monthly reports add up to by that week.
    weekly = list(WeeklyReport.objects.all())
    assert weekly
    for report in weekly:
        quoted = re.search(r"完成投资约?([\d,]+(?:\.\d+)?)万元", report.progress_text)
        assert quoted, report.progress_text
        real = sum(
            (
                m.month_investment_wan
                for m in MonthlyProgress.objects.filter(project=report.project, period__year=report.week.year)
                if m.period < report.week.replace(day=1)
            ),
            Decimal(0),
        )
        assert Decimal(quoted.group(1).replace(",", "")) == real.quantize(Decimal("0.01"))
        if started[report.project_id] is None:
            assert "尚未开工" in report.progress_text and real == 0


def test_demand_texts_are_about_their_titles(seeded):
    demands = list(Demand.objects.values_list("title", "description"))
    assert len(demands) > 500
    for title, description in demands:
        assert title in description, (title, description)


def test_the_summary_counts_the_logins_it_prints(seeded):
    output = seeded
    out = io.StringIO()
    demo.print_logins(out)
    printed = [line for line in out.getvalue().splitlines() if demo.DEMO_PASSWORD in line]
    counted = int(re.search(r"账号 (\d+) 个", output).group(1))
    assert counted == len(printed) == len(demo.LOGINS)
    assert "inspector" in out.getvalue()
