import types

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template import Context, Template
from django.template.base import render_value_in_context
from django.utils.safestring import mark_safe
from django_tables2.columns import library
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.columns.manytomanycolumn import ManyToManyColumn
from django_tables2.columns.templatecolumn import TemplateColumn
from django_tables2.utils import A, signature

from yuanqu.utilities.templatetags.numbers import number

# Whole numbers that name rather than count (2026年, 排序 3): never grouped by thousands.
NOT_GROUPED = {"year", "month", "order", "number", "seq"}


@library.register
class NumberColumn(tables.Column):
    """A figure with thousands separators and no idle decimals (295, not 295.0000),
    right-aligned; the export keeps the number itself. Every table column made from a
    decimal or counting model field is one of these."""

    def __init__(self, *args, places=None, **kwargs):
        self.places = places
        attrs = kwargs.pop("attrs", None) or {}
        attrs.setdefault("td", {}).setdefault("class", "num")
        attrs.setdefault("th", {}).setdefault("class", "num")
        super().__init__(*args, attrs=attrs, **kwargs)

    def render(self, value):
        return number(value, self.places)

    def value(self, value):
        return value

    @classmethod
    def from_field(cls, field, **kwargs):
        if getattr(field, "choices", None) or getattr(field, "primary_key", False):
            return None
        if field.name in NOT_GROUPED or field.name.endswith("_year"):
            return None
        if isinstance(field, models.DecimalField | models.FloatField):
            return cls(**kwargs)
        if isinstance(field, models.IntegerField) and not isinstance(field, models.AutoField):
            return cls(**kwargs)
        return None


def _field_at(model, path):
    """The model field an accessor path ends on, or None."""
    field = None
    for part in path:
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except Exception:
            return None
        model = field.related_model if field.is_relation else None
    return field


class BaseTable(tables.Table):
    """A table that knows who looks at it (for masking) and whether it is being exported."""

    exclude_from_export: tuple[str, ...] = ()

    def __init__(self, *args, user=None, exporting=False, **kwargs):
        self.user = user
        self.exporting = exporting
        type(self)._group_numbers()
        super().__init__(*args, **kwargs)

    @classmethod
    def _group_numbers(cls):
        """Plain columns declared by hand over a decimal or counting field render as figures
        too (once per table class), unless the table renders them itself."""
        if cls.__dict__.get("_numbers_grouped"):
            return
        cls._numbers_grouped = True
        model = getattr(cls._meta, "model", None)
        if model is None:
            return
        for name, column in cls.base_columns.items():
            if type(column) is not tables.Column or hasattr(cls, f"render_{name}"):
                continue
            path = str(column.accessor or name).replace(".", "__").split("__")
            field = _field_at(model, path)
            if field is not None and NumberColumn.from_field(field) is not None:
                column.render = lambda value: number(value)
                column.value = lambda value: value
                column.attrs = {**column.attrs, "td": {"class": "num"}, "th": {"class": "num"}}

    def rows_html(self):
        """The ``<tr>`` of every row of the page, as ``generic/table.html`` wrote them cell by
        cell (``{{ cell }}`` in a ``<td>`` with the column's attributes); "" when none."""
        context = getattr(self, "context", None) or Context()
        plans = [_ColumnPlan(self, column) for column in self.columns]
        lines = []
        for row in self.paginated_rows:
            cells = []
            for plan in plans:
                value = plan.cell(self, row, context)
                if plan.per_cell_attrs:
                    plan.bound_column.current_value = value
                    plan.bound_column.current_record = row.record
                    td = plan.bound_column.attrs["td"].as_html()
                else:
                    td = plan.td_html
                cells.append(f"<td {td}>{render_value_in_context(value, context)}</td>")
            lines.append(f"\n    <tr>{''.join(cells)}</tr>\n  ")
        return mark_safe("".join(lines))

    class Meta:
        attrs = {"class": "table"}
        template_name = "generic/table.html"


