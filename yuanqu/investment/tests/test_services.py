"""Stage moves and the report statistics, against hand-computed figures."""

import datetime
from decimal import Decimal

import pytest

from yuanqu.investment import services
from yuanqu.investment.models import FundsInPlace, LeadEvent

from .conftest import make_lead

D = datetime.date


def test_next_stage_moves_without_reason_and_records_the_event(lead, alice):
    event = services.move_stage(lead, "negotiating", alice, D(2024, 4, 2))
    lead.refresh_from_db()
    assert lead.stage == "negotiating" and lead.negotiating_on == D(2024, 4, 2)
    assert lead.stage_changed_on == D(2024, 4, 2)
    assert (event.from_stage, event.to_stage, event.actor, event.date) == (
        "lead",
        "negotiating",
        alice,
        D(2024, 4, 2),
    )


def test_skipping_stages_is_refused_without_reason(lead, alice):
    with pytest.raises(services.StageError, match="从“线索”到“签约”跳过了阶段，须填写原因"):
        services.move_stage(lead, "signed", alice, D(2024, 5, 1))
    lead.refresh_from_db()
    assert lead.stage == "lead" and lead.signed_on is None
    assert LeadEvent.objects.filter(lead=lead).count() == 1
    services.move_stage(lead, "signed", alice, D(2024, 5, 1), reason="领导现场洽谈后直接签约")
    lead.refresh_from_db()
    assert lead.stage == "signed" and lead.signed_on == D(2024, 5, 1)
    assert lead.events.last().note == "领导现场洽谈后直接签约"


def test_going_back_and_terminating_need_a_reason(lead, alice):
    services.move_stage(lead, "negotiating", alice, D(2024, 4, 1))
    with pytest.raises(services.StageError, match="退回了阶段"):
        services.move_stage(lead, "lead", alice, D(2024, 4, 5))
    with pytest.raises(services.StageError, match="终止招商项目须填写终止原因"):
        services.move_stage(lead, "terminated", alice, D(2024, 4, 5))
    services.move_stage(lead, "terminated", alice, D(2024, 4, 5), reason="选址改至其他地区")
    lead.refresh_from_db()
    assert lead.termination_reason == "选址改至其他地区" and lead.terminated_on == D(2024, 4, 5)
    with pytest.raises(services.StageError, match="已终止"):
        services.move_stage(lead, "negotiating", alice, D(2024, 4, 6), reason="重启")


def test_dates_must_follow_the_last_change_and_not_be_in_the_future(lead, alice):
    with pytest.raises(services.StageError, match="不能早于上一次阶段变更日期2024-03-01"):
        services.move_stage(lead, "negotiating", alice, D(2024, 2, 1))
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(services.StageError, match="不能晚于今天"):
        services.move_stage(lead, "negotiating", alice, tomorrow)


def test_growth_rounds_to_two_decimals():
    assert services.growth(55, 22) == Decimal("150.00")
    assert services.growth(2, 3) == Decimal("-33.33")
    assert services.growth(1, 3) == Decimal("-66.67")
    assert services.growth(5, 0) is None
    assert services.to_yi(Decimal("2226000")) == Decimal("222.60")


def signed(name, department, on, amount, region="yangtze", **extra):
    return make_lead(
        name,
        department,
        lead_on=on - datetime.timedelta(days=30),
        stage="signed",
        signed_on=on,
        contracted_investment_wan=Decimal(amount),
        origin_region=region,
        **extra,
    )


def test_year_statistics_by_band_region_and_chain(econ_dept, chain):
    # 2024: 3 signed, 2 of them ≥1亿 (one ≥10亿); 2023 same period: 1 ≥1亿.
    signed("A", econ_dept, D(2024, 2, 1), 150000, industry_chain=chain)
    signed("B", econ_dept, D(2024, 5, 1), 10000, region="pearl")
    signed("C", econ_dept, D(2024, 6, 1), 9999.99)
    signed("D", econ_dept, D(2024, 12, 1), 50000)  # after the cut-off date
    signed("E", econ_dept, D(2023, 3, 1), 20000)
    signed("F", econ_dept, D(2023, 7, 1), 30000)  # after the same day a year earlier
    make_lead("G", econ_dept, lead_on=D(2024, 1, 15))
    lead = signed("H", econ_dept, D(2022, 1, 1), 8000)
    FundsInPlace.objects.create(
        lead=lead, date=D(2024, 3, 1), amount_wan=Decimal("1200.50"), kind="out_of_province"
    )
    FundsInPlace.objects.create(lead=lead, date=D(2024, 4, 1), amount_wan=Decimal("800"), kind="in_province")
    figures = services.year_statistics(2024, until=D(2024, 6, 30))
    c, p = figures.current, figures.previous
    assert (c.start, c.end, p.start, p.end) == (D(2024, 1, 1), D(2024, 6, 30), D(2023, 1, 1), D(2023, 6, 30))
    # leads opened: A(1-2), B(4-1), C(5-2), G(1-15) in 2024 up to 6-30
    assert c.leads == 4
    assert c.signed.count == 3 and c.signed.investment_wan == Decimal("169999.99")
    assert c.over_yi.count == 2 and c.over_yi.investment_yi == Decimal("16.00")
    assert c.over_ten_yi.count == 1 and c.over_ten_yi.investment_yi == Decimal("15.00")
    assert p.over_yi.count == 1
    assert figures.over_yi_growth == Decimal("100.00")
    assert c.by_region == [("长三角", 2, 1, Decimal("16.00")), ("珠三角", 1, 1, Decimal("1.00"))]
    assert c.by_chain[0] == ("新能源电池", 1, 1, Decimal("15.00"))
    assert c.by_chain[1] == ("未分类", 2, 1, Decimal("2.00"))
    assert c.funds_out_of_province_wan == Decimal("1200.50")


