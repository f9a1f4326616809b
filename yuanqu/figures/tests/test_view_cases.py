"""The shared CRUD cases on the peers' values (同级园区数据); they name no department, so a
department-limited grant reaches none of them."""

import datetime
import itertools
from decimal import Decimal

from yuanqu.figures.models import PeerValue
from yuanqu.utilities.testing.views import ViewTestCases

_serial = itertools.count(1)


class TestPeerValueViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = PeerValue
    edit_changes = {"source": "市统计局通报（更正）"}

    def make_record(self, department):
        n = next(_serial)
        return PeerValue.objects.create(
            figure="economy.industrial_output",
            period=datetime.date(2030, 1, 1),
            peer=f"园区{n:04}",
            value=Decimal(n),
        )

    def record_text(self, record):
        return record.peer

    def create_data(self, department):
        n = next(_serial)
        return {
            "figure": "economy.industrial_output",
            # The month as the change log keeps it; the growth typed in percent is
            # test_peers.py's (the log keeps the fraction).
            "period": "2031-06-01",
            "peer": f"新园区{n:04}",
            "value": "1234.5",
            "source": "市统计局通报",
        }
