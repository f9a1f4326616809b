"""材料报告 in the browser: a drafter generates a monthly report, reads it on a laptop and on a
phone, and a click on a number of the preview lands on the records behind it."""

import pytest

from yuanqu.documents.models import ReportTemplate
from yuanqu.documents.tests.test_pages_documents import ZONE_TEMPLATE
from yuanqu.economy.tests.conftest import output  # noqa: F401 (a fixture of zone_data)
from yuanqu.economy.tests.test_command import zone_data  # noqa: F401 (a fixture)

from .conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

FITS = "document.documentElement.scrollWidth <= innerWidth + 1"


@pytest.mark.usefixtures("zone_data")
def test_generate_a_monthly_report_and_click_a_number_to_its_records(page, alice):
    # with a wide table: on a phone it scrolls inside the preview, the page stays the screen's width
    wide = "{{ table(economy.chains, [['name', '产业链'], ['ytd', '累计', '万元'], ['growth_pct', '同比'], ['pull_pp', '拉动', '百分点'], ['name', '产业链（复核）'], ['name', '产业链（备注）']], '分产业链情况（宽表）') }}\n"
    ReportTemplate.objects.create(kind="monthly", name="本区月度简况", text=ZONE_TEMPLATE + wide)
    login_as(page, "alice")
    page.click("nav >> text=材料报告")
    page.wait_for_url("**/documents/")
    page.click("text=生成材料")
    page.select_option("select[name=kind]", "monthly")
    page.fill("input[name=period]", "2024-08")
    page.click("button:has-text('生成')")
    page.wait_for_url("**/documents/*/")
    assert "已生成材料" in page.inner_text("body")
    preview = page.locator("#preview .doc-preview")
    assert "122万元" in preview.inner_text()
    assert page.evaluate(FITS)
    page.screenshot(path="/tmp/document-laptop.png", full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.locator("#preview table").count() == 1
    assert page.evaluate(FITS)
    page.screenshot(path="/tmp/document-phone.png", full_page=True)

    page.set_viewport_size({"width": 1366, "height": 768})
    page.reload()
    page.locator("#preview a.figure", has_text="122万元").click()
    page.wait_for_url("**/indicators/*/?period=2024-08")
    assert "规上工业总产值" in page.inner_text("h1")


def test_the_draft_check_reads_on_a_phone(page, alice):
    from yuanqu.documents.tests.test_pages_documents import PLANTED

    page.set_viewport_size({"width": 390, "height": 844})
    login_as(page, "alice")
    page.goto("/documents/check/")
    page.fill(
        "textarea[name=text]",
        PLANTED + "\n" + "全区规上工业总产值122万元，同比增长12%，引进亿元以上项目78个。" * 3,
    )
    page.click("button:has-text('开始校核')")
    page.wait_for_selector("#findings")
    assert "数字未填" in page.inner_text("#findings")
    assert "78" in page.inner_text("#claims")
    assert page.evaluate(FITS)
    page.screenshot(path="/tmp/document-check-phone.png", full_page=True)
