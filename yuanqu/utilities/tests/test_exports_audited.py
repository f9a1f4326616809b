"""Every Excel export a page offers writes exactly one audit event, naming the model, the
number of rows the file holds and the filters (``utilities.excel.export_xlsx``).

The pages are every argument-free URL of the URL conf plus the record pages that carry their
own exports (an indicator, an assessment period), over the small demo zone of the link
crawler; the exports are the links the page draws for a leader and for 督查室.
"""

import io
import re
from html import unescape
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.tests.test_link_crawler import demo_zone  # noqa: F401  (the module's demo data)
from yuanqu.users.models import User

from .test_bad_parameters import ROUTES

EXPORT_LINK = re.compile(r'href="([^"]*(?:[?&](?:amp;)?export=xlsx|/export/)[^"]*)"')
USERS = ("leader", "inspector")
RECORD_PAGES = ["economy:indicator", "supervision:assessmentperiod"]

# Run once, on SQLite: the audit event is written by the same code whatever the engine, and
# the export's rows on PostgreSQL are compared with the records by test_export_rows_every_table.
pytestmark = pytest.mark.engine_free


def data_rows(content: bytes) -> int:
    """The rows of a workbook holding data: not blank, not a bold heading."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    count = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            if any(getattr(c, "value", None) not in (None, "") for c in row) and not row[0].font.b:
                count += 1
    book.close()
    return count


def page_url(name):
    if name == "economy:indicator":
        from yuanqu.economy.models import Indicator

        return reverse(name, args=[Indicator.objects.get(code="industrial_output").pk])
    if name == "supervision:assessmentperiod":
        from yuanqu.supervision.models import AssessmentPeriod

        return reverse(name, args=[AssessmentPeriod.objects.order_by("pk").first().pk])
    return reverse(name)


def export_links(client, url) -> set[str]:
    response = client.get(url)
    if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
        return set()
    links = {unescape(href) for href in EXPORT_LINK.findall(response.content.decode())}
    return {link if link.startswith("/") else f"{urlsplit(url).path}{link}" for link in links}


def check_export(client, username, link):
    before = set(AuditEvent.objects.filter(kind="export").values_list("pk", flat=True))
    response = client.get(link)
    assert response.status_code == 200, (username, link, response.status_code)
    assert "spreadsheetml" in response["Content-Type"], (username, link)
    events = list(AuditEvent.objects.filter(kind="export").exclude(pk__in=before))
    assert len(events) == 1, f"{username} {link}: {len(events)} audit events"
    event = events[0]
    assert event.user_name == username and event.data["model"] and "filters" in event.data
    assert event.data["rows"] == data_rows(response.content), (username, link, event.data)


@pytest.mark.parametrize("name", ROUTES + RECORD_PAGES)
def test_every_export_offered_is_audited_once_with_its_rows(demo_zone, db, name):  # noqa: F811
    for username in USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for link in sorted(export_links(client, page_url(name))):
            check_export(client, username, link)


def test_the_walk_reaches_the_copied_exports(demo_zone, db):  # noqa: F811
    """The exports that had their own audit code are among those the walk finds."""
    found = set()
    for username in USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for name in ["economy:cockpit", "projects:scheduling", "projects:weekly", "projects:statistics",
                     "projects:lightrule_list", "supervision:board", *RECORD_PAGES]:  # fmt: skip
            found |= {urlsplit(link).path for link in export_links(client, page_url(name))}
    assert {
        reverse("economy:cockpit"),
        reverse("projects:scheduling"),
        reverse("projects:weekly"),
        reverse("projects:statistics"),
        reverse("projects:lightrule_list"),
        reverse("supervision:board"),
    } <= found
    assert any(path.endswith("/export/") for path in found)  # the assessment ranking
