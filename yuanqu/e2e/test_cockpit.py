import pytest

from yuanqu.economy.tests.test_cockpit import make_cockpit_data

from .conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHARTS = ["#chart-trend", "#chart-chains", "#chart-zones"]
CHARTS_DRAWN = f"{CHARTS}.every(s => document.querySelector(s + ' canvas'))"


def test_cockpit_on_a_laptop_and_a_phone(page, leader, owned_enterprise, other_enterprise, east):
    make_cockpit_data(owned_enterprise, other_enterprise, east)
    login_as(page, "leader")
    page.goto("/cockpit/?period=2024-08")
    page.wait_for_function(CHARTS_DRAWN)
    card = page.locator(".cockpit-card[data-code=industrial_output]")
    assert "15.50" in card.inner_text() and "3.3%" in card.inner_text()
    assert card.locator(".light-red").count() == 1
    assert "西区光电科技有限公司" in page.locator("#cockpit-warnings").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    page.screenshot(path="/tmp/cockpit-laptop.png", full_page=True)

    assert "拉低增速最多的企业" in page.inner_text("body")
    assert page.locator("#cockpit-drags").inner_text().count("西区光电科技有限公司") == 1

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.wait_for_function(CHARTS_DRAWN)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1")
    # at 390 px the bar charts keep three value ticks and cut long category names, so the
    # axis labels no longer overlap
    option = "echarts.getInstanceByDom(document.getElementById('chart-chains')).getOption()"
    assert page.evaluate(f"{option}.xAxis[0].splitNumber") == 2
    assert page.evaluate(f"{option}.yAxis[0].axisLabel.overflow") == "truncate"
    page.screenshot(path="/tmp/cockpit.png", full_page=True)

    # a 片区 bar opens the monthly values of that 片区
    page.set_viewport_size({"width": 1366, "height": 768})
    page.reload()
    page.wait_for_function(CHARTS_DRAWN)
    page.locator("#chart-zones").scroll_into_view_if_needed()
    box = page.locator("#chart-zones").bounding_box()
    # bars are sorted by value: 东区 (12亿) is category 0, 西区 (3.5亿) category 1
    x, y = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-zones')).convertToPixel({seriesIndex: 0}, [1, 1])"
    )
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/monthly-values/?*")
    table = page.locator("#object-table").inner_text()
    assert "西区光电科技有限公司" in table and "东区精密机械有限公司" not in table
