"""材料报告 pages: the report templates with their preview, the documents (生成材料, the page
with the preview, the figure list, the versions and the sign-off), the downloads, and the
材料校核 page."""

import base64
import datetime
import re

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from yuanqu.core.changelog import audit
from yuanqu.users.choices import Role
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.grants import get_for_action
from yuanqu.utilities.links import can_open
from yuanqu.utilities.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView

from . import services
from .choices import KIND_PARAM, Decision, DocumentStatus, ReportKind
from .filtersets import DocumentFilterSet, ReportTemplateFilterSet
from .forms import CheckForm, GenerateForm, PreviewForm, ReportTemplateForm, ReviseForm, SignForm
from .models import Document, ReportTemplate
from .tables import DocumentTable, ReportTemplateTable

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


def _preview(kind, text, params, user):
    """(html, figures, error) of a template text written for ``params`` by ``user``."""
    try:
        report = services.render(kind, user=user, template_text=text, **params)
    except ValidationError as error:
        return "", [], _error_text(error)
    return report.html(), list(report.figures), ""


# --- templates (材料模板) ---------------------------------------------------------------------


class ReportTemplateListView(ObjectListView):
    queryset = ReportTemplate.objects.all()
    filterset = ReportTemplateFilterSet
    table = ReportTemplateTable
    template_name = "documents/reporttemplate_list.html"

    def extra_context(self, queryset):
        # Kinds with no template yet: offered as a new template filled with the shipped text.
        have = set(ReportTemplate.objects.values_list("kind", flat=True).distinct())
        return {"missing_kinds": [(k, label) for k, label in ReportKind.choices if k not in have]}


class ReportTemplateView(ObjectView):
    queryset = ReportTemplate.objects.all()
    template_name = "documents/reporttemplate.html"

    def extra_context(self, obj):
        return {"has_shipped": bool(services.shipped_text(obj.kind))}


class ReportTemplateEditView(ObjectEditView):
    """The template's text with a 预览 button: the preview is written by the engine from the
    text as typed (nothing saved); an error in the template shows its Chinese message and
    the text stays as typed."""

    queryset = ReportTemplate.objects.all()
    form = ReportTemplateForm
    template_name = "documents/reporttemplate_edit.html"

    def initial(self, obj):
        kind = self.request.GET.get("kind")
        if kind in ReportKind.values:
            return {"kind": kind, "text": services.shipped_text(kind)}
        return {}

    def post(self, request, pk=None):
        if "preview" not in request.POST:
            return super().post(request, pk)
        obj = self.get_object(pk)
        form = self.get_form_class()(data=request.POST, **self.get_form_kwargs(obj))
        preview = PreviewForm(data=request.POST, user=request.user)
        context = {**self.base_context(), "object": obj, "form": form, "is_new": obj.pk is None}
        if preview.is_valid():
            data = preview.cleaned_data
            need = KIND_PARAM[ReportKind(data["kind"])]
            html, figures, error = _preview(
                data["kind"], data.get("text") or "", {need: data[need]}, request.user
            )
            context.update({"preview_html": html, "preview_figures": figures, "preview_error": error})
        else:
            context["preview_error"] = "；".join(m for errors in preview.errors.values() for m in errors)
        context["preview_form"] = preview
        return render(request, self.template_name, context)


class ReportTemplateDeleteView(ObjectDeleteView):
    queryset = ReportTemplate.objects.all()


class ReportTemplateResetView(View):
    """恢复内置文本: the shipped text put back into an edited template."""

    def post(self, request, pk):
        template = get_for_action(ReportTemplate, pk, request.user, "change")
        try:
            services.reset_template(template)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, f"已将模板“{template}”恢复为系统内置文本。")
        return redirect(template.get_absolute_url())


# --- documents (材料) -------------------------------------------------------------------------


class DocumentListView(ObjectListView):
    queryset = Document.objects.select_related("department", "drafter")
    filterset = DocumentFilterSet
    table = DocumentTable
    template_name = "documents/document_list.html"


