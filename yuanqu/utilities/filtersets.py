import django_filters
from django import forms
from django.db.models import Q


class BaseFilterSet(django_filters.FilterSet):
    """Adds ``q``, a free-text search over the model's ``search_fields``."""

    search_fields: tuple[str, ...] = ()
    q = django_filters.CharFilter(
        method="search", label="搜索", widget=forms.TextInput(attrs={"type": "search", "placeholder": "关键字"})
    )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)
