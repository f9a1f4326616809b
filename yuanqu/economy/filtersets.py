import django_filters
from django import forms
from django.db.models import Q

from yuanqu.users.models import Zone
from yuanqu.utilities.filtersets import BaseFilterSet

from .choices import IndicatorLevel, Population
from .models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from .services import parse_period


class IndicatorFilterSet(BaseFilterSet):
    search_fields = ("code", "name")
    level = django_filters.ChoiceFilter(choices=IndicatorLevel.choices, label="填报层级")
    population = django_filters.ChoiceFilter(choices=Population.choices, label="统计范围")

    class Meta:
        model = Indicator
        fields = ["q", "level", "population", "active"]


class CurrentVersionsMixin:
    """Versioned reports: current versions only unless ``all_versions``; ``period`` as 2023-10."""

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_period(self, queryset, name, value):
        from django.core.exceptions import ValidationError

        try:
            return queryset.filter(period=parse_period(value))
        except ValidationError:
            return queryset.none()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("all_versions"):
            queryset = queryset.filter(is_current=True)
        return queryset

    @property
    def qs(self):
        if not hasattr(self, "_qs") and not self.is_bound:
            self._qs = self.queryset.filter(is_current=True)
        return super().qs


class EnterpriseMonthlyValueFilterSet(CurrentVersionsMixin, BaseFilterSet):
    """One filterset for the list page, its Excel export and the API."""

    search_fields = ("enterprise__name", "enterprise__uscc")

    period = django_filters.CharFilter(
        method="filter_period", label="月份", widget=forms.TextInput(attrs={"type": "month"})
    )
    indicator = django_filters.ModelChoiceFilter(
        queryset=Indicator.objects.filter(level=IndicatorLevel.ENTERPRISE), label="指标"
    )
    enterprise = django_filters.CharFilter(method="filter_enterprise", label="企业（名称或信用代码）")
    zone = django_filters.ModelChoiceFilter(
        queryset=Zone.objects.all(), field_name="enterprise__zone", method="filter_zone", label="片区"
    )
    all_versions = django_filters.BooleanFilter(
        method="filter_noop", label="含历史版本", widget=forms.CheckboxInput
    )

    class Meta:
        model = EnterpriseMonthlyValue
        fields = ["q", "period", "indicator", "enterprise", "zone", "all_versions"]

    def filter_enterprise(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(enterprise__name__icontains=value) | Q(enterprise__uscc__iexact=value))
            if value
            else queryset
        )

    def filter_zone(self, queryset, name, value):
        return queryset.filter(enterprise__zone_id__in=value.subtree_ids())


class ZoneMonthlyFigureFilterSet(CurrentVersionsMixin, BaseFilterSet):
    """Zone figures: current versions unless ``all_versions``; the list, export and API."""

    search_fields = ("zone__name", "indicator__name", "reason")

    period = django_filters.CharFilter(
        method="filter_period", label="月份", widget=forms.TextInput(attrs={"type": "month"})
    )
    year = django_filters.NumberFilter(field_name="period__year", label="年度")
    indicator = django_filters.ModelChoiceFilter(queryset=Indicator.objects.all(), label="指标")
    zone = django_filters.ModelChoiceFilter(queryset=Zone.objects.all(), label="园区/片区")
    all_versions = django_filters.BooleanFilter(
        method="filter_noop", label="含历史版本", widget=forms.CheckboxInput
    )

    class Meta:
        model = ZoneMonthlyFigure
        fields = ["q", "period", "year", "indicator", "zone", "all_versions"]
