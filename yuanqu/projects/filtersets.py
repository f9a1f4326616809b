import datetime

import django_filters
from django import forms

from yuanqu.users.models import Department, Zone
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
    zone = django_filters.ModelChoiceFilter(
        field_name="enterprise__zone", queryset=Zone.objects.all(), method="filter_zone", label="片区"
    )
    light = django_filters.ChoiceFilter(choices=Light.choices, method="filter_light", label="亮灯")
    listed = django_filters.BooleanFilter(method="filter_listed", label="本年在库")
    started_billion = django_filters.BooleanFilter(method="filter_started_billion", label="本年开工亿元以上")
    finished = django_filters.BooleanFilter(method="filter_finished", label="本年竣工投产")
    weekly_watch = django_filters.BooleanFilter(label="周调度")

    class Meta:
        model = KeyProject
        fields = [
            "q",
            "period",
            "level",
            "type",
            "department",
            "zone",
            "light",
            "listed",
            "started_billion",
            "finished",
            "weekly_watch",
        ]

    def __init__(self, *args, period=None, lights=None, **kwargs):
        self.period, self.lights = period, lights
        super().__init__(*args, **kwargs)

    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_zone(self, queryset, name, value):
        """The owner enterprise's 片区 or one below it; a project without an owner has none."""
        return queryset.filter(enterprise__zone_id__in=value.subtree_ids())

    def filter_level(self, queryset, name, value):
        year = self.period.year if self.period else None
        plans = {"plans__level": value} | ({"plans__year": year} if year else {})
        return queryset.filter(**plans).distinct()

    def _year_range(self):
        from yuanqu.utilities.periods import month_end

        return datetime.date(self.period.year, 1, 1), month_end(self.period)

    def filter_listed(self, queryset, name, value):
        if value is None or self.period is None:
            return queryset
        listed = queryset.filter(plans__year=self.period.year).values("pk")
        return queryset.filter(pk__in=listed) if value else queryset.exclude(pk__in=listed)

    def _milestone_done(self, queryset, kinds, value):
        if value is None or self.period is None:
            return queryset
        done = queryset.filter(
            milestones__kind__in=kinds, milestones__actual_on__range=self._year_range()
        ).values("pk")
        return queryset.filter(pk__in=done) if value else queryset.exclude(pk__in=done)

    def filter_started_billion(self, queryset, name, value):
        from .services.statistics import BILLION_WAN

        queryset = queryset.filter(total_investment_wan__gte=BILLION_WAN) if value else queryset
        return self._milestone_done(queryset, ["start"], value)

    def filter_finished(self, queryset, name, value):
        from .services.statistics import DONE_KINDS

        return self._milestone_done(queryset, list(DONE_KINDS), value)

    def filter_light(self, queryset, name, value):
        from .services.lights import lights_by_project

        lights = lights_by_project(queryset, self.period)
        return queryset.filter(pk__in=[pk for pk, result in lights.items() if result.light == value])
