import django_tables2 as tables

from yuanqu.utilities.tables import BaseTable

from .models import Document, ReportTemplate


class DocumentTable(BaseTable):
    title = tables.Column(verbose_name="标题", linkify=True)
    params = tables.Column(verbose_name="时间", accessor="pk", orderable=False)

    class Meta(BaseTable.Meta):
        model = Document
        fields = ("title", "kind", "params", "department", "drafter", "status", "created", "published")

    def render_params(self, record):
        return record.params_display()

    def value_params(self, record):
        return record.params_display()


class ReportTemplateTable(BaseTable):
    name = tables.Column(verbose_name="模板名称", linkify=True)

    class Meta(BaseTable.Meta):
        model = ReportTemplate
        fields = ("name", "kind", "active", "last_updated")
