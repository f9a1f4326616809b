import django_tables2 as tables
from django.urls import reverse

from yuanqu.utilities.tables import BaseTable

from .models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure


class IndicatorTable(BaseTable):
    name = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = Indicator
        fields = (  # by its Chinese name; the code is an identifier for imports, not for reading
            "name",
            "unit",
            "kind",
            "level",
            "population",
            "growth_published",
            "order",
            "active",
        )


class EnterpriseMonthlyValueTable(BaseTable):
    enterprise = tables.Column(
        linkify=lambda record: record.get_absolute_url(), order_by=("enterprise__name",)
    )
    uscc = tables.Column(accessor="enterprise__uscc", verbose_name="统一社会信用代码")
    zone = tables.Column(accessor="enterprise__zone", verbose_name="片区")
    indicator = tables.Column(order_by=("indicator__order",))
    period = tables.DateColumn(format="Y年n月")
    unit = tables.Column(accessor="indicator", verbose_name="单位", orderable=False)
    reported_by = tables.Column()

    class Meta(BaseTable.Meta):
        model = EnterpriseMonthlyValue
        fields = (
            "enterprise",
            "uscc",
            "zone",
            "indicator",
            "period",
            "month_value",
            "ytd_value",
            "unit",
            "version",
            "is_current",
            "reason",
            "reported_by",
        )
        sequence = fields

    def render_unit(self, value):
        return value.get_unit_display()


def percent_text(value):
    return "—" if value is None else f"{value * 100:.1f}%"


class ZoneMonthlyFigureTable(BaseTable):
    zone = tables.Column(
        linkify=lambda record: reverse("economy:zonemonthlyfigure", args=[record.pk]),
        order_by=("zone__order",),
    )
    indicator = tables.Column(order_by=("indicator__order",))
    period = tables.DateColumn(format="Y年n月")
    unit = tables.Column(accessor="indicator", verbose_name="单位", orderable=False)
    published_growth = tables.Column(verbose_name="公布增速")
    reported_by = tables.Column()

    class Meta(BaseTable.Meta):
        model = ZoneMonthlyFigure
        fields = (
            "zone",
            "indicator",
            "period",
            "month_value",
            "ytd_value",
            "unit",
            "published_growth",
            "version",
            "is_current",
            "reason",
            "reported_by",
        )
        sequence = fields

    def render_unit(self, value):
        return value.get_unit_display()

    def render_published_growth(self, value):
        return percent_text(value)

    def value_published_growth(self, value):
        return value  # the fraction in Excel, as the import reads it back
