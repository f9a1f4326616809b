"""The synonyms the administrator keeps for matching a plan's 指标 to catalogue figures
(指标别名: GDP = 地区生产总值), on the generic list, record, edit and delete pages."""

import django_filters
import django_tables2 as tables

from yuanqu.figures.catalogue import figures
from yuanqu.figures.forms import figure_choices
from yuanqu.utilities.filtersets import BaseFilterSet
from yuanqu.utilities.tables import BaseTable
from yuanqu.utilities.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView

from .models import Synonym
from .synonym_forms import SynonymForm


class SynonymFilterSet(BaseFilterSet):
    search_fields = ("name", "figure")
    figure = django_filters.ChoiceFilter(choices=lambda: figure_choices()[1:], label="数据项")

    class Meta:
        model = Synonym
        fields = ["q", "figure"]


class SynonymTable(BaseTable):
    name = tables.Column(verbose_name="别名", linkify=True)
    figure = tables.Column(verbose_name="数据项")

    class Meta(BaseTable.Meta):
        model = Synonym
        fields = ("name", "figure")

    def render_figure(self, value):
        if not hasattr(self, "_figure_names"):  # the catalogue read once per table
            self._figure_names = {key: f"{f.name}（{key}）" for key, f in figures().items()}
        return self._figure_names.get(value, value)

    def value_figure(self, value):
        return self.render_figure(value)


class SynonymListView(ObjectListView):
    queryset = Synonym.objects.all()
    filterset = SynonymFilterSet
    table = SynonymTable


class SynonymView(ObjectView):
    queryset = Synonym.objects.all()


class SynonymEditView(ObjectEditView):
    queryset = Synonym.objects.all()
    form = SynonymForm


class SynonymDeleteView(ObjectDeleteView):
    queryset = Synonym.objects.all()