def test_conversion_rates_and_median_days(econ_dept):
    signed("A", econ_dept, D(2024, 1, 1), 10000, registered_on=D(2024, 1, 11), started_on=D(2024, 2, 10))
    signed("B", econ_dept, D(2024, 1, 1), 10000, registered_on=D(2024, 1, 21), started_on=D(2024, 4, 1))
    signed("C", econ_dept, D(2024, 1, 1), 10000, registered_on=D(2024, 2, 1))
    signed("D", econ_dept, D(2024, 1, 1), 10000)
    rows = services.conversion()
    assert [r.label for r in rows] == ["签约→注册落地", "注册落地→开工", "开工→竣工投产"]
    assert (rows[0].reached_from, rows[0].reached_to, rows[0].rate, rows[0].median_days) == (
        4,
        3,
        Decimal("75.00"),
        20,
    )
    # 30 and 71 days: the median of two is their mean
    assert (rows[1].reached_from, rows[1].reached_to, rows[1].rate, rows[1].median_days) == (
        3,
        2,
        Decimal("66.67"),
        50.5,
    )
    assert (rows[2].reached_from, rows[2].rate, rows[2].median_days) == (2, Decimal("0.00"), None)


def test_stalled_leads(econ_dept):
    today = D(2024, 6, 30)
    old = make_lead("久未推进", econ_dept, lead_on=D(2024, 3, 1))  # 121 days
    edge = make_lead("恰好90天", econ_dept, lead_on=D(2024, 4, 1))  # 90 days
    make_lead("新线索", econ_dept, lead_on=D(2024, 4, 2))  # 89 days
    make_lead("已投产", econ_dept, lead_on=D(2023, 1, 1), stage="producing")
    make_lead("已终止", econ_dept, lead_on=D(2023, 1, 1), stage="terminated")
    assert list(services.stalled(days=90, today=today)) == [old, edge]
    assert list(services.stalled(days=100, today=today)) == [old]


@pytest.fixture
def two_first_halves(econ_dept):
    """Leads of 2025 and 2024, each year's first half against the other's (hand-computed)."""
    # 2025 up to 06-30: 4 new leads (A 01-02, B 03-02, C 04-01, G 06-10); signed ≥1亿: A, B
    # (162,000万元); ≥10亿: A (150,000万元).
    signed("A", econ_dept, D(2025, 2, 1), 150000)
    signed("B", econ_dept, D(2025, 4, 1), 12000)
    signed("C", econ_dept, D(2025, 5, 1), 5000)
    make_lead("G", econ_dept, lead_on=D(2025, 6, 10))
    # 2024 up to 06-30: 3 new leads (E 01-31, F 04-01, K 06-30); ≥1亿: E, F (120,000万元);
    # ≥10亿: E at exactly 10亿 (100,000万元). H is signed after the cut-off day.
    signed("E", econ_dept, D(2024, 3, 1), 100000)
    signed("F", econ_dept, D(2024, 5, 1), 20000)
    make_lead("K", econ_dept, lead_on=D(2024, 6, 30))
    signed("H", econ_dept, D(2024, 8, 1), 300000)


def test_year_on_year_of_new_leads_and_of_both_size_bands(two_first_halves):
    figures = services.year_statistics(2025, until=D(2025, 6, 30))
    assert (figures.current.leads, figures.previous.leads) == (4, 3)
    assert figures.leads_growth == Decimal("33.33")  # 4 ÷ 3 − 1
    assert figures.over_yi_growth == Decimal("0.00")  # 2 against 2
    assert figures.over_yi_investment_growth == Decimal("35.00")  # 162,000 ÷ 120,000 − 1
    assert figures.over_ten_yi_growth == Decimal("0.00")  # 1 against 1
    assert figures.over_ten_yi_investment_growth == Decimal("50.00")  # 150,000 ÷ 100,000 − 1


def test_year_on_year_without_last_years_base_is_none(econ_dept):
    signed("A", econ_dept, D(2025, 2, 1), 150000)
    figures = services.year_statistics(2025, until=D(2025, 6, 30))
    assert figures.current.over_ten_yi.count == 1 and figures.previous.over_ten_yi.count == 0
    assert figures.over_ten_yi_growth is None and figures.leads_growth is None
