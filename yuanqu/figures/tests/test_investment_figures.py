"""Investment's figures: signed projects by size band and value, funds in place by kind,
talents, as the statistics of the same window count them."""

import datetime
from decimal import Decimal

import pytest

from yuanqu.figures.catalogue import Query, evaluate, figures
from yuanqu.investment import services
from yuanqu.investment.models import FundsInPlace, Lead, TalentIntroduction
from yuanqu.investment.tests.conftest import make_lead
from yuanqu.users.permissions import restrict

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def leads(econ_dept, invest_dept):
    """2024 signings of 0.5, 3, 6 and 12 亿元 (the 12 亿元 one 招商局's); one 3 亿元 in 2023."""
    made = []
    for n, (wan, dept, signed) in enumerate(
        [
            (5000, econ_dept, D(2024, 2, 1)),
            (30000, econ_dept, D(2024, 4, 8)),
            (60000, econ_dept, D(2024, 5, 6)),
            (120000, invest_dept, D(2024, 6, 3)),
            (30000, econ_dept, D(2023, 5, 9)),
        ]  # fmt: skip
    ):
        lead = make_lead(
            f"项目{n}", dept, lead_on=signed, contracted_investment_wan=Decimal(wan), signed_on=signed
        )
        made.append(lead)
    FundsInPlace.objects.create(
        lead=made[1], date=D(2024, 5, 1), amount_wan=Decimal("8000"), kind="out_of_province"
    )
    FundsInPlace.objects.create(
        lead=made[2], date=D(2024, 6, 1), amount_wan=Decimal("2000"), kind="in_province"
    )
    FundsInPlace.objects.create(
        lead=made[4], date=D(2023, 6, 1), amount_wan=Decimal("5000"), kind="out_of_province"
    )
    TalentIntroduction.objects.create(lead=made[1], date=D(2024, 5, 2), tier="high", count=3)
    return made


def values(period, **kwargs):
    query = Query(period, **kwargs)
    return {k.split(".")[1]: evaluate(f, query) for k, f in figures().items() if k.startswith("investment.")}


def test_bands_values_funds_and_talents(leads):
    june = values(D(2024, 6, 1))
    stats = services.period_statistics(D(2024, 1, 1), D(2024, 6, 30))
    assert june["signed"].value == stats.signed.count == 4
    assert june["signed_100m"].value == stats.over_yi.count == 3
    assert june["signed_500m"].value == 2
    assert june["signed_1000m"].value == stats.over_ten_yi.count == 1
    assert june["signed_amount"].value == Decimal("21.5")  # 亿元
    assert june["signed_100m"].base == 1 and june["signed_100m"].growth == 2
    assert june["funds_out_of_province"].value == Decimal("0.8") and june["funds"].value == Decimal("1")
    assert june["funds_out_of_province"].growth == Decimal("0.8") / Decimal("0.5") - 1
    assert june["talents"].value == 3
    assert values(D(2024, 4, 1))["signed"].value == 2  # 1–4月


def test_scopes_and_the_users_grant(leads, econ_dept, alice, charlie):
    assert values(D(2024, 12, 1), scope="department", target=econ_dept)["signed"].value == 3
    assert values(D(2024, 12, 1), scope="zone")["signed"].note.startswith("该数据项只能按")
    for user in (alice, charlie):
        visible = restrict(Lead.objects.all(), user, "view")
        expected = services.period_statistics(D(2024, 1, 1), D(2024, 12, 31), queryset=visible)
        assert values(D(2024, 12, 1), user=user)["signed"].value == expected.signed.count
