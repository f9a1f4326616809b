"""Every list page's rows render as django-tables2 rendered them, cell by cell, and every
list page's export reads the same rows by ``values_list()`` as from the records: the
fast road of ``utilities.excel.table_rows`` may be taken only where it changes nothing.

Over the small demo zone of the link crawler, every ``ObjectListView`` of the URL conf whose
table is a class, read whole (as the command line exports it)."""

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.urls import URLPattern, URLResolver, get_resolver

from yuanqu.tests.test_link_crawler import demo_zone  # noqa: F401  (the module's demo data)
from yuanqu.users.models import User
from yuanqu.users.permissions import restrict
from yuanqu.utilities.excel import cell_value, table_rows
from yuanqu.utilities.views import ObjectListView


def list_views(patterns=None):
    found = {}
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            found.update(list_views(entry.url_patterns))
        elif isinstance(entry, URLPattern):
            view = getattr(entry.callback, "view_class", None)
            # a table built per request (a method: the project book's, by period) is left to
            # its own tests
            if view is not None and issubclass(view, ObjectListView) and isinstance(view.table, type):
                found[f"{view.__module__}.{view.__name__}"] = view
    return found


LIST_VIEWS = list_views()


def test_the_walk_finds_the_list_pages():
    assert {"yuanqu.enterprises.views.EnterpriseListView", "yuanqu.users.views.UserListView"} <= set(
        LIST_VIEWS
    )


@pytest.mark.parametrize("name", sorted(LIST_VIEWS))
def test_values_road_gives_the_rows_the_records_give(demo_zone, db, name):  # noqa: F811
    view = LIST_VIEWS[name]
    queryset = view.queryset.all()
    fast = table_rows(view.table(queryset, exporting=True))
    slow = table_rows(view.table(queryset, exporting=True), use_values=False)
    assert fast.header == slow.header
    fast_rows = list(fast.rows)
    assert fast_rows == list(slow.rows), name
    # and what django-tables2 itself gives for those columns (dates and yes/no aside, which
    # the table gave as text: '2024-03-01', 'True'), as a cell holds it
    table = view.table(queryset, exporting=True)
    columns = [c for c in table.columns if c.name not in table.exclude_from_export]
    kept = [
        i
        for i, c in enumerate(columns)
        if not isinstance(c.column, tables.DateColumn | tables.DateTimeColumn | tables.BooleanColumn)
    ]
    by_table = [[cell_value(row.get_cell_value(columns[i].name)) for i in kept] for row in table.rows]
    assert [[cell_value(row[i]) for i in kept] for row in fast_rows] == by_table, name


def test_the_registry_exports_take_the_values_road(demo_zone, db):  # noqa: F811
    """The big lists are read without asking the table per cell."""
    from yuanqu.enterprises.views import EnterpriseListView

    sheet = table_rows(EnterpriseListView.table(EnterpriseListView.queryset.all(), exporting=True))
    assert sheet.rows.__name__ == "_value_rows"


# How generic/table.html wrote a page's rows before ``BaseTable.rows_html``: django-tables2's
# own way, cell by cell.
CELL_BY_CELL = Template(
    "{% for row in table.paginated_rows %}\n"
    "    <tr>{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>{{ cell }}</td>"
    "{% endfor %}</tr>\n  {% endfor %}"
)


@pytest.mark.parametrize("name", sorted(LIST_VIEWS))
@pytest.mark.parametrize("username", ["leader", "staff"])
def test_a_page_of_rows_reads_as_django_tables2_wrote_it(demo_zone, db, name, username):  # noqa: F811
    """The list pages' rows (links, choice labels, dates, figures, yes/no, masked fields)
    are the same HTML, byte for byte, as the cell-by-cell rendering gave, for two roles."""
    view = LIST_VIEWS[name]
    user = User.objects.get(username=username)
    queryset = restrict(view.queryset.all(), user, "view")

    def page():
        table = view.table(queryset, user=user)
        table.paginate(per_page=25, page=1)
        table.context = Context({"table": table})
        return table

    expected = CELL_BY_CELL.render(Context({"table": page()}))
    assert ("<tr>" in expected) == queryset.exists()
    assert page().rows_html() == expected, name


def test_the_list_page_shows_its_rows_and_an_empty_table_says_so(demo_zone, client, db):  # noqa: F811
    from yuanqu.enterprises.models import Enterprise

    client.force_login(User.objects.get(username="leader"))
    page = client.get("/enterprises/").content.decode()
    first = restrict(Enterprise.objects.order_by("name"), User.objects.get(username="leader"), "view").first()
    assert page.count("<tr><td ") >= 25 and first.name in page
    empty = client.get("/enterprises/", {"q": "没有这样的企业"}).content.decode()
    assert '<td colspan="11" class="empty">没有符合条件的记录</td>' in empty


@pytest.mark.parametrize("name", sorted(LIST_VIEWS))
def test_the_filter_form_reads_as_django_wrote_it(demo_zone, rf, db, name):  # noqa: F811
    """Every list page's select filters (model choices restricted to the user, choices,
    yes/no) are the same HTML as Django's templates wrote, with and without a choice made
    (the choices are not touched: ``utilities/tests/test_choices.py`` checks their limits)."""
    from yuanqu.utilities.selects import FastSelectMixin

    view = LIST_VIEWS[name]
    user = User.objects.get(username="staff")
    plain = view.filterset(None, queryset=view.queryset.all(), request=_request(rf, user, {}))
    chosen = {}
    for field_name, field in plain.form.fields.items():
        choices = [value for value, _ in getattr(field, "choices", ()) if str(value)]
        if choices:
            chosen[field_name] = str(choices[-1])
    for data in ({}, chosen):
        filterset = view.filterset(
            data or None, queryset=view.queryset.all(), request=_request(rf, user, data)
        )
        for field in filterset.form:
            widget = field.field.widget
            if not isinstance(widget, FastSelectMixin):
                continue
            fast = str(field)
            widget.__class__ = widget.stock
            assert fast == str(field), (name, field.name)
            widget.__class__ = type(widget)


def _request(rf, user, data):
    request = rf.get("/", data)
    request.user = user
    return request


def test_the_enterprise_filters_write_their_options_in_one_loop(demo_zone, client, db):  # noqa: F811
    from yuanqu.enterprises.models import Industry

    division = Industry.objects.filter(level=2).order_by("code").last()
    client.force_login(User.objects.get(username="leader"))
    page = client.get("/enterprises/", {"division": division.code}).content.decode()
    assert f'<option value="{division.code}" selected>{division.code} {division.name}</option>' in page
    assert '<select name="status" size="3" id="id_status" multiple>' in page
    assert '<option value="" selected>全部</option>' in page  # 外资企业: any
