"""No lost update through the API (issue 12, finding 4): ``ETag`` / ``If-Match`` / ``412``.

Every endpoint that updates runs the shared ``test_update_with_a_stale_if_match_is_refused``
(``utilities/testing/api.py``); the first test here checks that none goes without it. A write
without ``If-Match`` is applied as before (a ``428`` would break the existing clients; the
header is documented in ``docs/api.md``).
"""

import importlib
from pathlib import Path

import pytest
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver
from rest_framework.test import APIClient

import yuanqu
from yuanqu.enterprises.models import Enterprise
from yuanqu.utilities.concurrency import version_of
from yuanqu.utilities.testing.api import APIViewTestCases
from yuanqu.utilities.testing.changes import assert_nothing_changed

pytestmark = pytest.mark.django_db

ROOT = Path(yuanqu.__file__).parent


def api_viewsets(resolver=None):
    """Every viewset class routed under /api/, with the actions its routes map."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from api_viewsets(pattern)
            continue
        cls, actions = getattr(pattern.callback, "cls", None), getattr(pattern.callback, "actions", None)
        if cls is not None and actions:
            yield cls, actions


def collected_api_cases() -> list[type]:
    for path in sorted(ROOT.glob("*/tests/test_*.py")):
        if "APIViewTestCases" in path.read_text(encoding="utf-8"):
            importlib.import_module(".".join(path.relative_to(ROOT.parent).with_suffix("").parts))
    found, todo = [], [APIViewTestCases.BaseAPITestCase]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__name__.startswith("Test") and cls.__module__.startswith("yuanqu."):
            found.append(cls)
    return found


def test_every_endpoint_that_updates_runs_the_stale_if_match_case():
    updating = {cls.queryset.model for cls, actions in api_viewsets() if "update" in actions.values()}
    assert len(updating) >= 10
    covered = {
        case.model
        for case in collected_api_cases()
        if issubclass(case, APIViewTestCases.UpdateObjectTestCase)
        and hasattr(case, "test_update_with_a_stale_if_match_is_refused")
    }
    assert updating - covered == set()


@pytest.fixture
def api(alice):
    client = APIClient()
    client.force_authenticate(alice)
    return client


@pytest.fixture
def url(owned_enterprise):
    return reverse("enterprises-api:enterprise-detail", args=[owned_enterprise.pk])


def test_reading_a_record_gives_its_version_as_the_etag(api, url, owned_enterprise):
    response = api.get(url)
    assert response.status_code == 200
    assert response["ETag"] == f'"{version_of(owned_enterprise)}"'
    assert "ETag" not in api.get(reverse("enterprises-api:enterprise-list"))  # a list has none


def test_without_if_match_a_write_is_applied_as_before(api, url, owned_enterprise):
    response = api.patch(url, {"address": "东区创新路8号"}, format="json")
    assert response.status_code == 200
    assert response["ETag"] == f'"{version_of(owned_enterprise)}"'
    assert Enterprise.objects.get(pk=owned_enterprise.pk).address == "东区创新路8号"


def test_if_match_any_version(api, url, owned_enterprise):
    response = api.patch(url, {"address": "东区创新路8号"}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == 200


def test_a_weak_etag_from_a_proxy_still_matches(api, url, owned_enterprise):
    read = api.get(url)["ETag"]
    response = api.patch(url, {"address": "东区创新路8号"}, format="json", HTTP_IF_MATCH=f"W/{read}")
    assert response.status_code == 200


def test_an_if_match_that_is_no_version_is_refused_with_the_etag_to_send(api, url, owned_enterprise):
    with assert_nothing_changed(Enterprise):
        response = api.patch(url, {"address": "东区创新路8号"}, format="json", HTTP_IF_MATCH='"abc"')
    assert response.status_code == 412
    detail = response.json()["detail"]
    assert "If-Match 应为读取记录时返回的 ETag" in detail and f'"{version_of(owned_enterprise)}"' in detail


def test_a_stale_delete_is_refused(api, alice, bob, url, owned_enterprise):
    from yuanqu.users.models import ObjectPermission

    ObjectPermission.objects.create(
        name="删除企业", user=alice, model="enterprises.enterprise", actions=["delete"]
    )
    read = api.get(url)["ETag"]
    other = APIClient()
    other.force_authenticate(bob)
    assert other.patch(url, {"address": "东区创新路8号"}, format="json").status_code == 200
    with assert_nothing_changed(Enterprise):
        response = api.delete(url, HTTP_IF_MATCH=read)
    assert response.status_code == 412
    detail = response.json()["detail"]
    assert detail.startswith("该记录已被他人修改（李波，") and "东区创新路8号" in detail
    assert api.delete(url, HTTP_IF_MATCH=api.get(url)["ETag"]).status_code == 204
