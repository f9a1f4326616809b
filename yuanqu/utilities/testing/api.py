"""Shared tests for a model's REST endpoints, after NetBox's ``utilities/testing/api.py``.

An app's test module subclasses the cases its endpoints have and gives only its data::

    class TestEnterpriseAPI(APIViewTestCases.APIViewTestCase):
        model = Enterprise
        url_namespace = "enterprises-api"
        update_data = {"name": "改名后的企业有限公司"}

        def make_record(self, department):
            return factories.enterprise(dept=department)

        def create_data(self, department):
            return {"uscc": factories.uscc(), "name": "新企业有限公司", "department": department.pk}

Every case runs three ways:

(a) without a grant for the action: 403 (a record the user may not even see is 404);
(b) with a grant on every record: it works, and a write leaves a ``core.ObjectChange`` row
    with the API user, source ``api`` and the values before and after;
(c) with a grant limited to the tester's department (经济发展局): its own record works, the
    other department's (招商局) answers 404 without its data, and a save that would put the
    record outside the department answers 403 with the Chinese reason and saves nothing.

The tester is a 部门人员 of 经济发展局 whose default grants are all switched off and who calls
the API with a token, so each case holds exactly the ``users.ObjectPermission`` rows it
makes with ``grant()``; ``base_grants`` are made for every case (e.g. viewing enterprises, to
name one in a qualification).
"""

import itertools

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from yuanqu.core.changelog import serialize_object
from yuanqu.core.models import ObjectChange
from yuanqu.users.choices import Constraint, Role
from yuanqu.users.models import ObjectPermission
from yuanqu.users.permissions import model_key
from yuanqu.utilities.api import OUTSIDE_GRANT_ERROR

from . import factories

ALL = Constraint.ALL
OWN_DEPARTMENT = Constraint.OWN_DEPARTMENT

_grant_serial = itertools.count(1)


def result_ids(response) -> set[int]:
    """The ids on one page of a list response."""
    return {row["id"] for row in response.json()["results"]}


