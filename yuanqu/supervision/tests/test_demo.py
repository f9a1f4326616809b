"""The demo supervision: about 60 tasks with reports, a few overdue, one list of 15 items."""

import datetime
import time

from yuanqu.enterprises import demo as enterprise_demo
from yuanqu.supervision import services
from yuanqu.supervision.demo import generate_supervision
from yuanqu.supervision.models import LookbackReview, RectificationItem, Task, TaskReport

TODAY = datetime.date(2025, 6, 30)


def test_generate_supervision(db):
    enterprise_demo.generate(30, today=TODAY)
    started = time.perf_counter()
    assert generate_supervision(TODAY) == 60
    assert time.perf_counter() - started < 10
    tasks = list(Task.objects.all())
    assert len(tasks) == 60 and TaskReport.objects.count() > 300
    assert 4 <= len(services.overdue(tasks, today=TODAY)) <= 10
    assert any(services.report_missing(t, today=TODAY) for t in tasks)
    assert not TaskReport.objects.filter(reported_on__gt=TODAY).exists()
    assert not Task.objects.filter(department__name="督查室").exists()
    rows = services.board(tasks, today=TODAY)
    assert len(rows) >= 5 and sum(r["total"] for r in rows) == 60
    items = RectificationItem.objects.all()
    assert items.count() == 15
    assert not items.filter(closed_on__isnull=False, evidence="", evidence_file="").exists()
    reopened = LookbackReview.objects.get(result="reopened").item
    assert reopened.closed_on is None
    # A rerun changes nothing.
    assert generate_supervision(TODAY) == 0
    assert Task.objects.count() == 60 and RectificationItem.objects.count() == 15
