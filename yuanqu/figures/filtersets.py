import django_filters

from yuanqu.utilities.filtersets import BaseFilterSet

from .forms import figure_choices
from .models import ExchangeRate, PeerValue, Unit


class PeerValueFilterSet(BaseFilterSet):
    search_fields = ("peer", "figure", "source")
    figure = django_filters.ChoiceFilter(choices=lambda: figure_choices()[1:], label="数据项")
    year = django_filters.NumberFilter(field_name="period__year", label="年份")

    class Meta:
        model = PeerValue
        fields = ["q", "figure", "year", "peer"]


class UnitFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = Unit
        fields = ["q", "dimension"]


class ExchangeRateFilterSet(BaseFilterSet):
    search_fields = ("source",)

    class Meta:
        model = ExchangeRate
        fields = ["q", "year"]
