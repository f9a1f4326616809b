import django_tables2 as tables

from yuanqu.utilities.tables import BaseTable, NumberColumn

from .models import Target


class TargetTable(BaseTable):
    """The targets as records (the list behind the sheet): what each says, not how it stands."""

    name = tables.Column(verbose_name="指标", linkify=True)
    stated = tables.Column(verbose_name="目标", empty_values=(), orderable=False)
    value = NumberColumn(verbose_name="目标值")
    figure = tables.Column(verbose_name="数据来源", empty_values=())
    scope = tables.Column(verbose_name="口径", empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Target
        fields = (
            "year",
            "name",
            "stated",
            "kind",
            "value",
            "unit",
            "comparator",
            "department",
            "scope",
            "figure",
        )

    def render_stated(self, record):
        return record.stated()

    def value_stated(self, record):
        return record.stated()

    def render_figure(self, value):
        return value or "责任单位填报"

    def value_figure(self, value):
        return self.render_figure(value)

    def render_scope(self, record):
        return str(record.zone or record.scope_department or "全园区")

    def value_scope(self, record):
        return self.render_scope(record)
