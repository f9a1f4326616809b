"""The demo pipeline: about 150 leads over two years, 55 signed 亿元以上 in the latest year."""

import datetime

from yuanqu.enterprises import demo as enterprise_demo
from yuanqu.investment import services
from yuanqu.investment.demo import generate_investment
from yuanqu.investment.models import FundsInPlace, Lead, LeadEvent
from yuanqu.projects.demo import generate_projects

TODAY = datetime.date(2025, 6, 30)


def test_generate_investment(db):
    enterprise_demo.generate(30, today=TODAY)
    count = generate_investment(TODAY)
    assert 140 <= count == Lead.objects.count() <= 160
    figures = services.year_statistics(2025, until=TODAY)
    assert figures.current.over_yi.count == 55
    assert figures.previous.over_yi.count > 0 and figures.over_yi_growth > 0
    assert figures.current.over_ten_yi.count >= 1
    assert not Lead.objects.filter(stage_changed_on__gt=TODAY).exists()
    assert not FundsInPlace.objects.filter(date__gt=TODAY).exists()
    assert services.funds_in_place(datetime.date(2024, 1, 1), TODAY) > 0
    # Every lead's history starts at 线索 and ends at its current stage.
    assert LeadEvent.objects.filter(from_stage="").count() == count
    for lead in Lead.objects.all():
        assert lead.events.order_by("date", "id").last().to_stage == lead.stage
    assert all(row.reached_from for row in services.conversion())
    # A rerun changes nothing.
    assert generate_investment(TODAY) == 0
    assert Lead.objects.count() == count


def test_demo_links_started_leads_to_key_projects(db):
    enterprise_demo.generate(30, today=TODAY)
    generate_projects()
    generate_investment(TODAY)
    linked = Lead.objects.exclude(key_project=None)
    assert 1 <= linked.count() <= 10
    for lead in linked:
        assert lead.stage in ("started", "producing")
        assert lead.key_project.department_id == lead.department_id
