"""The target sheet's import page (the shared upload → preview → confirm, with the year and a
list of how each 指标 matched the catalogue) and its export."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest

from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.excel import export_xlsx
from yuanqu.utilities.import_views import BulkImportView, UploadForm
from yuanqu.utilities.periods import parse_year
from yuanqu.utilities.views import BaseObjectView

from .importers import TargetExporter, TargetImporter, export_rows
from .models import Target


class TargetUploadForm(UploadForm):
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="文件中没有“年度”列或该列留空时，按此年度导入",
    )


class TargetImportView(BulkImportView):
    importer = TargetImporter
    upload_form = TargetUploadForm
    template_name = "targets/import.html"


class TargetExportView(BaseObjectView):
    """The sheet in the import's layout (``?year=2023`` for one year), so it re-imports unchanged."""

    queryset = Target.objects.all()
    http_method_names = ["get"]

    def get(self, request):
        if not has_perm(request.user, Target, "export"):
            raise PermissionDenied("没有导出权限")
        raw = request.GET.get("year", "").strip()
        try:
            year = parse_year(raw) if raw else None
        except ValidationError as exc:
            return HttpResponseBadRequest(exc.messages[0], content_type="text/plain; charset=utf-8")
        exporter = TargetExporter(year=year)
        header, rows = export_rows(restrict(Target.objects.all(), request.user, "export"), year)
        return export_xlsx(
            request,
            title=exporter.title,
            model=Target,
            header=header,
            rows=rows,
            filters={"year": raw} if raw else {},
        )
