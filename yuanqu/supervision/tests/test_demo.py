"""The demo supervision: about 60 tasks with reports, a few overdue, one list of 15 items."""

import datetime

from yuanqu.enterprises import demo as enterprise_demo
from yuanqu.supervision import services
from yuanqu.supervision.demo import generate_supervision
from yuanqu.supervision.models import (
    AssessmentPeriod,
    AssessmentScore,
    LookbackReview,
    RectificationItem,
    Task,
    TaskReport,
)
from yuanqu.users.models import User

TODAY = datetime.date(2025, 6, 30)


def test_generate_supervision(db):
    enterprise_demo.generate(30, today=TODAY)
    assert generate_supervision(TODAY) == 60
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
    assert Task.objects.filter(supporting_departments__isnull=False).distinct().count() == 60
    done = Task.objects.filter(status="done")
    assert done.exists() and not done.filter(done_on=None).exists()
    # May's and April's 月小结, every department leading a task ranked, ranks 1…n.
    assert list(AssessmentPeriod.objects.values_list("name", flat=True)) == ["2025年5月", "2025年4月"]
    may = AssessmentPeriod.objects.get(name="2025年5月")
    ranks = sorted(may.scores.values_list("rank", flat=True))
    assert ranks[0] == 1 and len(ranks) == Task.objects.values("department").distinct().count()
    assert may.notices.count() == 1 and may.scores.filter(notice_count=1).exists()
    assert User.objects.get(username="inspector").role == "inspector"
    # A rerun changes nothing.
    scores = list(AssessmentScore.objects.values_list("pk", "total"))
    assert generate_supervision(TODAY) == 0
    assert Task.objects.count() == 60 and RectificationItem.objects.count() == 15
    assert list(AssessmentScore.objects.values_list("pk", "total")) == scores
