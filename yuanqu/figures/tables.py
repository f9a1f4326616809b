import django_tables2 as tables

from yuanqu.utilities.tables import BaseTable, NumberColumn
from yuanqu.utilities.templatetags.numbers import number

from .catalogue import figures
from .forms import written_names
from .models import PeerValue


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
