"""Demands' figures read as the statistics page counts them, by scope and by user."""

import datetime

import pytest

from yuanqu.demands import services
from yuanqu.demands.tests.conftest import at, power  # noqa: F401 (a fixture)
from yuanqu.figures.catalogue import Query, evaluate, figures

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def demands(alice, bob, econ_dept, owned_enterprise, other_enterprise, power, enterprise_user):  # noqa: F811
    """2024: 东区's enterprise closes one demand 满意 in March and leaves one open past its
    deadline; 西区's files one in May. 2023: one demand, closed."""

    def new(enterprise, when):
        return services.receive(
            alice,
            enterprise=enterprise,
            category=power,
            channel="visit",
            title="用电",
            description="d",
            received_at=when,
        )

    done = new(owned_enterprise, at(2024, 3, 4))
    services.assign(done, alice, econ_dept, at=at(2024, 3, 4))
    services.accept(done, bob, at=at(2024, 3, 4))
    services.answer(done, bob, "已协调", at=at(2024, 3, 7))
    services.confirm(done, enterprise_user, "satisfied", at=at(2024, 3, 8))
    new(owned_enterprise, at(2024, 3, 20))
    new(other_enterprise, at(2024, 5, 6))
    before = new(owned_enterprise, at(2023, 6, 5))
    services.assign(before, alice, econ_dept, at=at(2023, 6, 5))
    services.accept(before, bob, at=at(2023, 6, 5))
    services.answer(before, bob, "已协调", at=at(2023, 6, 6))
    services.confirm(before, enterprise_user, "basically", at=at(2023, 6, 7))


def values(period, **kwargs):
    catalogue = figures()
    query = Query(period, **kwargs)
    return {
        key.split(".")[1]: evaluate(f, query) for key, f in catalogue.items() if key.startswith("demands.")
    }


def test_the_figures_equal_the_statistics(demands):
    april = values(D(2024, 4, 1))
    assert (april["received"].value, april["closed"].value, april["overdue"].value) == (2, 1, 1)
    assert april["close_rate"].value == 50.0 and april["satisfaction_rate"].value == 100.0
    assert april["received"].base == 0 and april["received"].growth is None  # 2023 1–4月: none
    june = values(D(2024, 6, 1))
    assert (june["received"].value, june["received"].base, june["received"].growth) == (3, 1, 2)
    total, _ = services.statistics(D(2024, 1, 1), D(2024, 12, 31), today=D(2024, 12, 31))
    december = values(D(2024, 12, 1))
    assert december["received"].value == total.received == 3
    assert december["close_rate"].value == total.close_rate
    assert december["received"].link.startswith("/demands/statistics/?start=2024-01-01&end=2024-12-31")


@pytest.mark.parametrize("month", [3, 4, 12])
def test_every_demand_figure_equals_the_statistics_page(demands, month):
    last = D(2024, 12, 31) if month == 12 else D(2024, month + 1, 1) - datetime.timedelta(days=1)
    total, _ = services.statistics(D(2024, 1, 1), last, today=last)
    got = values(D(2024, month, 1))
    for name in ("received", "closed", "close_rate", "on_time_rate", "satisfaction_rate", "overdue"):
        assert got[name].value == getattr(total, name), name


def test_scopes_and_the_users_grant(demands, east, grid_worker, econ_dept):
    assert values(D(2024, 12, 1), scope="zone", target=east)["received"].value == 2
    assert values(D(2024, 12, 1), scope="department", target=econ_dept)["received"].value == 3
    assert values(D(2024, 12, 1), user=grid_worker)["received"].value == 2  # 东区 only