# --- rendering the rows ---------------------------------------------------------------------
#
# django-tables2 renders every cell the general way: ``inspect.signature`` of the render
# function to pick its arguments, the model field looked up again for the choice label, a
# ``TemplateColumn`` (a ``DateColumn`` is one) compiling its template, and the table template
# resolving ``column.attrs`` (a dict rebuilt per call) for each ``<td>``. That was over half of
# a list page. ``BaseTable.rows_html`` renders the page's rows with the same steps and the same
# output, deciding once per function, column and record class what does not change per cell.

_SIGNATURES: dict = {}
_TEMPLATES: dict[str, Template] = {}


def _arguments(fn):
    """``django_tables2.utils.signature`` of ``fn``, once per underlying function."""
    key = getattr(fn, "__func__", fn)
    if not isinstance(key, types.FunctionType):  # a callable object, a builtin: not cached
        return signature(fn)
    found = _SIGNATURES.get(key)
    if found is None:
        found = _SIGNATURES[key] = signature(fn)
    return found


def call_with_arguments(fn, kwargs):
    """``django_tables2.utils.call_with_appropriate`` with the signature cached."""
    args, catch_all = _arguments(fn)
    if not catch_all:
        kwargs = {key: kwargs[key] for key in kwargs if key in args}
        if any(arg not in kwargs for arg in args):
            return None
    return fn(**kwargs)


def _compiled(code: str) -> Template:
    template = _TEMPLATES.get(code)
    if template is None:
        template = _TEMPLATES[code] = Template(code)
    return template


def _has_callable(attrs) -> bool:
    return any(callable(v) or (isinstance(v, dict) and _has_callable(v)) for v in (attrs or {}).values())


class _ColumnPlan:
    """What a column's cells share on one table render."""

    def __init__(self, table, bound_column):
        column = bound_column.column
        self.bound_column = bound_column
        self.column = column
        self.accessor = A(bound_column.accessor)
        self.render = bound_column.render
        self.template_code = (
            column.template_code
            if isinstance(column, TemplateColumn)
            and getattr(self.render, "__func__", None) is TemplateColumn.render
            else None
        )
        self.link = bound_column.link
        self.default = bound_column.default
        self.is_link_column = isinstance(column, BaseLinkColumn)
        self.is_many_to_many = isinstance(column, ManyToManyColumn)
        self.empty_values = column.empty_values
        # Attributes computed from the cell (callables) are asked per cell, as the template did.
        self.per_cell_attrs = _has_callable(table.attrs) or _has_callable(column.attrs)
        self.td_html = None if self.per_cell_attrs else bound_column.attrs["td"].as_html()
        self._choice_fields: dict = {}

    def choice_field(self, record):
        """Whether the accessor ends on a field with choices, once per record class."""
        model = type(record)
        if model not in self._choice_fields:
            try:
                field = self.accessor.get_field(record)
            except FieldDoesNotExist:
                field = None
            self._choice_fields[model] = bool(getattr(field, "choices", ()))
        return self._choice_fields[model]

    def cell(self, table, row, context):
        """``BoundRow.get_cell`` of this column (same steps, same result)."""
        record = row.record
        value = None
        penultimate, remainder = self.accessor.penultimate(record)
        if isinstance(penultimate, models.Model) and self.choice_field(record):
            display = getattr(penultimate, f"get_{remainder}_display", None)
            if display:
                value = display()
                remainder = None
        if remainder:
            try:
                value = self.accessor.resolve(record)
            except Exception:
                if self.is_link_column and self.column.text is not None:
                    return self._render(table, row, None, context)
        if value in self.empty_values or (self.is_many_to_many and not value.exists()):
            return self.default
        return self._render(table, row, value, context)

    def _render(self, table, row, value, context):
        kwargs = {
            "value": value,
            "record": row.record,
            "column": self.column,
            "bound_column": self.bound_column,
            "bound_row": row,
            "table": table,
        }
        if self.template_code is not None:
            content = self._render_template(table, context, kwargs)
        else:
            content = call_with_arguments(self.render, kwargs)
        return self.link(content, **kwargs) if self.link else content

    def _render_template(self, table, context, kwargs):
        """``TemplateColumn.render`` with its template compiled once per process."""
        parent = getattr(table, "context", None) or context
        data = self.column.get_context_data(**kwargs)
        with parent.update(data):
            parent["request"] = getattr(table, "request", None)
            return _compiled(self.template_code).render(parent)
