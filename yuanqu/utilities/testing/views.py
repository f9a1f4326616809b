"""Shared tests for a model's pages, after NetBox's ``utilities/testing/views.py``.

An app's test module subclasses the cases its model has pages for and gives only its data::

    class TestEnterpriseViews(ViewTestCases.PrimaryObjectViewTestCase):
        model = Enterprise
        edit_changes = {"name": "改名后的企业有限公司"}
        # make_record() and create_data() as in base.py

Every case runs three ways:

(a) without a grant on the model: the list answers 403, a record 404, create 403, edit and
    delete 404, export 403;
(b) with a grant on every record: the page works, and create/edit/delete leave a
    ``core.ObjectChange`` row with the user, the action and the values before and after;
(c) with a grant limited to the tester's department (经济发展局): its own record works, the
    other department's (招商局) answers 404, and a save that would put the record outside
    the department is refused with the Chinese reason and nothing is saved. A model that
    names no department (a catalogue, a zone) is reached by such a grant not at all, and
    the same cases assert that instead;

and the create and edit forms are posted with an error (a required field left empty, or the
case's ``invalid_changes``): the form shows again with its message and the values typed in.

Every refusal — no grant, outside the grant, a form error — runs inside
``assert_nothing_changed`` (``changes.py``): the model's rows (and the case's
``watched_models``) are as they were and no ``core.ObjectChange`` row was written.
``yuanqu/tests/test_crud_coverage.py`` reads every CRUD page from the URL registry and fails
when a model's page has no case here.

The tester and the grant helpers come from ``base.BaseTestCase``; here the tester is logged in
with a browser session.
"""

import io
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django import forms
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from yuanqu.utilities.concurrency import VERSION_FIELD, version_of
from yuanqu.utilities.crypto import decrypt, is_logged_personal

from .base import ALL, OWN_DEPARTMENT, BaseTestCase
from .changes import assert_nothing_changed

OUTSIDE_GRANT_ERROR = "保存后的记录超出了您的权限范围（例如不属于本部门），未保存。"

__all__ = [  # ALL is passed on from base for the apps' cases
    "ALL",
    "OUTSIDE_GRANT_ERROR",
    "OWN_DEPARTMENT",
    "ViewTestCases",
    "assert_max_queries",
    "assert_nothing_changed",
    "form_errors",
    "form_post_data",
    "formset_post_data",
    "with_version",
    "xlsx_rows",
]


@contextmanager
def assert_max_queries(limit: int, using=None):
    """Fail when the block runs more than ``limit`` SQL queries (an N+1 shows as a count that
    grows with the rows); the message lists the queries."""
    with CaptureQueriesContext(using or connection) as captured:
        yield captured
    count = len(captured.captured_queries)
    if count > limit:
        listing = "\n".join(f"{i}. {q['sql']}" for i, q in enumerate(captured.captured_queries, 1))
        pytest.fail(f"{count} queries, more than the ceiling of {limit}:\n{listing}")


def xlsx_rows(response) -> list[list]:
    """The rows of the first sheet of an xlsx response (header first)."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def form_post_data(form) -> dict:
    """What submitting a form unchanged would post: each enabled field's current value."""
    data = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.field.prepare_value(bound.value())
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        data[bound.html_name] = value
    return data


def formset_post_data(formset) -> dict:
    """What submitting an inline formset unchanged would post: its management form and the
    rows it shows (blank extra rows stay blank); {} without a formset."""
    if formset is None:
        return {}
    data = form_post_data(formset.management_form)
    for form in formset.initial_forms:
        data.update(form_post_data(form))
    data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
    return data


def with_version(record, data, children=False) -> dict:
    """``data`` posted as the edit page of ``record`` posts it: with the version the page was
    opened at (``utilities.concurrency``; ``children`` for a page with child rows)."""
    return {**data, VERSION_FIELD: str(version_of(record, children=children))}


def form_errors(response):
    """A failed form's errors, for the message of an assertion that expected a redirect."""
    context = response.context
    if context is not None and "form" in context:
        return context["form"].errors.as_json()
    return response.status_code


def _required_field(form, exclude=()) -> str:
    """The first required, enabled field of a form: the one a case leaves empty."""
    for bound in form:
        if bound.field.required and not bound.field.disabled and bound.name not in exclude:
            return bound.html_name
    raise AssertionError("the form has no required field to leave empty; set invalid_changes")