class DocumentView(ObjectView):
    """The document: its preview (each number links to its records), the figure list — for a
    published document, or on 重新生成对比, each figure against the records now (数据已更正) —
    the versions, the sign-off history and the actions the user may take."""

    queryset = Document.objects.select_related("department", "drafter", "template")
    template_name = "documents/document.html"

    def extra_context(self, obj):
        request, user = self.request, self.request.user
        versions = list(obj.versions.select_related("author"))
        number = request.GET.get("version", "")
        version = next((v for v in versions if str(v.number) == number), versions[0] if versions else None)
        comparing = obj.frozen or request.GET.get("compare") == "1"
        rows = []
        if version is not None:
            rows = services.compare(version, user) if comparing else [dict(f) for f in version.figures]
            for row in rows:
                link = row.get("link") or ""
                row["link"] = link if link and can_open(user, link.split("?")[0]) else ""
        files = set(version.files.values_list("fmt", flat=True)) if version is not None else set()
        if "docx" in files and services.pdf_available():
            files.add("pdf")
        return {
            "versions": versions,
            "version": version,
            "rows": rows,
            "comparing": comparing,
            "changed": sum(1 for r in rows if r.get("changed")),
            "signoffs": obj.signoffs.select_related("user"),
            "returned": (
                obj.signoffs.filter(decision=Decision.RETURN).select_related("user").last()
                if obj.status == DocumentStatus.RETURNED
                else None
            ),
            "actions": services.actions_for(obj, user),
            "can_download": restrict(Document.objects.filter(pk=obj.pk), user, "export").exists(),
            "files": {fmt: fmt in files for fmt in ("docx", "pdf")},
            "sign_form": SignForm(user=user),
        }


def written_in_background() -> bool:
    """Whether 生成材料 goes to the worker: as a list with more rows than
    ``YUANQU_BACKGROUND_EXPORT_ROWS`` is exported by it, a report of a zone with more
    enterprises than ``YUANQU_BACKGROUND_REPORT_ENTERPRISES`` is written by it (the engine reads
    and charts every enterprise's values); a small zone's report is written in the request."""
    from yuanqu.enterprises.models import Enterprise

    return Enterprise.objects.count() > settings.YUANQU_BACKGROUND_REPORT_ENTERPRISES


def _day(text):
    return datetime.date.fromisoformat(text) if text else None


def write_in_background(job) -> dict:
    """The worker's 生成材料 (``jobs.tasks.start_report``'s runner), as the job's user: the same
    ``services.write`` as the page, so the document, its version and the change log are the
    same. The result names the written version, for the job's page and 我的后台任务."""
    options = job.options
    document = services.write(
        options["kind"],
        user=job.user,
        period=_day(options.get("period")),
        date=_day(options.get("date")),
        year=options.get("year"),
        title=options.get("title") or "",
    )
    number = document.latest_version().number
    return {
        "document": document.pk,
        "version": number,
        "label": f"材料“{document}”（第{number}版）",
        "url": f"{document.get_absolute_url()}?version={number}",
        "download": f"{reverse('documents:document_download', args=[document.pk, 'docx'])}?version={number}",
    }


class GenerateView(View):
    """生成材料: a kind and its month, date or year; the engine writes version 1 — in the
    request, or for a large zone by the worker (``written_in_background``), the user waiting
    on the job's page, which then links the written version."""

    template_name = "documents/generate.html"

    def allows(self, **kwargs):
        user = self.request.user
        return user.is_authenticated and has_perm(user, Document, "add")

    def get(self, request):
        if not self.allows():
            raise PermissionDenied("没有生成材料的权限")
        initial = {"kind": request.GET.get("kind", ReportKind.MONTHLY)}
        return render(request, self.template_name, {"form": GenerateForm(initial=initial, user=request.user)})

    def post(self, request):
        if not self.allows():
            raise PermissionDenied("没有生成材料的权限")
        form = GenerateForm(data=request.POST, user=request.user)
        if form.is_valid() and written_in_background():
            return self.start_job(request, form.cleaned_data)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.write(
                    data["kind"],
                    user=request.user,
                    period=data.get("period"),
                    date=data.get("date"),
                    year=data.get("year"),
                    title=data.get("title") or "",
                )
            except ValidationError as error:
                form.add_error(None, _error_text(error))
            else:
                messages.success(request, f"已生成材料“{document}”（第1版）。")
                return redirect(document.get_absolute_url())
        return render(request, self.template_name, {"form": form})

    def start_job(self, request, data):
        from yuanqu.jobs.tasks import start_report

        kind = ReportKind(data["kind"])
        need = KIND_PARAM[kind]
        value = data[need]
        shown = f"{value:%Y年%m月}" if need == "period" else f"{value}年" if need == "year" else f"{value}"
        options = {
            "kind": kind.value,
            "period": data["period"].isoformat() if data.get("period") else "",
            "date": data["date"].isoformat() if data.get("date") else "",
            "year": data.get("year"),
            "title": data.get("title") or "",
        }
        job = start_report(
            request,
            "yuanqu.documents.views.write_in_background",
            kind.value,
            f"{data.get('title') or kind.label}（{shown}）",
            options,
        )
        messages.info(request, "园区数据量较大，材料转为后台生成，完成后可在本页打开生成的版本。")
        return redirect(job.get_absolute_url())


