import django_filters
from django import forms

from yuanqu.enterprises.models import IndustryChain
from yuanqu.users.models import Department
from yuanqu.utilities.filtersets import BaseFilterSet
from yuanqu.utilities.forms import DateInput

from .choices import Region, Source, Stage
from .models import Lead

DATE = DateInput()


class LeadFilterSet(BaseFilterSet):
    """One filterset for the list page and the Excel export."""

    search_fields = ("name", "investor", "origin_city", "content")

    stage = django_filters.MultipleChoiceFilter(
        choices=Stage.choices, label="阶段", widget=forms.SelectMultiple(attrs={"size": 3})
    )
    origin_region = django_filters.ChoiceFilter(choices=Region.choices, label="来源地区")
    source = django_filters.ChoiceFilter(choices=Source.choices, label="招商方式")
    industry_chain = django_filters.ModelChoiceFilter(queryset=IndustryChain.objects.all(), label="产业链")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label="责任部门")
    min_investment_wan = django_filters.NumberFilter(
        field_name="contracted_investment_wan", lookup_expr="gte", label="协议投资额不低于（万元）"
    )
    signed_from = django_filters.DateFilter(
        field_name="signed_on", lookup_expr="gte", label="签约日期起", widget=DATE
    )
    signed_to = django_filters.DateFilter(
        field_name="signed_on", lookup_expr="lte", label="签约日期止", widget=DATE
    )

    class Meta:
        model = Lead
        fields = ["q", "stage", "origin_region", "source", "industry_chain", "department"]
