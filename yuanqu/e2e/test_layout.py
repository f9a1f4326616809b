"""Pages fit the screens people use: at 390 px nothing widens the page and the menu waits
behind its button; at 1366 px the last column of the widest tables can be reached inside
the table's own box, without the page scrolling sideways."""

import datetime

import pytest

from yuanqu.demands import services as demands
from yuanqu.demands.models import DemandCategory
from yuanqu.evaluation import services as evaluation
from yuanqu.evaluation.tests.conftest import make_scheme
from yuanqu.investment.choices import Stage
from yuanqu.investment.models import Lead
from yuanqu.investment.tests.conftest import make_lead

from .conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def wide_world(alice, leader, enterprise_user, owned_enterprise, other_enterprise, econ_dept):
    """A lead in every stage with long names, an evaluated year, and the enterprise's demands."""
    for i, stage in enumerate(Stage.values):
        make_lead(
            f"长三角新能源汽车零部件及智能制造产业园二期项目{i}",
            econ_dept,
            stage=stage,
            signed_on=datetime.date(2024, 3, 1) if stage != Stage.LEAD else None,
            contracted_investment_wan=123456 + i,
        )
    owned_enterprise.land_area_mu = 50
    owned_enterprise.save()
    evaluation.evaluate(make_scheme(2024, econ_dept))
    category = DemandCategory.objects.order_by("pk").first() or DemandCategory.objects.create(
        name="用电", group=DemandCategory._meta.get_field("group").choices[0][0], time_limit_workdays=5
    )
    for n in range(3):
        demands.receive(
            alice,
            enterprise=owned_enterprise,
            category=category,
            channel="visit",
            title=f"新厂房临时用电增容及配套变电站建设协调事项第{n}项",
            description="新厂房投产需要增容至800千伏安。",
            received_at=datetime.datetime(2024, 9, 27, 10, tzinfo=datetime.UTC),
        )
    assert Lead.objects.count() == len(Stage.values)


def _page(browser, live_server, viewport, username):
    context = browser.new_context(locale="zh-CN", viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    login_as(page, username)
    return context, page


def _document_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_on_a_phone_pages_fit_and_the_menu_waits_behind_its_button(browser, live_server, wide_world):
    context, page = _page(browser, live_server, PHONE, "ent")
    try:
        for url in ("/demands/", "/"):
            page.goto(url)
            assert _document_width(page) <= PHONE["width"], url
            menu = page.locator("#sidenav")
            assert not menu.is_visible(), url  # the first screen is the page, not the menu
        page.locator(".nav-button").click()
        assert page.locator("#sidenav").is_visible()
        assert _document_width(page) <= PHONE["width"]
    finally:
        context.close()


def test_on_a_phone_the_wide_lists_scroll_inside_their_box(browser, live_server, wide_world):
    context, page = _page(browser, live_server, PHONE, "leader")
    try:
        for url in ("/enterprises/", "/investment-leads/board/", "/mu-evaluation/results/"):
            page.goto(url)
            assert _document_width(page) <= PHONE["width"], url
            assert not page.locator("#sidenav").is_visible(), url
    finally:
        context.close()


def _last_column_reachable(page, selector):
    """Scroll the last header cell into view inside its box; it must then be on screen while
    the page itself has not scrolled sideways."""
    cell = page.locator(selector).last
    cell.scroll_into_view_if_needed()
    box = cell.bounding_box()
    assert box is not None
    assert page.evaluate("window.scrollX") == 0
    assert box["x"] >= 0 and box["x"] + min(box["width"], 40) <= LAPTOP["width"]
    assert _document_width(page) <= LAPTOP["width"]


def test_at_1366_the_last_column_of_the_wide_tables_is_reachable(browser, live_server, wide_world):
    context, page = _page(browser, live_server, LAPTOP, "leader")
    try:
        page.goto("/investment-leads/board/")
        _last_column_reachable(page, ".board .column h2")
        assert "竣工投产" in page.locator(".board .column h2").nth(5).inner_text()
        page.goto("/mu-evaluation/results/")
        _last_column_reachable(page, "#object-table thead th")
        page.goto("/enterprises/")
        _last_column_reachable(page, "#object-table thead th")
    finally:
        context.close()


def test_at_1366_the_enterprise_reaches_the_last_column_of_its_demands(browser, live_server, wide_world):
    context, page = _page(browser, live_server, LAPTOP, "ent")
    try:
        page.goto("/demands/")
        _last_column_reachable(page, "#object-table thead th")
    finally:
        context.close()
