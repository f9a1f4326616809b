"""The Content-Security-Policy holds in a real browser and the pages still work under it.

Every page is opened with a listener for the ``securitypolicyviolation`` event that writes
to the console; any console error (a refused script, style or image, a failed resource) or
uncaught exception fails the test and names the page.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from yuanqu.economy.tests.test_cockpit import make_cockpit_data
from yuanqu.investment.tests.conftest import make_lead
from yuanqu.projects.tests.conftest import make_project, report

from .conftest import login_as


@pytest.fixture
def page(browser, live_server):
    """A page that keeps the policy (the shared fixture bypasses it for wait_for_function):
    waits here go through locators, which need no eval."""
    context = browser.new_context(
        locale="zh-CN", viewport={"width": 1366, "height": 768}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""

DOWNLOADS = re.compile(r"export|template|download|\.xlsx|\.docx|logout")

CHARTS = ["#chart-trend", "#chart-chains", "#chart-zones"]


def wait_for_charts(page, charts=CHARTS):
    for chart in charts:
        page.locator(f"{chart} canvas").first.wait_for()


class Watch:
    """The console errors and page errors of a browser page, with the page they came from."""

    def __init__(self, page):
        self.page = page
        self.problems = []
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"{page.url}: JS error {exc}"))

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"{self.page.url}: {message.text}")

    def open(self, url):
        response = self.page.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        policy = response.headers.get("content-security-policy", "")
        assert (
            "default-src 'self'" in policy and "unsafe-inline" not in policy and "unsafe-eval" not in policy
        )
        assert "no-store" in response.headers.get("cache-control", "")
        return response

    def assert_clean(self, expected=None):
        """No problem, but those matching ``expected`` (a refusal the policy is there for)."""
        self.page.wait_for_timeout(50)  # violations are reported asynchronously
        problems = [p for p in self.problems if not (expected and re.search(expected, p))]
        assert not problems, "\n".join(problems)


@pytest.fixture
def world(alice, leader, owned_enterprise, other_enterprise, east, econ_dept):
    make_cockpit_data(owned_enterprise, other_enterprise, east)
    lead = make_lead("宁波锂电池项目", econ_dept)
    project = make_project("ZD2024-001", econ_dept, plan="1200", year=2024, name="高纯多晶硅项目")
    for month in range(1, 9):
        report(project, 2024, month, "80" if month % 2 else "120")
    return {"lead": lead, "project": project}


def test_the_listener_sees_a_violation(page):
    """The check itself: an inline style attribute written into the page is refused and seen."""
    watch = Watch(page)
    watch.open("/login/")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<div style=\"color:red\">x</div>')")
    page.wait_for_timeout(100)
    assert any("CSP violation: style-src" in p for p in watch.problems), watch.problems


def test_staff_work_the_cockpit_boards_lists_and_forms_under_the_policy(page, world):
    watch = Watch(page)
    login_as(page, "alice")
    watch.assert_clean()

    watch.open("/cockpit/?period=2024-08")
    wait_for_charts(page)
    watch.open("/economy/?period=2024-08")
    # charts export as data: images (img-src data:)
    watch.open("/cockpit/?period=2024-08")
    wait_for_charts(page)
    url = page.evaluate("echarts.getInstanceByDom(document.getElementById('chart-trend')).getDataURL()")
    assert url.startswith("data:image/png")
    page.evaluate(f"(() => {{ const i = new Image(); i.src = {url!r}; document.body.appendChild(i); }})()")
    watch.assert_clean()

    lead = world["lead"]
    watch.open("/investment-leads/board/")
    page.once("dialog", lambda dialog: dialog.accept("领导现场签约"))
    page.locator(f"#lead-{lead.pk}").drag_to(page.locator(".column[data-stage=signed]"))
    expect(page.locator("#board")).to_contain_text("签约（1个")
    lead.refresh_from_db()
    assert lead.stage == "signed"
    watch.assert_clean()

    project = world["project"]
    watch.open(f"/key-projects/{project.pk}/?period=2024-08")
    wait_for_charts(page, ["#curve-chart"])
    watch.open("/key-projects/scheduling/?period=2024-08")
    watch.assert_clean()

    # a list whose filters answer through htmx
    watch.open("/enterprises/")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.select_option(".filters select[name=zone]", label="东区")
    expect(page.locator("#object-table")).not_to_contain_text("西区光电科技有限公司")
    expect(page.locator("#object-table")).to_contain_text("东区精密机械有限公司")
    watch.assert_clean()

    # a form, saved
    watch.open("/investment-leads/add/")
    page.fill("input[name=name]", "合肥储能项目")
    page.fill("input[name=investor]", "合肥储能有限公司")
    page.select_option("select[name=origin_region]", index=1)
    page.select_option("select[name=source]", index=1)
    page.select_option("select[name=department]", label="经济发展局")
    page.fill("input[name=lead_on]", "2024-03-01")
    page.locator("form.edit-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r".*/investment-leads/\d+/$"))
    watch.assert_clean()


def test_the_leader_reads_the_cockpit_summary_and_boards_under_the_policy(page, world):
    watch = Watch(page)
    login_as(page, "leader")
    watch.open("/cockpit/?period=2024-08")
    wait_for_charts(page)
    # hovering a chart draws ECharts' tooltip (styled through the CSSOM)
    box = page.locator("#chart-trend").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(200)
    watch.open("/economy/?period=2024-08")
    watch.open("/investment-leads/board/")
    watch.open(f"/key-projects/{world['project'].pk}/?period=2024-08")
    wait_for_charts(page, ["#curve-chart"])
    watch.open("/key-projects/scheduling/?period=2024-08")
    watch.assert_clean()


def test_the_api_docs_run_under_the_policy_with_the_nonce(page, alice):
    watch = Watch(page)
    login_as(page, "alice")
    response = watch.open("/api/docs/")
    assert "nonce-" in response.headers["content-security-policy"]
    expect(page.locator("#redoc-container")).to_contain_text("enterprises", timeout=9000)
    # Redoc draws its vendor's logo from cdn.redoc.ly: the policy keeps the page off third parties
    watch.assert_clean(expected=r"cdn\.redoc\.ly")


def test_the_pages_of_the_menu_and_what_they_link_load_without_violations(page, world):
    """A sample of the crawler's pages for one role: every menu entry and the links one step
    further (at most 20 pages in all), with no violation on any of them."""
    watch = Watch(page)
    login_as(page, "alice")
    start = [
        h
        for h in page.eval_on_selector_all("#sidenav a[href]", "els => els.map(e => e.getAttribute('href'))")
    ]
    assert len(start) >= 5
    seen = set()
    queue = list(start)
    while queue and len(seen) < 20:
        href = queue.pop(0)
        path = urlsplit(href).path
        if path in seen or not path.startswith("/") or DOWNLOADS.search(href):
            continue
        seen.add(path)
        watch.open(href)
        page.wait_for_load_state("load")
        if len(seen) <= len(start):
            links = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
            queue.extend(h for h in links[:3] if h.startswith("/"))
    watch.assert_clean()
    assert len(seen) >= 10
