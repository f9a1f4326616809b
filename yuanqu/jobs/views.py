"""我的后台任务 and the job page: progress (polled by htmx every second), the import's result
with its confirmation, the export's file, the report's document. Only the user who started a
job opens it (404 otherwise); the list shows the user's own jobs, administrators' included —
nobody sees another's results, which may hold personal data."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from yuanqu.users.permissions import has_perm
from yuanqu.utilities.excel import xlsx_response
from yuanqu.utilities.importing import get_importer

from .models import Job, JobKind, JobStatus
from .tasks import confirm_import, end_interrupted


def _job(request, pk):
    jobs = Job.objects.for_user(request.user)
    # A job whose worker was killed ends here too, should no worker be left to sweep it.
    end_interrupted(jobs.filter(pk=pk))
    return get_object_or_404(jobs, pk=pk)


def _context(job):
    result = job.result or {}
    progress = job.progress()
    return {
        "job": job,
        "result": result,
        "progress": progress,
        "percent": job.percent,
        "running": not job.finished_run,
        "keep_days": settings.YUANQU_JOB_KEEP_DAYS,
        "errors": [{"row": r, "column": c, "message": m} for r, c, m in result.get("errors", [])],
        "new_more": max(0, result.get("counts", {}).get("new", 0) - len(result.get("new", []))),
        "changed_more": max(0, result.get("counts", {}).get("changed", 0) - len(result.get("changed", []))),
    }


def job_list(request):
    jobs = Job.objects.for_user(request.user)
    end_interrupted(jobs)
    return render(
        request, "jobs/job_list.html", {"jobs": jobs[:100], "keep_days": settings.YUANQU_JOB_KEEP_DAYS}
    )


def _signed_in(request, **kwargs):
    return request.user.is_authenticated


# Every signed-in user has a list of their own jobs (the menu asks this, ``utilities.links``).
job_list.allows = _signed_in


def job_page(request, pk):
    return render(request, "jobs/job.html", _context(_job(request, pk)))


def job_progress(request, pk):
    """The progress fragment; once the job is finished it asks the page to reload."""
    job = _job(request, pk)
    response = render(request, "jobs/progress.html", _context(job))
    if job.finished_run:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def job_confirm(request, pk):
    job = _job(request, pk)
    if job.kind != JobKind.IMPORT or job.status != JobStatus.PREVIEWED or not job.upload_path.is_file():
        messages.error(request, "该导入预览已失效，请重新上传文件。")
        return redirect(job.get_absolute_url())
    importer = get_importer(job.name)
    if importer is None or not has_perm(request.user, importer.model, "import"):
        raise PermissionDenied("没有导入权限")
    confirm_import(job)
    messages.info(request, "已确认，后台正在写入。")
    return redirect(job.get_absolute_url())


def job_download(request, pk):
    job = _job(request, pk)
    if job.kind != JobKind.EXPORT or job.status != JobStatus.DONE or not job.output_path.is_file():
        raise Http404("文件不存在或已过期（后台任务的文件保留 7 天）")
    # The export was audited when the worker wrote it (the same ``export`` event as a page's).
    return xlsx_response(job.output_path.open("rb"), job.result.get("download_name") or f"{job.title}.xlsx")
