import django_filters

from yuanqu.utilities.filtersets import BaseFilterSet

from .choices import TargetKind
from .models import Target


class TargetFilterSet(BaseFilterSet):
    search_fields = ("name", "figure", "comments")
    year = django_filters.NumberFilter(label="年度")
    kind = django_filters.ChoiceFilter(choices=TargetKind.choices, label="类型")
    reported = django_filters.BooleanFilter(
        field_name="figure", lookup_expr="exact", method="by_source", label="填报指标"
    )

    class Meta:
        model = Target
        fields = ["q", "year", "kind", "department", "reported"]

    def by_source(self, queryset, name, value):
        return queryset.filter(figure="") if value else queryset.exclude(figure="")
