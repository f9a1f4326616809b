"""The demo demands: about 1,100 over the last year, almost all closed, a few overdue now."""

import datetime

from yuanqu.demands import escalation, services
from yuanqu.demands.choices import CLOSED_STATUSES, OPEN_STATUSES
from yuanqu.demands.demo import OVERDUE_NOW, generate_demands
from yuanqu.demands.models import Demand, DemandAttachment, DemandEvent
from yuanqu.enterprises import demo as enterprise_demo
from yuanqu.notifications.models import Notification

TODAY = datetime.date(2025, 6, 30)


def test_generate_demands(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    enterprise_demo.generate(60, today=TODAY)
    count = generate_demands(TODAY)
    assert 1000 <= count == Demand.objects.count() <= 1100
    closed = Demand.objects.filter(status__in=CLOSED_STATUSES).count()
    assert closed / count > 0.9
    overdue = Demand.objects.filter(services.light_q("red", TODAY))
    assert OVERDUE_NOW <= overdue.count() <= OVERDUE_NOW + 10
    assert not Demand.objects.filter(received_at__date__gt=TODAY).exists()
    assert Demand.objects.filter(received_at__date__lt=TODAY - datetime.timedelta(days=300)).exists()
    # Every demand has its history from 受理; closed ones all the way to 办结, confirmed by the
    # portal's enterprise or called back by the handler for the others; a few answers wait.
    assert DemandEvent.objects.filter(action="receive").count() == count
    closings = DemandEvent.objects.filter(action__in=["confirm", "follow_up"], to_status="closed")
    assert closings.count() == closed and closings.filter(action="confirm").exists()
    assert not DemandEvent.objects.filter(action="close").exists()
    assert Demand.objects.filter(status__in=OPEN_STATUSES, events__to_status="closed").count() == 0
    ent = Demand.objects.filter(status="answered", enterprise__users__role="enterprise")
    assert ent.exists()  # the portal user has answers to confirm
    assert not Demand.objects.filter(status="closed", satisfaction="").exists()
    callbacks = Demand.objects.filter(events__action="follow_up")
    assert not callbacks.filter(follow_up_contact="").exists()
    total, rows = services.statistics(TODAY - datetime.timedelta(days=366), TODAY, today=TODAY)
    assert total.received == count and total.on_time_rate > 90 and total.satisfaction_rate == 100.0
    assert len(rows) >= 5
    assert Demand.objects.filter(extension_days=5, status="in_progress").count() == 1  # for the leader
    # Overdue demands stand at every escalation level, with the history the sweep writes.
    levels = set(Demand.objects.exclude(escalation_level="").values_list("escalation_level", flat=True))
    assert levels == {"urge", "supervise", "circulate"}
    circulated = Demand.objects.filter(escalation_level="circulate").first()
    assert [e.action for e in circulated.events.filter(actor=None)][:3] == ["urge", "supervise", "circulate"]
    # …nothing the real sweep would add today, and a notification to each holder.
    assert escalation.sweep(TODAY, dry_run=True) == []
    assert Notification.objects.filter(kind="demand_escalation").exists()
    # A few demands carry a real (small) PDF.
    attachment = DemandAttachment.objects.first()
    assert DemandAttachment.objects.count() >= 8
    assert attachment.file.read(5) == b"%PDF-"
    # A rerun changes nothing.
    assert generate_demands(TODAY) == 0
    assert Demand.objects.count() == count
    assert DemandAttachment.objects.count() == 3 * 1 + 5 * 2  # 3 open (request), 5 closed (request, answer)
