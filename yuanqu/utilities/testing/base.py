"""What the shared page cases (``views.py``) and API cases (``api.py``) have in common.

Each app's case gives the model and how to make its records; the create cases also want a new
record's data (form fields for a page, JSON for the API)::

    model = Enterprise

    def make_record(self, department):
        return factories.enterprise(dept=department)

    def create_data(self, department):
        return {"uscc": factories.uscc(), "name": "新企业有限公司", "department": department.pk}

The tester is a 部门人员 of 经济发展局 whose default grants are all switched off, so each case
holds exactly the ``users.ObjectPermission`` rows it makes with ``grant()``; ``base_grants``
are made for every case (e.g. viewing enterprises, to pick one for a contact). A subclass
adds how the tester reaches the server (a browser session or an API token) in its own
autouse fixture, which requests ``_base_test_setup`` so that it runs after it.
"""

import copy
import itertools

import pytest
from django.contrib.contenttypes.models import ContentType

from yuanqu.core.changelog import serialize_object
from yuanqu.core.models import ObjectChange
from yuanqu.users.choices import Constraint, Role
from yuanqu.users.models import ObjectPermission
from yuanqu.users.permissions import model_key

from . import factories
from .changes import assert_nothing_changed
from .database import rolled_back

ALL = Constraint.ALL
OWN_DEPARTMENT = Constraint.OWN_DEPARTMENT

_grant_serial = itertools.count(1)


class BaseTestCase:
    model = None
    # (model label, actions, constraint) granted in every case, on top of the case's own.
    base_grants: list[tuple[str, list[str], str]] = []
    tester_username = "tester"
    tester_name = "测试员"
    tester_role = Role.STAFF
    # Grants made for the tester's role instead of the tester (the audit trail is granted to
    # the auditor role only, 三权分立).
    grant_to_role = False
    # Other models a refused request must leave alone too (a record's child rows …).
    watched_models: tuple = ()

    @pytest.fixture(scope="class")
    @classmethod
    def _class_cast(cls, django_db_setup, django_db_blocker):
        """What every test of the case starts from, written once per case inside a
        transaction rolled back after its last test (each test is rolled back to it): the
        two departments, the tester, the base grants and the default grants switched off.
        Written per test, with its change log and chain links, it was a fifth of a view
        case's time."""
        case = cls
        with rolled_back(django_db_blocker):
            ObjectPermission.objects.filter(is_default=True).update(enabled=False)
            own = factories.department("经济发展局")
            factories.department("招商局")  # the conftest's invest_dept, created second as there
            user = factories.user(case.tester_username, case.tester_role, own, name=case.tester_name)
            for label, actions, constraint in case.base_grants:
                _make_grant(user, case.grant_to_role, actions, constraint, label)
            yield user

    @pytest.fixture(autouse=True)
    def _base_test_setup(self, _class_cast, db, econ_dept, invest_dept):
        # the departments are the conftest's (found by name), the tester a copy of the
        # case's: what a test changes in memory stays in the test
        self.own_department = econ_dept
        self.other_department = invest_dept
        self.user = copy.deepcopy(_class_cast)
        self.user.__dict__.pop("_yuanqu_grants", None)

    # --- what a subclass provides -----------------------------------------------------

    def make_record(self, department):
        """A saved record owned by the department."""
        raise NotImplementedError

    # --- helpers ----------------------------------------------------------------------

    @property
    def department_scoped(self) -> bool:
        """Whether a grant limited to the own department reaches some records of the model.
        A model that names no department (the indicator catalogue, a zone) is reached by such a
        grant not at all, and the "limited" cases assert exactly that."""
        return "own_department" in getattr(self.model, "restrict_paths", {})

    def nothing_changed(self):
        """``assert_nothing_changed`` on the model and the ``watched_models``."""
        return assert_nothing_changed(self.model, *self.watched_models)

    def make_own_and_other(self):
        """A record of the tester's department and one of the other department."""
        return self.make_record(self.own_department), self.make_record(self.other_department)

    def grant(self, actions, constraint=ALL, model=None):
        label = model if isinstance(model, str) else model_key(model or self.model)
        permission = _make_grant(self.user, self.grant_to_role, actions, constraint, label)
        self.user.__dict__.pop("_yuanqu_grants", None)
        return permission

    def colleague(self):
        """Another user of the tester's department and role (王丽) holding the same grants:
        the other person editing the same record (optimistic concurrency)."""
        other = factories.user("colleague", self.user.role, self.own_department, name="王丽")
        if not self.grant_to_role:  # a role's grant reaches the colleague already
            for permission in ObjectPermission.objects.filter(user=self.user):
                permission.pk, permission.user = None, other
                permission.name = f"{permission.name}（同事）"
                permission.save()
        return other

    def changes(self, pk=None, action=None):
        rows = ObjectChange.objects.filter(content_type=ContentType.objects.get_for_model(self.model))
        if pk is not None:
            rows = rows.filter(object_id=str(pk))
        if action is not None:
            rows = rows.filter(action=action)
        return rows

    def assert_logged(self, pk, action):
        """The one change-log row of this action on the record, written as the tester."""
        change = self.changes(pk, action).get()
        assert change.user_id == self.user.pk
        assert change.user_name == self.user.username
        assert change.request_id is not None
        return change

    def assert_unchanged(self, record, before):
        """The record still has the values it had before and no update was logged."""
        assert self.snapshot(record) == before
        assert not self.changes(record.pk, "update").exists()

    def assert_not_deleted(self, record):
        """The record is still there and no deletion was logged."""
        assert self.exists(record)
        assert not self.changes(record.pk, "delete").exists()

    def assert_deleted(self, record, before):
        """The record is gone and its deletion logged as the tester, with the values it had."""
        assert not self.exists(record)
        change = self.assert_logged(record.pk, "delete")
        assert change.prechange_data == before
        assert change.postchange_data is None

    def fresh(self, record):
        return self.model._default_manager.get(pk=record.pk)

    def snapshot(self, record):
        """The record's values as saved now, as the change log writes them."""
        return serialize_object(self.fresh(record))

    def exists(self, record) -> bool:
        return self.model._default_manager.filter(pk=record.pk).exists()

    def _count(self):
        return self.model._default_manager.count()


def _make_grant(user, to_role, actions, constraint, label):
    """A grant of ``actions`` on the model ``label`` to the user (or to the user's role)."""
    permission = ObjectPermission(
        name=f"测试授权{next(_grant_serial)}",
        user=None if to_role else user,
        role=user.role if to_role else "",
        model=label,
        actions=list(actions),
        constraint=constraint,
    )
    permission.full_clean()
    permission.save()
    return permission