class ReviseView(View):
    """修改: the document's own copy of its template text, written again as a new version
    (while it is a draft or returned)."""

    template_name = "documents/revise.html"

    def _document(self, pk):
        return get_for_action(
            Document,
            pk,
            self.request.user,
            "change",
            allowed=lambda d: services.may_edit(d, self.request.user),
            message=lambda d: services._refusal(d, "修改"),
        )

    def allows(self, pk=None, **kwargs):
        self._document(pk)
        return True

    def get(self, request, pk):
        document = self._document(pk)
        latest = document.latest_version()
        text = (latest.template_text if latest else "") or services.shipped_text(document.kind)
        form = ReviseForm(initial={"text": text}, user=request.user)
        return render(request, self.template_name, {"object": document, "form": form})

    def post(self, request, pk):
        document = self._document(pk)
        form = ReviseForm(data=request.POST, user=request.user)
        if form.is_valid():
            try:
                version = services.revise(document, request.user, form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error("text", _error_text(error))
            else:
                messages.success(request, f"已重新生成，当前为第{version.number}版。")
                return redirect(document.get_absolute_url())
        return render(request, self.template_name, {"object": document, "form": form})


class SignOffView(View):
    """提交审核 / 同意 / 退回 (POST only)."""

    def post(self, request, pk, step):
        if step not in ("submit", "sign"):
            raise Http404("没有这个审核环节")
        user = request.user
        document = get_object_or_404(restrict(Document.objects.all(), user, "view"), pk=pk)
        try:
            if step == "submit":
                services.submit(document, user, request.POST.get("comment", ""))
                messages.success(request, f"已提交“{document}”，等待部门负责人审核。")
            else:
                decision = request.POST.get("decision", "")
                signed = services.sign(document, user, decision, request.POST.get("comment", ""))
                if signed.decision == Decision.RETURN:
                    messages.success(request, f"已退回“{document}”给起草人修改。")
                elif signed.document.frozen:
                    messages.success(request, f"已审定并发布“{document}”。")
                else:
                    messages.success(request, f"已同意“{document}”，等待领导审定。")
        except ValidationError as error:
            messages.error(request, _error_text(error))
        return redirect(document.get_absolute_url())


class DownloadView(View):
    """A version's Word (or PDF) file, as written; audited as an export."""

    def allows(self, pk=None, fmt="docx", **kwargs):
        get_for_action(Document, pk, self.request.user, "export", message="没有下载该材料的权限")
        return True

    def get(self, request, pk, fmt):
        if fmt not in ("docx", "pdf"):
            raise Http404("没有这种格式的文件")
        document = get_for_action(Document, pk, request.user, "export", message="没有下载该材料的权限")
        versions = document.versions.all()
        number = request.GET.get("version")
        version = (
            get_object_or_404(versions, number=number) if number and number.isdigit() else versions.first()
        )
        content = services.version_file(version, fmt) if version is not None else None
        if not content:
            raise Http404("该版本没有此格式的文件")
        label = "Word" if fmt == "docx" else "PDF"
        audit(
            "export",
            user=request.user,
            detail=f"下载材料“{document}”第{version.number}版（{label}）",
            data={"model": "documents.document", "pk": document.pk, "version": version.number, "format": fmt},
            request=request,
        )
        response = HttpResponse(bytes(content), content_type=DOCX if fmt == "docx" else "application/pdf")
        name = f"{document.title}-第{version.number}版.{fmt}"
        from urllib.parse import quote

        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
        return response


# --- 材料校核 --------------------------------------------------------------------------------

FINDING_KINDS = {
    "placeholder": "数字未填",
    "repeat": "重复段落",
    "near_repeat": "近似重复",
    "mismatch": "与系统数据不符",
    "inconsistent": "前后矛盾",
}
RECORD_LINK = re.compile(r"，见 (/\S+)")
COMPARATORS = {"ge": "以上", "le": "以内", "approx": "左右", "eq": ""}


class CheckView(View):
    """材料校核: the findings of a pasted or uploaded draft and the claims understood in it;
    for a .docx, the draft back with each finding as a Word comment. Audited as an import."""

    template_name = "documents/check.html"

    def allows(self, **kwargs):
        user = self.request.user
        return user.is_authenticated and user.role != Role.ENTERPRISE and has_perm(user, Document, "view")

    def get(self, request):
        if not self.allows():
            raise PermissionDenied("没有使用材料校核的权限")
        return render(request, self.template_name, {"form": CheckForm(user=request.user)})

    def post(self, request):
        if not self.allows():
            raise PermissionDenied("没有使用材料校核的权限")
        form = CheckForm(data=request.POST, files=request.FILES, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        from .draftcheck import check

        upload, data = form.cleaned_data.get("file"), None
        text = form.cleaned_data.get("text") or ""
        if upload is not None:
            from .wordfile import read_docx

            data = upload.read()
            try:
                text = read_docx(data)
            except ValueError as error:  # not a .docx, too big, a zip bomb: said in Chinese
                form.add_error("file", f"文件“{upload.name}”：{error}")
                audit(
                    "import_rejected",
                    user=request.user,
                    detail=f"材料校核：文件“{upload.name}”被拒绝（{error}）",
                    data={"model": "documents.document", "check": upload.name},
                    request=request,
                )
                return render(request, self.template_name, {"form": form})
        period = form.cleaned_data.get("period")
        result = check(text, period=period, user=request.user)
        findings = result.get("findings", [])
        claims = result.get("claims", [])
        for finding in findings:
            finding["kind_label"] = FINDING_KINDS.get(finding.get("kind"), finding.get("kind"))
            link = finding.get("link") or ""
            if not link:  # a mismatch names the records' page in its message: “，见 /indicators/…”
                found = RECORD_LINK.search(finding.get("message") or "")
                if found:
                    link = found.group(1)
                    finding["message"] = RECORD_LINK.sub("", finding["message"])
            finding["link"] = link if link and can_open(request.user, link.split("?")[0]) else ""
        from yuanqu.figures.catalogue import figures

        catalogue = figures()
        for claim in claims:
            claim["comparator_label"] = COMPARATORS.get(claim.get("comparator") or "eq", "")
            known = catalogue.get(claim.get("figure_key") or "")
            claim["figure_name"] = known.name if known is not None else ""
        annotated = ""
        name = upload.name if upload is not None else "粘贴文字"
        if data is not None and findings:
            from .wordfile import annotate_docx

            annotated = base64.b64encode(annotate_docx(data, findings)).decode()
        audit(
            "import",
            user=request.user,
            detail=f"材料校核：{name}，发现问题{len(findings)}处、识别数据{len(claims)}条",
            data={
                "model": "documents.document",
                "check": name,
                "period": f"{period:%Y-%m}" if period else "",
                "findings": len(findings),
                "claims": len(claims),
            },
            request=request,
        )
        stem = name.rsplit(".", 1)[0]
        context = {
            # the pasted text stays, to be corrected and checked again
            "form": CheckForm(
                user=request.user,
                initial={"period": f"{period:%Y-%m}" if period else "", "text": "" if upload else text},
            ),
            "checked": True,
            "name": name,
            "findings": findings,
            "claims": claims,
            "annotated": annotated,
            "annotated_name": f"{stem}-校核批注-{timezone.localtime():%Y%m%d-%H%M}.docx",
            "docx_type": DOCX,
        }
        return render(request, self.template_name, context)
