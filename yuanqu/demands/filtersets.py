import django_filters
from django import forms

from yuanqu.enterprises.models import Enterprise
from yuanqu.users.models import Department, Zone
from yuanqu.utilities.filtersets import BaseFilterSet
from yuanqu.utilities.forms import DateInput

from .choices import Channel, DemandStatus, EscalationLevel, Light
from .models import Demand, DemandCategory
from .services import light_q


class DemandFilterSet(BaseFilterSet):
    """One filterset for the list page and the Excel export."""

    search_fields = ("number", "title", "description", "enterprise__name", "external_number")

    status = django_filters.MultipleChoiceFilter(
        choices=DemandStatus.choices, label="状态", widget=forms.SelectMultiple(attrs={"size": 3})
    )
    category = django_filters.ModelChoiceFilter(queryset=DemandCategory.objects.all(), label="类别")
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label="来源渠道")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label="责任部门")
    zone = django_filters.ModelChoiceFilter(
        field_name="enterprise__zone", queryset=Zone.objects.all(), method="filter_zone", label="片区"
    )
    light = django_filters.ChoiceFilter(choices=Light.choices, method="filter_light", label="亮灯")
    escalation_level = django_filters.ChoiceFilter(choices=EscalationLevel.choices, label="督办级别")
    enterprise = django_filters.ModelChoiceFilter(
        queryset=Enterprise.objects.all(),
        label="企业",
        widget=forms.NumberInput(attrs={"placeholder": "企业ID"}),
    )
    received_from = django_filters.DateFilter(
        field_name="received_at__date",
        lookup_expr="gte",
        label="受理日期起",
        widget=DateInput(),
    )
    received_to = django_filters.DateFilter(
        field_name="received_at__date",
        lookup_expr="lte",
        label="受理日期止",
        widget=DateInput(),
    )

    class Meta:
        model = Demand
        fields = [
            "q",
            "status",
            "category",
            "channel",
            "department",
            "zone",
            "light",
            "escalation_level",
            "enterprise",
        ]

    def filter_light(self, queryset, name, value):
        return queryset.filter(light_q(value))

    def filter_zone(self, queryset, name, value):
        """The enterprise's 片区 or one below it."""
        return queryset.filter(enterprise__zone_id__in=value.subtree_ids())


class DemandCategoryFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = DemandCategory
        fields = ["q", "group", "active"]
