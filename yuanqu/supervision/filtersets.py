import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from yuanqu.core.workdays import WorkCalendar, add_workdays, is_workday
from yuanqu.users.models import Department
from yuanqu.utilities.filtersets import BaseFilterSet

from .choices import OPEN_STATUSES, PeriodKind, TaskStatus
from .models import AssessmentPeriod, RectificationItem, Task, WorkPoint
from .services import LIGHTS, YELLOW_BEFORE_WORKDAYS


def light_q(value, today, calendar=None) -> Q:
    """The tasks showing this light on ``today``, as a filter (the same rule as services.light)."""
    calendar = calendar or WorkCalendar()
    open_ = Q(status__in=OPEN_STATUSES)
    # Red from the first working day after due_on: due_on is before the last working day
    # up to today.
    last_workday = today
    while not is_workday(last_workday, calendar):
        last_workday -= datetime.timedelta(days=1)
    red = open_ & Q(due_on__lt=last_workday)
    if value == "red":
        return red
    yellow = open_ & ~red & Q(due_on__lt=add_workdays(today, YELLOW_BEFORE_WORKDAYS + 1, calendar))
    if value == "yellow":
        return yellow
    return open_ & ~red & ~yellow


class TaskFilterSet(BaseFilterSet):
    """One filterset for the task list and its Excel export."""

    search_fields = ("number", "text", "target", "work_point__title")

    status = django_filters.MultipleChoiceFilter(
        choices=TaskStatus.choices, label="状态", widget=forms.SelectMultiple(attrs={"size": 3})
    )
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label="牵头单位")
    work_point = django_filters.ModelChoiceFilter(queryset=WorkPoint.objects.all(), label="工作要点")
    light = django_filters.ChoiceFilter(choices=list(LIGHTS.items()), method="filter_light", label="亮灯")

    class Meta:
        model = Task
        fields = ["q", "status", "department", "light", "work_point"]

    def filter_light(self, queryset, name, value):
        return queryset.filter(light_q(value, timezone.localdate()))


class RectificationFilterSet(BaseFilterSet):
    search_fields = ("list_name", "number", "problem", "measures")

    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label="责任单位")
    closed = django_filters.BooleanFilter(
        field_name="closed_on", lookup_expr="isnull", exclude=True, label="已销号"
    )

    class Meta:
        model = RectificationItem
        fields = ["q", "department", "closed"]


class AssessmentPeriodFilterSet(BaseFilterSet):
    search_fields = ("name",)

    kind = django_filters.ChoiceFilter(choices=PeriodKind.choices, label="类型")

    class Meta:
        model = AssessmentPeriod
        fields = ["q", "kind"]
