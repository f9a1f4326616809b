"""The work of a background job, run by ``yuanqu worker`` (django-tasks, database backend).

``start_import`` and ``start_export`` are called by the pages when a file or a list is large
(``YUANQU_BACKGROUND_IMPORT_ROWS``, ``YUANQU_BACKGROUND_EXPORT_ROWS``): they create the job
row, keep the upload under ``VAR_DIR/jobs`` and enqueue ``run_job``. The worker runs the
same code as the synchronous path (``run_import``, the list's own export table), as the
user who started it, so the records, the change log and the audit events are the same.
"""

import datetime
import logging

from django.utils import timezone

from yuanqu.core.changelog import audit
from yuanqu.core.context import acting_as, client_ip

from .models import Job, JobKind, JobStatus, jobs_dir

try:  # Django 6 has the framework built in; django-tasks is its backport
    from django.tasks import task
except ImportError:  # pragma: no cover - Django 5.2
    from django_tasks import task

logger = logging.getLogger(__name__)

PREVIEW_LIMIT = 500  # rows kept per kind for the page; errors are always all kept
EXPORT_PROGRESS_EVERY = 1000


def enqueue(job: Job) -> Job:
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id), status=JobStatus.QUEUED)
    job.task_id, job.status = str(result.id), JobStatus.QUEUED
    return job


def _origin(request):
    return {"user": request.user, "ip": client_ip(request)}


def start_import(request, importer, upload, options: dict, total: int) -> Job:
    job = Job.objects.create(
        **_origin(request),
        kind=JobKind.IMPORT,
        name=importer.name,
        title=f"导入{importer.verbose_name}：{upload.name}"[:200],
        filename=upload.name[:200],
        options=options,
        total=total,
    )
    upload.seek(0)
    with job.upload_path.open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    job.report("排队", 0, total)
    return enqueue(job)


def confirm_import(job: Job) -> Job:
    """The user confirmed the preview: the same file is run again and committed."""
    Job.objects.filter(pk=job.pk).update(commit=True, status=JobStatus.QUEUED)
    job.commit = True
    return enqueue(job)


def start_export(request, name: str, title: str, params: dict, total: int) -> Job:
    job = Job.objects.create(
        **_origin(request),
        kind=JobKind.EXPORT,
        name=name[:100],
        title=f"导出{title}"[:200],
        options={"path": request.path, "params": params},
        total=total,
    )
    job.report("排队", 0, total)
    return enqueue(job)


@task()
def run_job(job_id: int) -> str:
    job = Job.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        return "gone"
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    try:
        # As the user who started it, from where they were (the audit's address).
        with acting_as(job.user, source="web", ip=job.ip):
            if job.kind == JobKind.IMPORT:
                status, result = _run_import(job)
            else:
                status, result = _run_export(job)
    except Exception as exc:
        logger.exception("job %s failed", job.pk)
        _finish(job, JobStatus.FAILED, {"error": f"任务执行出错：{exc}"[:500]})
        job.upload_path.unlink(missing_ok=True)
        raise
    _finish(job, status, result)
    return status


def _finish(job, status, result):
    Job.objects.filter(pk=job.pk).update(status=status, result=result, finished=timezone.now())


# --- import -------------------------------------------------------------------------------


def _run_import(job):
    from yuanqu.utilities.importing import get_importer, run_import

    importer_class = get_importer(job.name)
    if importer_class is None or not job.upload_path.is_file():
        return JobStatus.FAILED, {"error": "导入文件已不存在，请重新上传"}
    importer = importer_class(user=job.user, **job.options)
    with job.upload_path.open("rb") as file:
        result = run_import(importer, file, job.filename, commit=job.commit, progress=job.report)
    kept = {
        "ok": result.ok,
        "rejected_file": result.rejected_file,
        "committed": result.committed,
        "summary": result.summary(),
        "verbose_name": result.verbose_name,
        "key_header": importer.key_column().header,
        "counts": result.counts,
        "to_write": result.to_write,
        "errors": [[e.row, e.column, e.message] for e in result.errors],
        "warnings": list(result.warnings),
        "new": [[r.row, r.key, r.label] for r in result.new[:PREVIEW_LIMIT]],
        "changed": [[r.row, r.key, r.label, r.changes] for r in result.changed[:PREVIEW_LIMIT]],
    }
    if not result.ok:
        job.upload_path.unlink(missing_ok=True)
        return JobStatus.FAILED, kept
    if result.committed or not result.to_write:
        job.upload_path.unlink(missing_ok=True)
        return JobStatus.DONE, kept
    return JobStatus.PREVIEWED, kept


# --- export -------------------------------------------------------------------------------


def _run_export(job):
    from django.test import RequestFactory
    from django.urls import resolve

    from yuanqu.utilities.excel import write_xlsx

    path, params = job.options["path"], job.options.get("params", {})
    match = resolve(path)
    request = RequestFactory().get(path, data=params)
    request.user = job.user
    view = match.func.view_class(**match.func.view_initkwargs)
    view.setup(request, *match.args, **match.kwargs)
    job.report("读取", 0, job.total)
    sheet, title = view.export_sheet(request)

    def counted(rows):
        for done, row in enumerate(rows, start=1):
            if done % EXPORT_PROGRESS_EVERY == 0:
                job.report("写入", done, job.total)
            yield row

    filters = {key: values[-1] for key, values in params.items() if key != "export" and values}
    count = write_xlsx(job.output_path, title, sheet.header, counted(sheet.rows), sheet.figures)
    job.report("写入", count, count)
    audit(
        "export",
        user=job.user,
        detail=f"导出{title}{count}行（后台任务）",
        data={"model": view.model._meta.label_lower, "rows": count, "filters": filters, "job": job.pk},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return JobStatus.DONE, {"rows": count, "download_name": f"{title}-{stamp}.xlsx"}


# --- clean-up -----------------------------------------------------------------------------


def remove_old_jobs(days: int, now=None) -> int:
    """Jobs started more than ``days`` ago go, with their files; files no job owns (older
    than a day: a job being created writes its file before its row is committed) too."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=days)
    stray = (now - datetime.timedelta(days=1)).timestamp()
    old = list(Job.objects.filter(created__lt=limit))
    for job in old:
        job.remove_files()
    Job.objects.filter(pk__in=[job.pk for job in old]).delete()
    known = set(Job.objects.values_list("pk", flat=True))
    for path in jobs_dir().glob("job-*"):
        try:
            pk = int(path.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if pk not in known and path.stat().st_mtime < stray:
            path.unlink(missing_ok=True)
    return len(old)
