"""Response headers: the Content-Security-Policy, no-store on what shows personal data, and
pages that need no inline script, handler or style attribute to work under the policy."""

import re

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from yuanqu.demands import services as demands
from yuanqu.demands.models import DemandCategory
from yuanqu.demands.tests.conftest import at
from yuanqu.investment.tests.conftest import make_lead
from yuanqu.projects.tests.conftest import make_project

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in policy.split(";")) if d}


def test_the_policy_allows_our_own_files_and_no_inline_code(client, alice):
    client.force_login(alice)
    policy = directives(client.get("/enterprises/"))
    assert policy["default-src"] == ["'self'"]
    for kind in ("script-src", "style-src"):
        assert "'self'" in policy[kind]
        assert "'unsafe-inline'" not in policy[kind] and "'unsafe-eval'" not in policy[kind]
        assert all(s == "'self'" or s.startswith("'nonce-") for s in policy[kind])
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]


def test_the_login_page_has_the_policy_too(client):
    policy = directives(client.get(reverse("users:login")))
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]


def test_the_api_docs_carry_the_nonce_of_their_header(client, alice):
    client.force_login(alice)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = directives(response)
    nonce = next(s for s in policy["script-src"] if s.startswith("'nonce-"))[len("'nonce-") : -1]
    assert f"'nonce-{nonce}'" in policy["style-src"]
    page = response.content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all(f'nonce="{nonce}"' in s for s in scripts)
    assert f'nonce: "{nonce}"' in page  # handed to Redoc for the styles it injects
    assert "fonts.googleapis.com" not in page
    assert policy["worker-src"] == ["'self'", "blob:"]
    # another request, another nonce
    assert nonce not in client.get("/api/docs/").headers["Content-Security-Policy"]


INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)(?![^>]*type=\"application/json\")[^>]*>"),
        "inline script",
    ),
    (re.compile(r"\sstyle=[\"']"), "style attribute"),
    (re.compile(r"<style(?![^>]*\bnonce=)"), "style block"),
    (re.compile(r"\son[a-z]+=[\"']"), "event handler attribute"),
    (re.compile(r"href=[\"']javascript:"), "javascript: link"),
]


@pytest.fixture
def world(alice, owned_enterprise, econ_dept, inspector):
    make_lead("宁波锂电池项目", econ_dept)
    project = make_project("ZD2024-001", econ_dept, plan="1200", year=2024)
    demand = demands.receive(
        alice,
        enterprise=owned_enterprise,
        category=DemandCategory.objects.get(name="用电"),
        channel="visit",
        title="新厂房临时用电增容",
        description="新厂房投产需要增容至800千伏安。",
        received_at=at(2024, 9, 27),
    )
    return {"project": project, "demand": demand}


def test_pages_need_no_inline_script_handler_or_style(client, alice, world):
    """What the policy would refuse: checked in the HTML of the pages that used to have it."""
    client.force_login(alice)
    pages = [
        "/",
        "/enterprises/",
        "/investment-leads/board/",
        "/key-projects/",
        f"/key-projects/{world['project'].pk}/",
        "/key-projects/scheduling/",
        "/demands/",
        "/tasks/",
        "/cockpit/",
        "/economy/",
        "/investment-leads/add/",
    ]
    for url in pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        html = response.content.decode()
        for pattern, what in INLINE:
            found = pattern.search(html)
            assert not found, f"{url}: {what} {html[found.start() : found.start() + 80]!r}"


def test_an_htmx_partial_has_no_style_attribute_either(client, alice, world):
    client.force_login(alice)
    html = client.get("/demands/", headers={"HX-Request": "true"}).content.decode()
    assert "新厂房临时用电增容" in html and 'class="badge light solid' in html
    assert not re.search(r"\sstyle=", html)


def test_every_page_and_api_answer_is_no_store(client, alice, owned_enterprise):
    client.force_login(alice)
    for url in ["/", "/enterprises/", f"/enterprises/{owned_enterprise.pk}/", "/api/enterprises/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.headers["Cache-Control"], url
        assert response.headers["Pragma"] == "no-cache", url
    export = client.get("/enterprises/", {"export": "xlsx"})
    assert export.status_code == 200 and "no-store" in export.headers["Cache-Control"]


def test_an_api_token_answer_is_no_store(client, alice, owned_enterprise):
    token = Token.objects.create(user=alice)
    response = client.get("/api/enterprises/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert owned_enterprise.name in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]


def test_the_login_page_is_not_kept_either(client):
    assert "no-store" in client.get(reverse("users:login")).headers["Cache-Control"]


def test_static_files_keep_their_caching(client, alice):
    client.force_login(alice)
    response = client.get("/static/css/pages.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert "Pragma" not in response.headers
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert b".htmx-indicator" in content  # htmx's indicator style, which it no longer injects
