import django_tables2 as tables

from yuanqu.utilities.tables import BaseTable, NumberColumn
from yuanqu.utilities.templatetags.numbers import number

from .catalogue import figures
from .forms import written_names
from .models import ExchangeRate, PeerValue, Unit


class PeerValueTable(BaseTable):
    """The 通报's columns in its order; the export writes them as the import reads them (the
    month as 2026-10, the figure by its catalogue name, the growth in percent)."""

    period = tables.DateColumn(format="Y-m", verbose_name="月份")
    figure = tables.Column(verbose_name="数据项", linkify=True)
    value = NumberColumn(verbose_name="数值")
    growth = tables.Column(verbose_name="增速（%）", attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta(BaseTable.Meta):
        model = PeerValue
        fields = ("period", "figure", "peer", "value", "growth", "source")

    def _catalogue(self):
        if not hasattr(self, "_figures"):  # the catalogue read once per table
            self._figures = figures()
        return self._figures

    def render_figure(self, value):
        figure = self._catalogue().get(value)
        return f"{figure.name}（{figure.unit}）" if figure else value

    def value_figure(self, value):
        if not hasattr(self, "_written"):
            self._written = written_names(self._catalogue())
        return self._written.get(value, value)

    def value_period(self, value):
        return f"{value:%Y-%m}"

    def render_growth(self, value):
        return number(value * 100, 1)

    def value_growth(self, value):
        return None if value is None else (value * 100).normalize()


class UnitTable(BaseTable):
    name = tables.Column(verbose_name="单位", linkify=True)
    factor = NumberColumn(verbose_name="折合基本单位", places=None)

    class Meta(BaseTable.Meta):
        model = Unit
        fields = ("name", "dimension", "factor", "order")

    def render_factor(self, value):
        return f"{value.normalize():,f}"

    def value_factor(self, value):
        return value.normalize()


class ExchangeRateTable(BaseTable):
    year = tables.Column(verbose_name="年度", linkify=True)
    usd_cny = NumberColumn(verbose_name="1美元折合人民币（元）", places=4)

    class Meta(BaseTable.Meta):
        model = ExchangeRate
        fields = ("year", "usd_cny", "source")
