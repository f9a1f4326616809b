import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from yuanqu.utilities.filtersets import BaseFilterSet

from .choices import AuditEventKind, ChangeAction
from .models import AuditEvent, CalendarDay, CalendarYear, ObjectChange


class ModelNameChoiceField(forms.ModelChoiceField):
    """Object types by their Chinese name (企业, 联系人 …), not ``enterprises | enterprise``."""

    def label_from_instance(self, obj):
        model = obj.model_class()
        return str(model._meta.verbose_name) if model is not None else obj.model


class ModelNameChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = ModelNameChoiceField


class ObjectChangeFilterSet(BaseFilterSet):
    search_fields = ("object_repr", "user_name", "message")
    action = django_filters.ChoiceFilter(choices=ChangeAction.choices, label="操作")
    content_type = ModelNameChoiceFilter(
        queryset=ContentType.objects.filter(
            Q(app_label__in=["enterprises", "users"]) | Q(app_label="core", model__in=["calendarday", "calendaryear"])
        ),
        label="对象类型",
    )
    user_name = django_filters.CharFilter(method="filter_person", label="操作人")
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label="起始日期")
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label="截止日期")
    request_id = django_filters.UUIDFilter(label="请求编号")

    class Meta:
        model = ObjectChange
        fields = ["q", "action", "content_type", "user_name", "since", "until", "request_id"]

    def filter_person(self, queryset, name, value):
        """操作人 by the person's name or the username."""
        from yuanqu.users.models import User

        ids = User.objects.filter(Q(name__icontains=value) | Q(username__icontains=value)).values("pk")
        return queryset.filter(Q(user_name__icontains=value) | Q(user_id__in=ids))


class AuditEventFilterSet(BaseFilterSet):
    search_fields = ("user_name", "detail", "ip")
    kind = django_filters.MultipleChoiceFilter(choices=AuditEventKind.choices, label="事件")
    since = django_filters.DateFilter(field_name="time", lookup_expr="date__gte", label="起始日期")
    until = django_filters.DateFilter(field_name="time", lookup_expr="date__lte", label="截止日期")

    class Meta:
        model = AuditEvent
        fields = ["q", "kind", "since", "until"]


class CalendarDayFilterSet(BaseFilterSet):
    search_fields = ("name", "notes")
    year = django_filters.NumberFilter(field_name="date__year", label="年份")
    kind = django_filters.ChoiceFilter(choices=CalendarDay.Kind.choices, label="类型")
    is_workday = django_filters.BooleanFilter(label="工作日")

    class Meta:
        model = CalendarDay
        fields = ["q", "year", "kind", "is_workday"]


class CalendarYearFilterSet(BaseFilterSet):
    search_fields = ("notes",)

    class Meta:
        model = CalendarYear
        fields = ["q", "complete"]
