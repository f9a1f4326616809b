"""Shared tests for a model's REST endpoints, after NetBox's ``utilities/testing/api.py``.

An app's test module subclasses the cases its endpoints have and gives only its data::

    class TestEnterpriseAPI(APIViewTestCases.APIViewTestCase):
        model = Enterprise
        url_namespace = "enterprises-api"
        update_data = {"name": "改名后的企业有限公司"}
        # make_record() and create_data() as in base.py

Every case runs three ways:

(a) without a grant for the action: 403 (a record the user may not even see is 404);
(b) with a grant on every record: it works, and a write leaves a ``core.ObjectChange`` row
    with the API user, source ``api`` and the values before and after;
(c) with a grant limited to the tester's department (经济发展局): its own record works, the
    other department's (招商局) answers 404 without its data, and a save that would put the
    record outside the department answers 403 with the Chinese reason and saves nothing.

Every refusal runs inside ``assert_nothing_changed`` (``changes.py``): the model's rows are as
they were and no change-log row was written.

The tester and the grant helpers come from ``base.BaseTestCase``; here the tester calls the
API with a token.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from yuanqu.utilities.api import OUTSIDE_GRANT_ERROR
from yuanqu.utilities.concurrency import version_of

from .base import ALL, OWN_DEPARTMENT, BaseTestCase

__all__ = ["ALL", "OWN_DEPARTMENT", "APIViewTestCases", "result_ids"]  # ALL is passed on from base


def current_data(case, record) -> dict:
    """The record as the API returns it, to PUT back whole."""
    return case.client.get(case.detail_url(record)).json()


def result_ids(response) -> set[int]:
    """The ids on one page of a list response."""
    return {row["id"] for row in response.json()["results"]}


class APIViewTestCases:
    """Namespace of the cases; pytest collects only the ``Test…`` subclasses in the apps."""

    class BaseAPITestCase(BaseTestCase):
        url_namespace = None  # e.g. "enterprises-api"
        tester_username = "api-tester"
        tester_name = "接口测试员"

        @pytest.fixture(autouse=True)
        def _api_test_setup(self, _base_test_setup):
            self.client = APIClient()
            self.client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=self.user).key}")

        def list_url(self):
            return reverse(f"{self.url_namespace}:{self.model._meta.model_name}-list")

        def detail_url(self, record):
            return reverse(f"{self.url_namespace}:{self.model._meta.model_name}-detail", args=[record.pk])

        def assert_logged(self, pk, action):
            """The one change-log row of this action on the record, written by the API user."""
            change = super().assert_logged(pk, action)
            assert change.source == "api"
            return change

        def assert_refused(self, response, status_code):
            """Refused with a reason only: no record's data in the body."""
            assert response.status_code == status_code, response.content.decode()
            assert set(response.json()) == {"detail"}

    class ListObjectsTestCase(BaseAPITestCase):
        def test_list_anonymous(self):
            self.make_record(self.own_department)
            self.grant(["view"])
            with self.nothing_changed():
                self.assert_refused(APIClient().get(self.list_url()), 401)

        def test_list_without_permission(self):
            self.make_record(self.own_department)
            with self.nothing_changed():
                self.assert_refused(self.client.get(self.list_url()), 403)

        def test_list_with_permission(self):
            own, other = self.make_own_and_other()
            self.grant(["view"])
            response = self.client.get(self.list_url())
            assert response.status_code == 200
            assert result_ids(response) == {own.pk, other.pk}
            assert response.json()["count"] == 2

        def test_list_limited_to_own_department(self):
            own, _other = self.make_own_and_other()
            self.grant(["view"], OWN_DEPARTMENT)
            response = self.client.get(self.list_url())
            assert response.status_code == 200
            assert result_ids(response) == {own.pk}

        def test_list_queries_do_not_grow_with_rows(self):
            self.grant(["view"])
            self.make_record(self.own_department)
            with CaptureQueriesContext(connection) as few:
                assert self.client.get(self.list_url()).status_code == 200
            for _ in range(20):
                self.make_record(self.own_department)
            with CaptureQueriesContext(connection) as many:
                assert self.client.get(self.list_url()).status_code == 200
            assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many]

    class GetObjectTestCase(BaseAPITestCase):
        def test_get_object_without_permission(self):
            record = self.make_record(self.own_department)
            with self.nothing_changed():
                self.assert_refused(self.client.get(self.detail_url(record)), 403)

        def test_get_object_with_permission(self):
            record = self.make_record(self.other_department)
            self.grant(["view"])
            response = self.client.get(self.detail_url(record))
            assert response.status_code == 200
            assert response.json()["id"] == record.pk

        def test_get_object_limited_to_own_department(self):
            own, other = self.make_own_and_other()
            self.grant(["view"], OWN_DEPARTMENT)
            assert self.client.get(self.detail_url(own)).status_code == 200
            with self.nothing_changed():
                self.assert_refused(self.client.get(self.detail_url(other)), 404)

    class CreateObjectTestCase(BaseAPITestCase):
        def create_data(self, department) -> dict:
            """JSON of a valid new record owned by the department."""
            raise NotImplementedError

        def test_create_object_without_permission(self):
            self.grant(["view"])
            data = self.create_data(self.own_department)
            with self.nothing_changed():
                self.assert_refused(self.client.post(self.list_url(), data, format="json"), 403)

        def test_create_object_with_permission(self):
            self.grant(["view", "add"])
            data = self.create_data(self.other_department)
            response = self.client.post(self.list_url(), data, format="json")
            assert response.status_code == 201, response.json()
            created = self.model._default_manager.get(pk=response.json()["id"])
            change = self.assert_logged(created.pk, "create")
            assert change.prechange_data is None
            assert change.postchange_data == self.snapshot(created)
            for name, value in data.items():
                assert str(response.json()[name]) == str(value), name

        def test_create_object_limited_to_own_department(self):
            self.grant(["view", "add"], OWN_DEPARTMENT)
            response = self.client.post(self.list_url(), self.create_data(self.own_department), format="json")
            assert response.status_code == 201, response.json()
            self.assert_logged(response.json()["id"], "create")
            data = self.create_data(self.other_department)
            with self.nothing_changed():
                response = self.client.post(self.list_url(), data, format="json")
            self.assert_refused(response, 403)
            assert OUTSIDE_GRANT_ERROR in response.json()["detail"]
            assert self.changes(action="create").filter(source="api").count() == 1

    class UpdateObjectTestCase(BaseAPITestCase):
        # Fields changed by a PATCH and their values as the API returns them.
        update_data: dict = {}

        def move_out_data(self, department) -> dict:
            """A PATCH that would hand the record to the department."""
            return {"department": department.pk}

        def test_update_object_without_permission(self):
            record = self.make_record(self.own_department)
            self.grant(["view"])
            with self.nothing_changed():
                self.assert_refused(
                    self.client.patch(self.detail_url(record), self.update_data, format="json"), 403
                )

        def test_update_object_with_permission(self):
            record = self.make_record(self.other_department)
            before = self.snapshot(record)
            self.grant(["view", "change"])
            response = self.client.patch(self.detail_url(record), self.update_data, format="json")
            assert response.status_code == 200, response.json()
            assert {name: response.json()[name] for name in self.update_data} == self.update_data
            change = self.assert_logged(record.pk, "update")
            assert change.prechange_data == before
            assert change.postchange_data == self.snapshot(record)

        def test_update_object_limited_to_own_department(self):
            own, other = self.make_own_and_other()
            self.grant(["view"])
            self.grant(["change"], OWN_DEPARTMENT)
            response = self.client.patch(self.detail_url(own), self.update_data, format="json")
            assert response.status_code == 200, response.json()
            self.assert_logged(own.pk, "update")
            with self.nothing_changed():
                self.assert_refused(
                    self.client.patch(self.detail_url(other), self.update_data, format="json"), 404
                )

        def test_update_cannot_move_record_out_of_own_department(self):
            record = self.make_record(self.own_department)
            self.grant(["view"])
            self.grant(["change"], OWN_DEPARTMENT)
            data = {**self.update_data, **self.move_out_data(self.other_department)}
            with self.nothing_changed():
                response = self.client.patch(self.detail_url(record), data, format="json")
            self.assert_refused(response, 403)
            assert OUTSIDE_GRANT_ERROR in response.json()["detail"]

        def test_update_with_a_stale_if_match_is_refused(self):
            """Lost update (issue 12): the tester reads the record (its version as the ETag), a
            colleague changes it, the tester's PATCH with If-Match is 412 with who changed
            what; nothing written. With the ETag read now it goes through."""
            record = self.make_record(self.own_department)
            self.grant(["view", "change"])
            response = self.client.get(self.detail_url(record))
            assert response.status_code == 200
            read = response["ETag"]
            assert read == f'"{version_of(record)}"'
            colleague = APIClient()
            colleague.force_authenticate(self.colleague())
            response = colleague.patch(self.detail_url(record), self.update_data, format="json")
            assert response.status_code == 200, response.json()
            assert response["ETag"] != read
            theirs = self.snapshot(record)
            with self.nothing_changed():
                response = self.client.patch(
                    self.detail_url(record), self.update_data, format="json", HTTP_IF_MATCH=read
                )
            self.assert_refused(response, 412)
            assert response.json()["detail"].startswith("该记录已被他人修改（王丽，"), response.json()
            assert self.snapshot(record) == theirs
            current = self.client.get(self.detail_url(record))["ETag"]
            with self.nothing_changed():
                response = self.client.put(
                    self.detail_url(record), current_data(self, record), format="json", HTTP_IF_MATCH=read
                )
            self.assert_refused(response, 412)
            response = self.client.patch(
                self.detail_url(record), self.update_data, format="json", HTTP_IF_MATCH=current
            )
            assert response.status_code == 200, response.json()
            assert response["ETag"] == current  # the same values again: no change, same version

    class DeleteObjectTestCase(BaseAPITestCase):
        def test_delete_object_without_permission(self):
            record = self.make_record(self.own_department)
            self.grant(["view"])
            with self.nothing_changed():
                self.assert_refused(self.client.delete(self.detail_url(record)), 403)
            assert self.exists(record)

        def test_delete_object_with_permission(self):
            record = self.make_record(self.other_department)
            before = self.snapshot(record)
            self.grant(["delete"])
            assert self.client.delete(self.detail_url(record)).status_code == 204
            self.assert_deleted(record, before)

        def test_delete_object_limited_to_own_department(self):
            own, other = self.make_own_and_other()
            self.grant(["delete"], OWN_DEPARTMENT)
            with self.nothing_changed():
                self.assert_refused(self.client.delete(self.detail_url(other)), 404)
            assert self.exists(other)
            assert self.client.delete(self.detail_url(own)).status_code == 204
            assert not self.exists(own)
            self.assert_logged(own.pk, "delete")

    class APIViewTestCase(
        ListObjectsTestCase,
        GetObjectTestCase,
        CreateObjectTestCase,
        UpdateObjectTestCase,
        DeleteObjectTestCase,
    ):
        """Every endpoint of a model: list, retrieve, create, update, delete."""
