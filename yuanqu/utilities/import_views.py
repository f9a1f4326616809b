"""Generic Excel import pages: upload → preview → confirm, and the template download.

A module routes ``<list path>import/`` to ``BulkImportView.as_view(importer=…)`` and
``<list path>import/template/`` to ``ImportTemplateView.as_view(importer=…)`` (URL name
``app:model_import_template``). The uploaded file waits for the confirmation under
``VAR_DIR/imports`` named by a random token kept in the session.
"""

import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render

from yuanqu.core.changelog import audit
from yuanqu.users.permissions import has_perm

from .excel import xlsx_response
from .excel_template import build_template
from .forms import MonthField
from .importing import count_rows, run_import
from .views import BaseObjectView, optional_reverse, url_name

TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")
STALE_SECONDS = 24 * 3600
XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        error_messages={"required": "请选择要导入的 .xlsx 文件", "empty": "文件是空的"},
        widget=forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}),
    )


class MonthlyUploadForm(UploadForm):
    """An upload whose values belong to one month (the monthly reports, project records)."""

    period = MonthField(label="月份", help_text="文件中数据所属的月份，如 2023-10")


def imports_dir() -> Path:
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def remove_stale_uploads(directory: Path) -> None:
    """Files of previews that were never confirmed are removed after a day."""
    limit = time.time() - STALE_SECONDS
    for path in directory.glob("*.xlsx"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


class ImporterView(BaseObjectView):
    """A page of one importer; only users with the ``import`` grant on its model reach it."""

    importer = None

    @property
    def model(self):
        return self.importer.model

    def dispatch(self, request, *args, **kwargs):
        if not has_perm(request.user, self.model, "import"):
            raise PermissionDenied("没有导入权限")
        return super().dispatch(request, *args, **kwargs)


class ImportTemplateView(ImporterView):
    http_method_names = ["get"]

    def get(self, request):
        importer = self.importer(user=request.user)
        filename = importer.template_filename or f"{importer.verbose_name}导入模板.xlsx"
        audit(
            "template_download",
            user=request.user,
            detail=f"下载{importer.verbose_name}导入模板",
            data={"model": self.model._meta.label_lower},
            request=request,
        )
        return xlsx_response(build_template(importer), filename)


class BulkImportView(ImporterView):
    """``upload_form`` may add fields (a month …): their values go to the importer's constructor."""

    template_name = "generic/bulk_import.html"
    upload_form = UploadForm
    preview_limit = 500  # rows listed per kind on the preview; errors are always all listed

    def session_key(self):
        return f"yuanqu-import-{self.importer.name}"

    def render_page(self, request, form=None, result=None, token=None):
        limit = self.preview_limit
        importer = self.importer(user=request.user)
        context = {
            **self.base_context(),
            "form": form or self.upload_form(),
            "columns": importer.columns,
            "key_header": importer.key_column().header,
            "template_url": self.template_url(),
            "result": result,
            "token": token,
        }
        if result is not None:
            context.update(
                new_rows=result.new[:limit],
                changed_rows=result.changed[:limit],
                new_more=max(0, len(result.new) - limit),
                changed_more=max(0, len(result.changed) - limit),
            )
        return render(request, self.template_name, context)

    def template_url(self):
        return optional_reverse(url_name(self.model, "import_template"))

    def done_url(self, request):
        """Where a confirmed import lands: the model's list."""
        return optional_reverse(url_name(self.model, "list")) or request.path

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        if "confirm" in request.POST:
            return self.confirm(request)
        form = self.upload_form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_page(request, form=form)
        upload = form.cleaned_data["file"]
        # An optional field left empty is not passed (the importer's default applies).
        options = {k: str(v) for k, v in form.cleaned_data.items() if k != "file" and v not in (None, "")}
        rows = count_rows(upload, upload.name)
        if rows > settings.YUANQU_BACKGROUND_IMPORT_ROWS:
            # A large file is previewed (and, once confirmed, written) by the worker.
            from yuanqu.jobs.tasks import start_import

            job = start_import(request, self.importer, upload, options, rows)
            messages.info(request, f"文件共 {rows} 行，已转为后台导入，可在本页查看进度。")
            return redirect(job.get_absolute_url())
        result = run_import(self.importer(user=request.user, **options), upload, upload.name, commit=False)
        token = None
        if result.ok and result.to_write:
            directory = imports_dir()
            remove_stale_uploads(directory)
            token = secrets.token_urlsafe(24)
            upload.seek(0)
            (directory / f"{token}.xlsx").write_bytes(upload.read())
            request.session[self.session_key()] = {
                "token": token,
                "filename": upload.name,
                "options": options,
            }
        return self.render_page(request, form=form, result=result, token=token)

    def confirm(self, request):
        stored = request.session.pop(self.session_key(), None) or {}
        token = stored.get("token", "")
        path = imports_dir() / f"{token}.xlsx" if TOKEN_RE.fullmatch(token) else None
        try:
            if path is None or token != request.POST.get("token") or not path.is_file():
                messages.error(request, "导入预览已失效，请重新上传文件。")
                return redirect(request.path)
            with path.open("rb") as file:
                importer = self.importer(user=request.user, **stored.get("options", {}))
                result = run_import(importer, file, stored.get("filename", ""), commit=True)
        finally:
            if path is not None:
                path.unlink(missing_ok=True)  # one confirmation per preview
        if result.ok:
            messages.success(request, f"已导入{result.verbose_name}：{result.summary()}。")
            return redirect(self.done_url(request))
        return self.render_page(request, result=result)
