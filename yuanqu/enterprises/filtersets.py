import datetime

import django_filters
from django import forms
from django.utils import timezone

from yuanqu.users.models import Zone
from yuanqu.utilities.filtersets import BaseFilterSet

from .choices import EnterpriseStatus, QualificationKind, ScaleKind
from .models import Enterprise, Industry, IndustryChain, Qualification
from .services import valid_on_q


# Read as (code, name) pairs: the list page builds these choices on every request.
def _sections():
    return [
        (code, f"{code} {name}")
        for code, name in Industry.objects.filter(level=1).values_list("code", "name")
    ]


def _divisions():
    return [
        (code, f"{code} {name}")
        for code, name in Industry.objects.filter(level=2).values_list("code", "name")
    ]


class EnterpriseFilterSet(BaseFilterSet):
    """One filterset for the list page, the Excel export and the API."""

    search_fields = ("name", "short_name", "uscc")
    blind_search_fields = ("contacts__mobile",)  # a contact's mobile, exact (blind index)

    zone = django_filters.ModelChoiceFilter(queryset=Zone.objects.all(), method="filter_zone", label="片区")
    industry_chain = django_filters.ModelChoiceFilter(queryset=IndustryChain.objects.all(), label="产业链")
    section = django_filters.ChoiceFilter(choices=_sections, field_name="industry__section", label="行业门类")
    division = django_filters.ChoiceFilter(
        choices=_divisions, field_name="industry__division", label="行业大类"
    )
    industry = django_filters.CharFilter(field_name="industry__code", label="行业小类代码")
    status = django_filters.MultipleChoiceFilter(
        choices=EnterpriseStatus.choices, label="经营状态", widget=forms.SelectMultiple(attrs={"size": 3})
    )
    qualification = django_filters.ChoiceFilter(
        choices=QualificationKind.choices, method="filter_qualification", label="持有资质"
    )
    qualified_on = django_filters.DateFilter(method="filter_noop", label="资质有效日期")
    above_scale_year = django_filters.NumberFilter(method="filter_above_scale", label="规上年度")
    above_scale_kind = django_filters.ChoiceFilter(
        choices=ScaleKind.choices, method="filter_noop", label="规上类别"
    )
    is_foreign_invested = django_filters.BooleanFilter(
        label="外资企业", widget=forms.Select(choices=[("", "全部"), ("true", "是"), ("false", "否")])
    )

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "zone",
            "industry_chain",
            "section",
            "division",
            "industry",
            "status",
            "is_foreign_invested",
        ]

    def filter_noop(self, queryset, name, value):
        return queryset  # read by the filter it qualifies

    def filter_zone(self, queryset, name, value):
        return queryset.filter(zone_id__in=value.subtree_ids())

    def qualification_date(self) -> datetime.date:
        return self.form.cleaned_data.get("qualified_on") or timezone.localdate()

    def filter_qualification(self, queryset, name, value):
        held = Qualification.objects.filter(valid_on_q(self.qualification_date()), kind=value)
        return queryset.filter(pk__in=held.values("enterprise_id"))

    def filter_above_scale(self, queryset, name, value):
        filters = {"scale_records__year": value}
        kind = self.form.cleaned_data.get("above_scale_kind")
        if kind:
            filters["scale_records__kind"] = kind
        return queryset.filter(pk__in=Enterprise.objects.filter(**filters).values("pk"))


class QualificationFilterSet(BaseFilterSet):
    search_fields = ("enterprise__name", "certificate_no")
    kind = django_filters.ChoiceFilter(choices=QualificationKind.choices, label="资质类型")
    enterprise = django_filters.ModelChoiceFilter(queryset=Enterprise.objects.all(), label="企业")
    valid_on = django_filters.DateFilter(method="filter_valid_on", label="在此日期有效")

    class Meta:
        model = Qualification
        fields = ["q", "kind", "enterprise", "level"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.filter(valid_on_q(value))


class IndustryChainFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = IndustryChain
        fields = ["q", "active"]
