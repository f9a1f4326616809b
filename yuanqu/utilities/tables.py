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


class BaseTable(tables.Table):
    """A table that knows who looks at it (for masking) and whether it is being exported."""

    exclude_from_export: tuple[str, ...] = ()

    def __init__(self, *args, user=None, exporting=False, **kwargs):
        self.user = user
        self.exporting = exporting
        super().__init__(*args, **kwargs)

    class Meta:
        attrs = {"class": "table"}
        template_name = "generic/table.html"
