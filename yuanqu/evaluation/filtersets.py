import django_filters

from yuanqu.enterprises.models import IndustryChain
from yuanqu.users.choices import ZoneKind
from yuanqu.users.models import Zone
from yuanqu.utilities.filtersets import BaseFilterSet

from .choices import AppealStatus, Grade
from .models import Appeal, EvaluationInput, EvaluationResult, EvaluationScheme


class EvaluationResultFilterSet(BaseFilterSet):
    """One filterset for the results table, its Excel export and the class distribution."""

    search_fields = ("enterprise__name", "enterprise__uscc")

    year = django_filters.NumberFilter(label="年度")
    grade = django_filters.ChoiceFilter(
        choices=[*Grade.choices, ("none", "未评（未计分）")], method="filter_grade", label="分类"
    )
    zone = django_filters.ModelChoiceFilter(
        field_name="enterprise__zone", queryset=Zone.objects.filter(kind=ZoneKind.AREA), label="片区"
    )
    chain = django_filters.ModelChoiceFilter(
        field_name="enterprise__industry_chain", queryset=IndustryChain.objects.all(), label="产业链"
    )

    class Meta:
        model = EvaluationResult
        fields = ["q", "year", "grade", "zone", "chain"]

    def filter_grade(self, queryset, name, value):
        return queryset.filter(grade="" if value == "none" else value)


class EvaluationSchemeFilterSet(BaseFilterSet):
    class Meta:
        model = EvaluationScheme
        fields = ["q", "status"]


class EvaluationInputFilterSet(BaseFilterSet):
    search_fields = ("enterprise__name", "enterprise__uscc")

    class Meta:
        model = EvaluationInput
        fields = ["q", "year"]


class AppealFilterSet(BaseFilterSet):
    search_fields = ("result__enterprise__name", "reason", "resolution")

    status = django_filters.ChoiceFilter(choices=AppealStatus.choices, label="状态")
    year = django_filters.NumberFilter(field_name="result__year", label="年度")

    class Meta:
        model = Appeal
        fields = ["q", "status", "year"]