class APIViewTestCases:
    """Namespace of the cases; pytest collects only the ``Test…`` subclasses in the apps."""

    class BaseAPITestCase:
        model = None
        url_namespace = None  # e.g. "enterprises-api"
        # (model label, actions, constraint) granted in every case, on top of the case's own.
        base_grants: list[tuple[str, list[str], str]] = []

        @pytest.fixture(autouse=True)
        def _api_test_setup(self, db, econ_dept, invest_dept):
            ObjectPermission.objects.filter(is_default=True).update(enabled=False)
            self.own_department = econ_dept
            self.other_department = invest_dept
            self.user = factories.user("api-tester", Role.STAFF, econ_dept, name="接口测试员")
            self.client = APIClient()
            self.client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=self.user).key}")
            for label, actions, constraint in self.base_grants:
                self.grant(actions, constraint, model=label)

        # --- what a subclass provides -------------------------------------------------

        def make_record(self, department):
            """A saved record owned by the department."""
            raise NotImplementedError

        # --- helpers ------------------------------------------------------------------

        def grant(self, actions, constraint=ALL, model=None):
            label = model if isinstance(model, str) else model_key(model or self.model)
            permission = ObjectPermission(
                name=f"接口测试授权{next(_grant_serial)}",
                user=self.user,
                model=label,
                actions=list(actions),
                constraint=constraint,
            )
            permission.full_clean()
            permission.save()
            return permission

        def list_url(self):
            return reverse(f"{self.url_namespace}:{self.model._meta.model_name}-list")

        def detail_url(self, record):
            return reverse(f"{self.url_namespace}:{self.model._meta.model_name}-detail", args=[record.pk])

        def changes(self, pk=None, action=None):
            rows = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(self.model))
            if pk is not None:
                rows = rows.filter(object_id=str(pk))
            if action is not None:
                rows = rows.filter(action=action)
            return rows

        def assert_logged(self, pk, action):
            """The one change-log row of this action on the record, written by the API user."""
            change = self.changes(pk, action).get()
            assert change.user_id == self.user.pk
            assert change.user_name == self.user.username
            assert change.source == "api"
            assert change.request_id is not None
            return change

        def snapshot(self, record):
            return serialize_object(self.model._default_manager.get(pk=record.pk))

        def assert_refused(self, response, status_code):
            """Refused with a reason only: no record's data in the body."""
            assert response.status_code == status_code, response.content.decode()
            assert set(response.json()) == {"detail"}

    class ListObjectsTestCase(BaseAPITestCase):
        def test_list_anonymous(self):
            self.make_record(self.own_department)
            self.grant(["view"])
            self.assert_refused(APIClient().get(self.list_url()), 401)

        def test_list_without_permission(self):
            self.make_record(self.own_department)
            self.assert_refused(self.client.get(self.list_url()), 403)

        def test_list_with_permission(self):
            own, other = self.make_record(self.own_department), self.make_record(self.other_department)
            self.grant(["view"])
            response = self.client.get(self.list_url())
            assert response.status_code == 200
            assert result_ids(response) == {own.pk, other.pk}
            assert response.json()["count"] == 2

        def test_list_limited_to_own_department(self):
            own, _other = self.make_record(self.own_department), self.make_record(self.other_department)
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
            self.assert_refused(self.client.get(self.detail_url(record)), 403)

        def test_get_object_with_permission(self):
            record = self.make_record(self.other_department)
            self.grant(["view"])
            response = self.client.get(self.detail_url(record))
            assert response.status_code == 200
            assert response.json()["id"] == record.pk

        def test_get_object_limited_to_own_department(self):
            own, other = self.make_record(self.own_department), self.make_record(self.other_department)
            self.grant(["view"], OWN_DEPARTMENT)
            assert self.client.get(self.detail_url(own)).status_code == 200
            self.assert_refused(self.client.get(self.detail_url(other)), 404)

    class CreateObjectTestCase(BaseAPITestCase):
        def create_data(self, department) -> dict:
            """JSON of a valid new record owned by the department."""
            raise NotImplementedError

        def _count(self):
            return self.model._default_manager.count()

        def test_create_object_without_permission(self):
            self.grant(["view"])
            before = self._count()
            self.assert_refused(
                self.client.post(self.list_url(), self.create_data(self.own_department), format="json"), 403
            )
            assert self._count() == before
            assert not self.changes(action="create").filter(source="api").exists()

        def test_create_object_with_permission(self):
            self.grant(["view", "add"])
            data = self.create_data(self.other_department)
            response = self.client.post(self.list_url(), data, format="json")
            assert response.status_code == 201, response.json()
            created = self.model._default_manager.get(pk=response.json()["id"])
            change = self.assert_logged(created.pk, "create")
            assert change.prechange_data is None
            assert change.postchange_data == serialize_object(created)
            for name, value in data.items():
                assert str(response.json()[name]) == str(value), name

        def test_create_object_limited_to_own_department(self):
            self.grant(["view", "add"], OWN_DEPARTMENT)
            response = self.client.post(self.list_url(), self.create_data(self.own_department), format="json")
            assert response.status_code == 201, response.json()
            self.assert_logged(response.json()["id"], "create")
            before = self._count()
            response = self.client.post(
                self.list_url(), self.create_data(self.other_department), format="json"
            )
            self.assert_refused(response, 403)
            assert OUTSIDE_GRANT_ERROR in response.json()["detail"]
            assert self._count() == before
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
            before = self.snapshot(record)
            self.assert_refused(
                self.client.patch(self.detail_url(record), self.update_data, format="json"), 403
            )
            assert self.snapshot(record) == before
            assert not self.changes(record.pk, "update").exists()

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
            own, other = self.make_record(self.own_department), self.make_record(self.other_department)
            self.grant(["view"])
            self.grant(["change"], OWN_DEPARTMENT)
            response = self.client.patch(self.detail_url(own), self.update_data, format="json")
            assert response.status_code == 200, response.json()
            self.assert_logged(own.pk, "update")
            before = self.snapshot(other)
            self.assert_refused(
                self.client.patch(self.detail_url(other), self.update_data, format="json"), 404
            )
            assert self.snapshot(other) == before
            assert not self.changes(other.pk, "update").exists()

        def test_update_cannot_move_record_out_of_own_department(self):
            record = self.make_record(self.own_department)
            self.grant(["view"])
            self.grant(["change"], OWN_DEPARTMENT)
            before = self.snapshot(record)
            data = {**self.update_data, **self.move_out_data(self.other_department)}
            response = self.client.patch(self.detail_url(record), data, format="json")
            self.assert_refused(response, 403)
            assert OUTSIDE_GRANT_ERROR in response.json()["detail"]
            assert self.snapshot(record) == before
            assert not self.changes(record.pk, "update").exists()

    class DeleteObjectTestCase(BaseAPITestCase):
        def test_delete_object_without_permission(self):
            record = self.make_record(self.own_department)
            self.grant(["view"])
            self.assert_refused(self.client.delete(self.detail_url(record)), 403)
            assert self.model._default_manager.filter(pk=record.pk).exists()
            assert not self.changes(record.pk, "delete").exists()

        def test_delete_object_with_permission(self):
            record = self.make_record(self.other_department)
            before = self.snapshot(record)
            self.grant(["delete"])
            assert self.client.delete(self.detail_url(record)).status_code == 204
            assert not self.model._default_manager.filter(pk=record.pk).exists()
            change = self.assert_logged(record.pk, "delete")
            assert change.prechange_data == before
            assert change.postchange_data is None

        def test_delete_object_limited_to_own_department(self):
            own, other = self.make_record(self.own_department), self.make_record(self.other_department)
            self.grant(["delete"], OWN_DEPARTMENT)
            self.assert_refused(self.client.delete(self.detail_url(other)), 404)
            assert self.model._default_manager.filter(pk=other.pk).exists()
            assert self.client.delete(self.detail_url(own)).status_code == 204
            assert not self.model._default_manager.filter(pk=own.pk).exists()
            self.assert_logged(own.pk, "delete")

    class APIViewTestCase(
        ListObjectsTestCase,
        GetObjectTestCase,
        CreateObjectTestCase,
        UpdateObjectTestCase,
        DeleteObjectTestCase,
    ):
        """Every endpoint of a model: list, retrieve, create, update, delete."""
