import django_tables2 as tables

from yuanqu.utilities.tables import BaseTable, NumberColumn

from .catalogue import figures
from .models import PeerValue


class PeerValueTable(BaseTable):
    figure = tables.Column(verbose_name="数据项", linkify=True)
    period = tables.DateColumn(format="Y-m", verbose_name="月份")
    value = NumberColumn(verbose_name="数值")
    growth = tables.Column(verbose_name="增速")

    class Meta(BaseTable.Meta):
        model = PeerValue
        fields = ("figure", "period", "peer", "value", "growth", "source")

    def render_figure(self, value):
        if not hasattr(self, "_figure_names"):  # the catalogue read once per table
            self._figure_names = {key: f"{f.name}（{f.unit}）" for key, f in figures().items()}
        return self._figure_names.get(value, value)

    def value_figure(self, value):
        return self.render_figure(value)

    def render_growth(self, value):
        return f"{value * 100:.1f}%"

    def value_growth(self, value):
        return self.render_growth(value)
