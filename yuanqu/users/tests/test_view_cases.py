"""The shared CRUD cases on the administration pages: departments, zones, accounts and grants.

A department is its own record (``own_department`` is the department itself), so a grant
limited to the tester's department reaches 经济发展局 and nothing else; zones and grants name
no department, so such a grant reaches none of them (the bases assert that for an unscoped
model)."""

import itertools

import pytest

from yuanqu.users.choices import RequestKind, Role, ZoneKind
from yuanqu.users.models import AccountRequest, Department, ObjectPermission, User, Zone
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import ALL, OWN_DEPARTMENT, ViewTestCases

_serial = itertools.count(1)


class TestDepartmentViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = Department
    edit_changes = {"name": "经济发展和科技局", "short_name": "经发科技"}

    def make_record(self, department):
        return department

    def make_list_record(self):
        return Department.objects.create(name=f"部门{next(_serial)}")

    def create_data(self, department):
        return {"name": f"新设部门{next(_serial)}", "short_name": "新设", "order": "5"}

    def test_create_object_limited_to_own_department(self):
        # A new department is never the tester's own: a department-limited grant adds none.
        self.grant(["add"], OWN_DEPARTMENT)
        data = self.create_data(self.own_department)
        with self.nothing_changed():
            response = self.client.post(self.url("add"), data)
        assert response.status_code == 200
        assert "超出了您的权限范围" in response.content.decode()
        assert f'value="{data["name"]}"' in response.content.decode()

    # A department has no owner field to hand it to another department: the move-out case of
    # the base has nothing to post, the limited edit case covers the other department.
    test_edit_cannot_move_record_out_of_own_department = None

    def test_delete_object_limited_to_own_department(self):
        # The tester's own department is within the grant but still has users: refused with
        # the reason, nothing deleted; the other department is out of sight.
        self.grant(["delete"], OWN_DEPARTMENT)
        with self.nothing_changed():
            assert self.client.post(self.url("delete", self.other_department.pk)).status_code == 404
            response = self.client.post(self.url("delete", self.own_department.pk), follow=True)
        assert "仍被其他记录引用，不能删除" in response.content.decode()


class TestZoneViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = Zone
    edit_changes = {"name": "北区", "code": "BQ-01"}

    def make_record(self, department):  # a zone names no department
        return Zone.objects.create(name=f"片区{next(_serial)}", kind=ZoneKind.AREA, code=f"Z{next(_serial)}")

    def create_data(self, department):
        return {
            "name": f"新片区{next(_serial)}",
            "kind": ZoneKind.AREA,
            "code": "XQ-1",
            "area_km2": "3.5",
            "order": "2",
        }


class TestUserViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = User
    # The form's department and zone lists are those the tester may view.
    base_grants = [("users.department", ["view"], ALL), ("users.zone", ["view"], ALL)]
    edit_changes = {"name": "周敏", "mobile": "13911112222"}
    watched_models = (ObjectPermission,)

    def make_record(self, department):
        n = next(_serial)
        return f.user(f"user{n}", Role.STAFF, department, name=f"账号{n}")

    def record_text(self, record):
        return record.username

    def create_data(self, department):
        return {
            "username": f"newuser{next(_serial)}",
            "name": "新同事",
            "role": Role.STAFF,
            "department": department.pk,
            "mobile": "13800001111",
            "email": "new@example.cn",
            "is_active": "on",
            "password": "Kaifaqu-2024-Strong",
        }

    def _assert_posted_values_logged(self, data, logged):
        # The password is logged as its hash, never as typed.
        super()._assert_posted_values_logged({k: v for k, v in data.items() if k != "password"}, logged)
        assert "Kaifaqu-2024-Strong" not in str(logged)


class TestObjectPermissionViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = ObjectPermission

    @pytest.fixture(autouse=True)
    def _without_default_grants(self, _view_test_setup):
        # The switched-off default grants would fill the list's first pages (the auditor's
        # audit grants stay: nobody revokes them). Removed without the change log: a deletion
        # of some 200 grants logged one by one cost most of each test here.
        defaults = ObjectPermission.objects.filter(is_default=True).exclude(role=Role.AUDITOR)
        defaults._raw_delete(defaults.db)

    edit_changes = {"name": "领导查看企业（改）", "description": "按年度复核"}

    def make_record(self, department):  # a grant names no department
        return ObjectPermission.objects.create(
            name=f"领导授权{next(_serial)}",
            role=Role.LEADER,
            model="enterprises.enterprise",
            actions=["view"],
            constraint=ALL,
        )

    def create_data(self, department):
        return {
            "name": f"新授权{next(_serial)}",
            "description": "测试",
            "enabled": "on",
            "role": Role.LEADER,
            "model": "enterprises.qualification",
            "actions": ["view", "export"],
            "constraint": ALL,
        }

    def _assert_posted_values_logged(self, data, logged):
        super()._assert_posted_values_logged({k: v for k, v in data.items() if k != "actions"}, logged)
        assert logged["actions"] == data["actions"]


class TestAccountRequestViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    """The two-person rule's requests: listed and read here, decided on their own page
    (test_separation_of_duties.py)."""

    model = AccountRequest

    def make_record(self, department):  # a request names no department
        n = next(_serial)
        account = f.user(f"applicant{n}", Role.STAFF, department, name=f"申请账号{n}")
        return AccountRequest.objects.create(
            kind=RequestKind.RESET_PASSWORD, account=account, requested_by=self.user, password="!unusable"
        )

    def record_text(self, record):
        return record.account.username
