import django_filters

from yuanqu.utilities.filtersets import BaseFilterSet

from .choices import DocumentStatus, ReportKind
from .models import Document, ReportTemplate


class DocumentFilterSet(BaseFilterSet):
    search_fields = ("title",)
    kind = django_filters.ChoiceFilter(choices=ReportKind.choices, label="材料类型")
    status = django_filters.ChoiceFilter(choices=DocumentStatus.choices, label="状态")
    year = django_filters.NumberFilter(field_name="year", label="年度")

    class Meta:
        model = Document
        fields = ["q", "kind", "status", "year", "department"]


class ReportTemplateFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = ReportTemplate
        fields = ["q", "kind", "active"]
