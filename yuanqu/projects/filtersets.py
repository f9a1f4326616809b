import django_filters
from django import forms

from yuanqu.users.models import Department
from yuanqu.utilities.filtersets import BaseFilterSet

from .choices import Light, ProjectLevel, ProjectType
from .models import KeyProject


class KeyProjectFilterSet(BaseFilterSet):
    """The project book's filters; ``light`` is computed for the view's month (``period``)."""

    search_fields = ("code", "name", "enterprise__name", "liaison")
    period = django_filters.CharFilter(
        method="filter_noop", label="月份", widget=forms.TextInput(attrs={"type": "month"})
    )
    level = django_filters.ChoiceFilter(choices=ProjectLevel.choices, method="filter_level", label="级别")
    type = django_filters.ChoiceFilter(choices=ProjectType.choices, label="项目类型")
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label="责任部门")
    light = django_filters.ChoiceFilter(choices=Light.choices, method="filter_light", label="亮灯")

    class Meta:
        model = KeyProject
        fields = ["q", "period", "level", "type", "department", "light"]

    def __init__(self, *args, period=None, lights=None, **kwargs):
        self.period, self.lights = period, lights
        super().__init__(*args, **kwargs)

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_level(self, queryset, name, value):
        year = self.period.year if self.period else None
        plans = {"plans__level": value} | ({"plans__year": year} if year else {})
        return queryset.filter(**plans).distinct()

    def filter_light(self, queryset, name, value):
        from .services import lights_by_project

        lights = lights_by_project(queryset, self.period)
        return queryset.filter(pk__in=[pk for pk, result in lights.items() if result.light == value])