def _assert_input_kept(response, data, skip=()):
    """A refused form shows again with the values typed in (text fields checked in the page)."""
    form = response.context["form"]
    page = response.content.decode()
    for bound in form:
        name = bound.html_name
        if name in skip or name not in data or bound.field.disabled:
            continue
        value = data[name]
        if not isinstance(value, str) or not value:
            continue
        widget = bound.field.widget
        if isinstance(widget, forms.Textarea):
            assert f">\n{escape(value)}</textarea>" in page, (
                f"{name}: the typed text {value!r} is not shown again"
            )
        elif getattr(widget, "input_type", None) in ("text", "email", "tel", "url"):
            shown = bound.field.prepare_value(
                bound.value()
            )  # as the widget renders it (a code with its name …)
            assert f'value="{escape(shown)}"' in page, f"{name}: the typed value {value!r} is not shown again"


def _typed(logged) -> str:
    """A logged value as it was typed: a personal value's token decrypted (and checked not to
    hold the value in clear)."""
    if is_logged_personal(logged):
        plain = decrypt(logged["token"])
        assert plain not in str(logged)
        return plain
    return str(logged)


class ViewTestCases:
    """Namespace of the cases; pytest collects only the ``Test…`` subclasses in the apps."""

    class BaseViewTestCase(BaseTestCase):
        # The form error of a save that would leave the grant (a view may word it for its model).
        outside_grant_error = OUTSIDE_GRANT_ERROR

        @pytest.fixture(autouse=True)
        def _view_test_setup(self, _base_test_setup, client):
            self.client = client
            client.force_login(self.user)

        def record_text(self, record) -> str:
            """Text that shows the record in a list, a page or an export."""
            return str(record)

        def url(self, action, *args):
            meta = self.model._meta
            suffix = "" if action == "detail" else f"_{action}"
            return reverse(f"{meta.app_label}:{meta.model_name}{suffix}", args=args)

    class ListObjectViewTestCase(BaseViewTestCase):
        # Queries for a list page of 50 records; the count must not grow with the rows.
        max_list_queries = 20

        def listed_record_text(self, record) -> str:
            """Text that shows the record on the list page (its text by default; a link to it
            when the text is also a choice of the filter form)."""
            return self.record_text(record)

        def test_list_without_permission(self):
            record = self.make_record(self.other_department)
            with self.nothing_changed():
                response = self.client.get(self.url("list"))
            assert response.status_code == 403
            page = response.content.decode()
            assert "无权访问" in page
            assert self.listed_record_text(record) not in page

        def test_list_with_permission(self):
            own, other = self.make_own_and_other()
            self.grant(["view"])
            response = self.client.get(self.url("list"))
            assert response.status_code == 200
            page = response.content.decode()
            assert self.listed_record_text(own) in page
            assert self.listed_record_text(other) in page

        def test_list_limited_to_own_department(self):
            own, other = self.make_own_and_other()
            self.grant(["view"], OWN_DEPARTMENT)
            response = self.client.get(self.url("list"))
            assert response.status_code == 200
            page = response.content.decode()
            assert (self.listed_record_text(own) in page) is self.department_scoped
            assert self.listed_record_text(other) not in page

        def make_list_record(self):
            """One more record for the list (a department is its own record: a new one here)."""
            return self.make_record(self.own_department)

        def test_list_queries_do_not_grow_with_rows(self):
            self.grant(["view"])
            self.make_list_record()
            with CaptureQueriesContext(connection) as few:
                assert self.client.get(self.url("list")).status_code == 200
            for _ in range(49):
                self.make_list_record()
            with assert_max_queries(self.max_list_queries) as many:
                assert self.client.get(self.url("list")).status_code == 200
            assert len(many.captured_queries) <= len(few.captured_queries) + 1  # + the paginator's count

    class GetObjectViewTestCase(BaseViewTestCase):
        def test_get_object_without_permission(self):
            record = self.make_record(self.other_department)
            with self.nothing_changed():
                response = self.client.get(self.url("detail", record.pk))
            assert response.status_code == 404
            assert self.record_text(record) not in response.content.decode()

        def test_get_object_with_permission(self):
            record = self.make_record(self.other_department)
            self.grant(["view"])
            response = self.client.get(self.url("detail", record.pk))
            assert response.status_code == 200
            assert self.record_text(record) in response.content.decode()

        def test_get_object_limited_to_own_department(self):
            own, other = self.make_own_and_other()
            self.grant(["view"], OWN_DEPARTMENT)
            assert self.client.get(self.url("detail", own.pk)).status_code == (
                200 if self.department_scoped else 404
            )
            response = self.client.get(self.url("detail", other.pk))
            assert response.status_code == 404
            assert self.record_text(other) not in response.content.decode()

    class CreateObjectViewTestCase(BaseViewTestCase):
        # Form changes that make a new record invalid, e.g. {"name": ""}; by default the
        # form's first required field is left empty.
        invalid_changes: dict | None = None

        def create_data(self, department) -> dict:
            """POST data of a valid new record owned by the department."""
            raise NotImplementedError

        def create_url(self, department) -> str:
            return self.url("add")

        def test_create_object_without_permission(self):
            url, data = self.create_url(self.own_department), self.create_data(self.own_department)
            with self.nothing_changed():
                assert self.client.get(url).status_code == 403
                response = self.client.post(self.url("add"), data)
            assert response.status_code == 403

        def test_create_object_with_permission(self):
            self.grant(["add"])
            assert self.client.get(self.create_url(self.other_department)).status_code == 200
            data = self.create_data(self.other_department)
            before = self._count()
            response = self.client.post(self.url("add"), data)
            assert response.status_code == 302, form_errors(response)
            assert self._count() == before + 1
            created = self.model._default_manager.latest("pk")
            change = self.assert_logged(created.pk, "create")
            assert change.prechange_data is None
            self._assert_posted_values_logged(data, change.postchange_data)

        def test_create_object_limited_to_own_department(self):
            self.grant(["add"], OWN_DEPARTMENT)
            own_data = self.create_data(self.own_department)
            if self.department_scoped:
                created_before = self.changes(action="create").count()
                response = self.client.post(self.url("add"), own_data)
                assert response.status_code == 302, form_errors(response)
                assert self.changes(action="create").count() == created_before + 1
            else:  # the grant reaches no record of a model without a department
                with self.nothing_changed():
                    response = self.client.post(self.url("add"), own_data)
                assert response.status_code == 200
                assert self.outside_grant_error in response.content.decode()
            other_data = self.create_data(self.other_department)
            with self.nothing_changed():
                response = self.client.post(self.url("add"), other_data)
            assert response.status_code == 200
            assert self.outside_grant_error in response.content.decode()
            _assert_input_kept(response, other_data)

        def test_create_object_with_invalid_data(self):
            self.grant(["add"])
            url = self.create_url(self.own_department)
            form = self.client.get(url).context["form"]
            data = self.create_data(self.own_department)
            invalid = (
                self.invalid_changes if self.invalid_changes is not None else {_required_field(form): ""}
            )
            data = {**data, **invalid}
            with self.nothing_changed():
                response = self.client.post(self.url("add"), data)
            assert response.status_code == 200
            errors = response.context["form"].errors
            assert errors, "the invalid form was accepted"
            page = response.content.decode()
            for messages_ in errors.values():
                for message in messages_:
                    assert escape(message) in page, f"the error {message!r} is not shown"
            _assert_input_kept(response, data, skip=invalid)

        def _assert_posted_values_logged(self, data, logged):
            for name, value in data.items():
                field = self.model._meta.get_field(name)
                if not field.concrete or value == "on":
                    continue
                if isinstance(field, models.DecimalField):  # logged to the field's places
                    assert Decimal(logged[field.name]) == Decimal(str(value)), name
                elif is_logged_personal(logged[field.name]):  # never in clear in the log
                    assert str(value) not in str(logged[field.name]), name
                    assert decrypt(logged[field.name]["token"]) == str(value), name
                else:
                    assert str(logged[field.name]) == str(value), name

    class EditObjectViewTestCase(BaseViewTestCase):
        # Fields changed in the edit form and the values typed in.
        edit_changes: dict = {}
        # Form changes that make the record invalid; by default a required field left empty.
        invalid_edit_changes: dict | None = None

        def move_out_changes(self, department) -> dict:
            """Form changes that would hand the record to the department."""
            return {"department": department.pk}

        def edit_data(self, record, changes, client=None) -> dict:
            """Open the edit form, change some fields, submit: the POST a user would send
            (with the inline formset's rows as shown, when the page has one, and the version
            of the record the page was opened at)."""
            response = (client or self.client).get(self.url("edit", record.pk))
            assert response.status_code == 200
            rows = formset_post_data(response.context.get("formset"))
            return {**rows, **form_post_data(response.context["form"]), **changes}

        def test_edit_from_a_stale_page_is_refused(self):
            """Lost update (issue 12): the tester opens the edit page, a colleague saves a
            change meanwhile, the tester saves the page as opened — refused with who changed
            what, the colleague's values kept, the change log holding only their change."""
            record = self.make_record(self.own_department)
            self.grant(["change"])
            opened = self.edit_data(record, {})
            assert opened.get(VERSION_FIELD) not in (None, ""), "the edit form carries no version"
            colleague = Client()
            colleague_user = self.colleague()
            colleague.force_login(colleague_user)
            response = colleague.post(
                self.url("edit", record.pk), self.edit_data(record, self.edit_changes, colleague)
            )
            assert response.status_code == 302, form_errors(response)
            theirs = self.snapshot(record)
            with self.nothing_changed():
                response = self.client.post(self.url("edit", record.pk), opened)
            assert response.status_code == 200
            page = response.content.decode()
            assert "该记录已被他人修改（王丽，" in page, form_errors(response)
            for name in self.edit_changes:
                field = self.model._meta.get_field(name)
                assert str(field.verbose_name) in page.split("该记录已被他人修改", 1)[1], name
            assert self.snapshot(record) == theirs
            assert [c.user_id for c in self.changes(record.pk, "update")] == [colleague_user.pk]
            _assert_input_kept(response, opened, skip={VERSION_FIELD, *self.edit_changes})
            # The page shown again has their values where the tester changed nothing: saving
            # it now changes nothing (no update logged), rather than putting the old ones back.
            again = {
                **formset_post_data(response.context.get("formset")),
                **form_post_data(response.context["form"]),
            }
            response = self.client.post(self.url("edit", record.pk), again)
            assert response.status_code == 302, form_errors(response)
            assert self.snapshot(record) == theirs
            assert [c.user_id for c in self.changes(record.pk, "update")] == [colleague_user.pk]

        def test_edit_object_without_permission(self):
            record = self.make_record(self.own_department)
            with self.nothing_changed():
                assert self.client.get(self.url("edit", record.pk)).status_code == 404
                assert self.client.post(self.url("edit", record.pk), self.edit_changes).status_code == 404

        def test_edit_object_with_permission(self):
            record = self.make_record(self.other_department)
            before = self.snapshot(record)
            self.grant(["change"])
            response = self.client.post(
                self.url("edit", record.pk), self.edit_data(record, self.edit_changes)
            )
            assert response.status_code == 302, form_errors(response)
            change = self.assert_logged(record.pk, "update")
            for name, value in self.edit_changes.items():
                logged = change.prechange_data[name]
                # A personal value is a dict (PostgreSQL's jsonb keeps its keys in its own order).
                assert (
                    logged == before[name] if isinstance(logged, dict) else str(logged) == str(before[name])
                )
                assert _typed(change.postchange_data[name]) == str(value)
            after = self.snapshot(record)
            assert {name: _typed(after[name]) for name in self.edit_changes} == {
                name: str(value) for name, value in self.edit_changes.items()
            }

        def test_edit_object_limited_to_own_department(self):
            own, other = self.make_own_and_other()
            self.grant(["change"], OWN_DEPARTMENT)
            if self.department_scoped:
                response = self.client.post(self.url("edit", own.pk), self.edit_data(own, self.edit_changes))
                assert response.status_code == 302, form_errors(response)
                self.assert_logged(own.pk, "update")
                reachable = [other]
            else:
                reachable = [own, other]
            with self.nothing_changed():
                for record in reachable:
                    assert self.client.get(self.url("edit", record.pk)).status_code == 404
                    assert self.client.post(self.url("edit", record.pk), self.edit_changes).status_code == 404

        def test_edit_cannot_move_record_out_of_own_department(self):
            record = self.make_record(self.own_department)
            self.grant(["change"], OWN_DEPARTMENT)
            if not self.department_scoped:  # nothing to move: the grant reaches no record
                with self.nothing_changed():
                    assert self.client.post(self.url("edit", record.pk), self.edit_changes).status_code == 404
                return
            data = self.edit_data(
                record, {**self.edit_changes, **self.move_out_changes(self.other_department)}
            )
            with self.nothing_changed():
                response = self.client.post(self.url("edit", record.pk), data)
            assert response.status_code == 200
            assert self.outside_grant_error in response.content.decode()
            _assert_input_kept(response, data)

        def test_edit_object_with_invalid_data(self):
            record = self.make_record(self.own_department)
            self.grant(["change"])
            form = self.client.get(self.url("edit", record.pk)).context["form"]
            invalid = (
                self.invalid_edit_changes
                if self.invalid_edit_changes is not None
                else {_required_field(form, exclude=self.edit_changes): ""}
            )
            data = self.edit_data(record, {**self.edit_changes, **invalid})
            with self.nothing_changed():
                response = self.client.post(self.url("edit", record.pk), data)
            assert response.status_code == 200
            assert response.context["form"].errors, "the invalid form was accepted"
            _assert_input_kept(response, data, skip=invalid)

    class DeleteObjectViewTestCase(BaseViewTestCase):
        def test_delete_object_without_permission(self):
            record = self.make_record(self.own_department)
            with self.nothing_changed():
                assert self.client.get(self.url("delete", record.pk)).status_code == 404
                assert self.client.post(self.url("delete", record.pk)).status_code == 404
            assert self.exists(record)

        def test_delete_object_with_permission(self):
            record = self.make_record(self.other_department)
            before = self.snapshot(record)
            self.grant(["delete"])
            assert self.client.get(self.url("delete", record.pk)).status_code == 200
            response = self.client.post(self.url("delete", record.pk))
            assert response.status_code == 302
            self.assert_deleted(record, before)

        def test_delete_object_limited_to_own_department(self):
            own, other = self.make_own_and_other()
            self.grant(["delete"], OWN_DEPARTMENT)
            with self.nothing_changed():
                assert self.client.post(self.url("delete", other.pk)).status_code == 404
                if not self.department_scoped:
                    assert self.client.post(self.url("delete", own.pk)).status_code == 404
            if self.department_scoped:
                assert self.client.post(self.url("delete", own.pk)).status_code == 302
                assert not self.exists(own)
                self.assert_logged(own.pk, "delete")

    class ExportObjectsViewTestCase(BaseViewTestCase):
        def export(self):
            return self.client.get(self.url("list"), {"export": "xlsx"})

        def exported_record_text(self, record) -> str:
            """Text that shows the record in the export (the list's text by default)."""
            return self.record_text(record)

        def exported_text(self, response) -> str:
            return "\n".join(" ".join(str(v) for v in row if v is not None) for row in xlsx_rows(response))

        def test_export_objects_without_permission(self):
            self.make_record(self.own_department)
            with self.nothing_changed():
                assert self.export().status_code == 403
            self.grant(["view"])  # seeing the list is not enough to take the data away
            with self.nothing_changed():
                assert self.export().status_code == 403

        def test_export_objects_with_permission(self):
            own, other = self.make_own_and_other()
            self.grant(["view", "export"])
            response = self.export()
            assert response.status_code == 200
            assert response["Content-Type"].startswith("application/vnd.openxmlformats")
            text = self.exported_text(response)
            assert self.exported_record_text(own) in text
            assert self.exported_record_text(other) in text

        def test_export_objects_limited_to_own_department(self):
            own, other = self.make_own_and_other()
            self.grant(["view", "export"], OWN_DEPARTMENT)
            text = self.exported_text(self.export())
            assert (self.exported_record_text(own) in text) is self.department_scoped
            assert self.exported_record_text(other) not in text

    class PrimaryObjectViewTestCase(
        ListObjectViewTestCase,
        GetObjectViewTestCase,
        CreateObjectViewTestCase,
        EditObjectViewTestCase,
        DeleteObjectViewTestCase,
        ExportObjectsViewTestCase,
    ):
        """Every page of a main record: list, record, create, edit, delete, export."""
