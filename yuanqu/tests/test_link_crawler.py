"""Every link a page offers opens: a crawler over the test client, for every demo role.

The demo zone is built once for the module (a small one), inside a transaction rolled back
at the end. Each role logs in, starts from ``/`` and follows every ``<a href>``, every GET
form (submitted with the values it shows), every ``hx-get`` target, and fetches every POST
form's and ``hx-post``'s action with GET: a button drawn for a user must lead to something the
user may open. A route (URL name + the set of query keys) is visited at most a few times,
an export (``?export=…``) once per route. Any 403, 404 or server error fails the test and
names the page that offered the link.
"""

import time
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from yuanqu.users.choices import Role
from yuanqu.users.models import Department, User
from yuanqu.utilities.testing.database import rolled_back

# What the pages offer is checked once, on SQLite (scripts/run-tests.sh); every query under
# these pages runs on PostgreSQL too, through the view tests.
pytestmark = pytest.mark.pages

# Caps that keep each role's crawl within seconds: a route (URL name + set of query keys) is
# visited twice without a query (two records) and once with one, an export once, and a URL
# name with at most a few sets of query keys (filters, sorting, paging, periods …).
VISITS_PER_ROUTE = 2
QUERY_SETS_PER_NAME = 4
DEMO_ENTERPRISES = 50
DEMO_DEMANDS = 150

# The demo logins plus staff of the other kinds of department: one that runs investment
# leads, one that owns some enterprises and works demands, one that owns nothing.
ROLES = [
    "leader",
    "staff",
    "staff_investment",
    "staff_service",
    "staff_finance",
    "grid",
    "enterprise",
    "inspector",
    "sysadmin",
    "secadmin",
    "auditor",
]
EXTRA_STAFF = {
    "staff_investment": "招商局",
    "staff_service": "企业服务中心",
    "staff_finance": "财政局",
}


class LinkParser(HTMLParser):
    """The links of a page: (kind, url, query pairs) for hrefs, GET forms, hx-get and POST actions."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []  # (kind, url, params or None)
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(("a", a["href"], None))
        if a.get("hx-get"):
            self.links.append(("hx-get", a["hx-get"], None))
        if a.get("hx-post"):
            self.links.append(("post", a["hx-post"], None))
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = {"method": method, "action": a.get("action") or "", "params": []}
        elif self._form is not None and tag in ("input", "button") and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if tag == "button" or kind in ("submit", "button", "reset", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["params"].append((a["name"], a.get("value") or ""))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "first": None, "chosen": None, "multiple": "multiple" in a}
        elif self._select is not None and tag == "option":
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"] = value

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None and self._form is not None:
            s = self._select
            value = s["chosen"] if s["chosen"] is not None else (None if s["multiple"] else s["first"])
            if value is not None:
                self._form["params"].append((s["name"], value))
            self._select = None
        elif tag == "form" and self._form is not None:
            form = self._form
            if form["method"] == "get":
                self.links.append(("form", form["action"], form["params"]))
            else:
                self.links.append(("post", form["action"], None))
            self._form = None


def route_of(path, query_keys):
    """The route a URL belongs to (its URL name and the set of its query keys), or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return (match.view_name, frozenset(query_keys))


class Crawl:
    def __init__(self, client, logout_path):
        self.client = client
        self.skip = {logout_path}
        self.queue = deque()
        self.seen = set()
        self.routes = Counter()
        self.query_sets = {}
        self.failures = []
        self.pages = 0

    def offer(self, kind, href, source, params=None):
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
            return
        url = urljoin("http://testserver" + source, href)
        parts = urlsplit(url)
        if parts.netloc != "testserver" or parts.path in self.skip or parts.path.startswith("/static/"):
            return
        query = parse_qsl(parts.query, keep_blank_values=True)
        if params is not None:  # a GET form replaces the action's query with its fields
            query = params
        method = "get-action" if kind == "post" else "get"
        export = any(k == "export" for k, _ in query)
        key = (method, parts.path, urlencode(sorted(query)))
        if key in self.seen:
            return
        self.seen.add(key)
        self.queue.append((method, parts.path, query, source, kind, export))

    def run(self, start="/"):
        self.offer("a", start, "/")
        while self.queue:
            method, path, query, source, kind, export = self.queue.popleft()
            route = route_of(path, {k for k, _ in query})
            url = path + ("?" + urlencode(query) if query else "")
            if route is None:
                self.failures.append(f"404（无此地址）{url} ← {source} 的 {kind}")
                continue
            route_key = (route, method, export)
            limit = 1 if export or query or method == "get-action" else VISITS_PER_ROUTE
            if self.routes[route_key] >= limit:
                continue
            sets = self.query_sets.setdefault(route[0], set())
            if route[1] not in sets and len(sets) >= QUERY_SETS_PER_NAME:
                continue
            sets.add(route[1])
            self.routes[route_key] += 1
            self.visit(method, path, query, url, source, kind, export)

    def visit(self, method, path, query, url, source, kind, export):
        headers = {"HTTP_HX_REQUEST": "true"} if kind == "hx-get" else {}
        self.pages += 1
        try:
            response = self.client.get(path, query, **headers)
        except Exception as exc:  # a server error: the test client re-raises the view's exception
            self.failures.append(f"500 {url} ← {source} 的 {kind}: {type(exc).__name__}: {exc}")
            return
        status = response.status_code
        if status in (403, 404) or status >= 500:
            self.failures.append(f"{status} {url} ← {source} 的 {kind}")
            return
        if method == "get-action" and status == 405:
            return  # an action that only answers POST: what it checks is asked of the button
        if status in (301, 302, 303, 307, 308):
            self.offer("redirect", response["Location"], url)
            return
        content_type = response.get("Content-Type", "")
        if status == 200 and not export and content_type.startswith("text/html"):
            parser = LinkParser()
            parser.feed(response.content.decode(response.charset or "utf-8"))
            for link_kind, href, params in parser.links:
                self.offer(link_kind, href, url, params)


@pytest.fixture(scope="module")
def demo_zone(django_db_setup, django_db_blocker):
    """The small demo zone and its logins, rolled back when the module is done."""
    from yuanqu.demands.demo import generate_demands
    from yuanqu.economy.demo import generate_economy
    from yuanqu.enterprises import demo
    from yuanqu.evaluation.demo import generate_evaluation
    from yuanqu.investment.demo import generate_investment
    from yuanqu.projects.demo import generate_projects
    from yuanqu.supervision.demo import generate_supervision

    with rolled_back(django_db_blocker):
        demo.generate(DEMO_ENTERPRISES, demo.DEFAULT_SEED)
        generate_economy()
        generate_evaluation()
        generate_demands(total=DEMO_DEMANDS)
        generate_projects()
        generate_supervision()
        generate_investment()
        for username, department in EXTRA_STAFF.items():
            User.objects.create(
                username=username,
                name=username,
                role=Role.STAFF,
                department=Department.objects.get(name=department),
            )
        yield


@pytest.mark.parametrize("username", ROLES)
def test_every_link_offered_opens(demo_zone, db, username):
    from django.urls import reverse

    client = Client()
    client.force_login(User.objects.get(username=username))
    crawl = Crawl(client, reverse("users:logout"))
    started, cpu = time.perf_counter(), time.process_time()
    crawl.run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"{username}: {crawl.pages} pages, {len(crawl.routes)} routes, {seconds:.1f} s ({cpu:.1f} s CPU)")
    assert crawl.pages > 3, "the crawl must get past the start page"
    assert not crawl.failures, f"{username} 被提供了打不开的链接：\n" + "\n".join(crawl.failures)
