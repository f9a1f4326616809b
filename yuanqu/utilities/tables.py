import django_tables2 as tables
from django.db import models
from django_tables2.columns import library

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

    class Meta:
        attrs = {"class": "table"}
        template_name = "generic/table.html"
