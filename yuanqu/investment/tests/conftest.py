import datetime
from decimal import Decimal

import pytest

from yuanqu.investment.models import Lead, LeadEvent
from yuanqu.utilities.testing import factories as f


def make_lead(name, department, lead_on=datetime.date(2024, 3, 1), **extra):
    """A lead at 线索 since ``lead_on``, with its first event, as the add form leaves it."""
    extra.setdefault("investor", f"{name}投资方")
    extra.setdefault("origin_region", "yangtze")
    extra.setdefault("source", "business")
    lead = Lead.objects.create(
        name=name, department=department, lead_on=lead_on, stage_changed_on=lead_on, **extra
    )
    return lead


@pytest.fixture
def chain(db):
    return f.chain("新能源电池")


@pytest.fixture
def lead(econ_dept, chain, alice):
    """宁波锂电池项目 of 经济发展局, a lead since 2024-03-01."""
    lead = make_lead(
        "宁波锂电池项目",
        econ_dept,
        origin_city="宁波",
        industry_chain=chain,
        contracted_investment_wan=Decimal("35000"),
    )
    LeadEvent.objects.create(lead=lead, to_stage="lead", actor=alice, date=lead.lead_on)
    return lead


@pytest.fixture
def other_lead(invest_dept):
    """A lead of 招商局."""
    return make_lead("深圳电子元器件项目", invest_dept, origin_region="pearl", origin_city="深圳")
