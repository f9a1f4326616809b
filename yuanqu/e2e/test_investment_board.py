import datetime

import pytest

from yuanqu.investment.models import Lead

from .conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_move_a_lead_across_the_board_and_read_it_in_its_history(page, alice, econ_dept):
    lead = Lead.objects.create(
        name="宁波锂电池项目",
        investor="宁波锂电有限公司",
        origin_region="yangtze",
        source="business",
        department=econ_dept,
        lead_on=datetime.date(2024, 3, 1),
        stage_changed_on=datetime.date(2024, 3, 1),
    )
    login_as(page, "alice")
    page.goto("/investment-leads/board/")
    for column in ("洽谈（1个", "签约（1个"):
        page.locator(f"#lead-{lead.pk} button").click()
        page.wait_for_function(f"document.querySelector('#board').innerText.includes('{column}')")
    page.goto(lead.get_absolute_url())
    events = page.locator("#events").inner_text()
    assert "线索 → 洽谈 · 王丽" in events and "洽谈 → 签约 · 王丽" in events
    assert "签约" in page.locator("#summary").inner_text()
    history = page.locator("#history").inner_text()
    assert "阶段：线索 → 洽谈" in history and "阶段：洽谈 → 签约" in history


def test_dragging_a_card_past_a_stage_asks_for_the_reason(page, alice, econ_dept):
    lead = Lead.objects.create(
        name="苏州光伏组件项目",
        investor="苏州光伏有限公司",
        origin_region="yangtze",
        source="expo",
        department=econ_dept,
        lead_on=datetime.date(2024, 3, 1),
        stage_changed_on=datetime.date(2024, 3, 1),
    )
    login_as(page, "alice")
    page.goto("/investment-leads/board/")
    page.once("dialog", lambda dialog: dialog.accept("领导现场签约"))
    page.locator(f"#lead-{lead.pk}").drag_to(page.locator(".column[data-stage=signed]"))
    page.wait_for_function("document.querySelector('#board').innerText.includes('签约（1个')")
    lead.refresh_from_db()
    assert lead.stage == "signed"
    assert lead.events.get(to_stage="signed").note == "领导现场签约"
