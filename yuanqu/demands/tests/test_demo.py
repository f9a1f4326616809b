"""The demo demands: about 1,100 over the last year, almost all closed, a few overdue now."""

import datetime
import time

from yuanqu.demands import services
from yuanqu.demands.choices import CLOSED_STATUSES, OPEN_STATUSES
from yuanqu.demands.demo import OVERDUE_NOW, generate_demands
from yuanqu.demands.models import Demand, DemandEvent
from yuanqu.enterprises import demo as enterprise_demo

TODAY = datetime.date(2025, 6, 30)


def test_generate_demands(db):
    enterprise_demo.generate(60, today=TODAY)
    started = time.perf_counter()
    count = generate_demands(TODAY)
    assert time.perf_counter() - started < 10
    assert 1000 <= count == Demand.objects.count() <= 1100
    closed = Demand.objects.filter(status__in=CLOSED_STATUSES).count()
    assert closed / count > 0.9
    overdue = Demand.objects.filter(services.light_q("red", TODAY))
    assert OVERDUE_NOW <= overdue.count() <= OVERDUE_NOW + 10
    assert not Demand.objects.filter(received_at__date__gt=TODAY).exists()
    assert Demand.objects.filter(received_at__date__lt=TODAY - datetime.timedelta(days=300)).exists()
    # Every demand has its history from 受理; closed ones all the way to 办结.
    assert DemandEvent.objects.filter(action="receive").count() == count
    assert DemandEvent.objects.filter(action="close").count() == closed
    assert Demand.objects.filter(status__in=OPEN_STATUSES, events__action="close").count() == 0
    total, rows = services.statistics(TODAY - datetime.timedelta(days=366), TODAY, today=TODAY)
    assert total.received == count and total.on_time_rate > 90 and total.satisfaction_rate == 100.0
    assert len(rows) >= 5
    assert Demand.objects.filter(extension_days=5, status="in_progress").count() == 1  # for the leader
    # A rerun changes nothing.
    assert generate_demands(TODAY) == 0
    assert Demand.objects.count() == count
