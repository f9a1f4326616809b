import datetime
from zoneinfo import ZoneInfo

import pytest

from yuanqu.demands import services
from yuanqu.demands.models import DemandCategory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hour=10):
    return datetime.datetime(y, m, d, hour, tzinfo=SHANGHAI)


@pytest.fixture
def power(db):
    """要素保障-用电: 5 working days, yellow 1 working day before."""
    return DemandCategory.objects.get(name="用电")


@pytest.fixture
def demand(alice, owned_enterprise, power):
    """Received by alice (经济发展局) on Friday 2024-09-27 for 东区精密机械."""
    return services.receive(
        alice,
        enterprise=owned_enterprise,
        category=power,
        channel="visit",
        title="新厂房临时用电增容",
        description="新厂房投产需要增容至800千伏安。",
        received_at=at(2024, 9, 27),
    )
