import django_tables2 as tables


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
