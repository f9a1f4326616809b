"""The work of a background job, run by ``yuanqu worker`` (django-tasks, database backend).

``start_import`` and ``start_export`` are called by the pages when a file or a list is large
(``YUANQU_BACKGROUND_IMPORT_ROWS``, ``YUANQU_BACKGROUND_EXPORT_ROWS``): they create the job
row, keep the upload under ``VAR_DIR/jobs`` and enqueue ``run_job``. The worker runs the
same code as the synchronous path (``run_import``, the list's own export table), as the
user who started it, so the records, the change log and the audit events are the same.
``start_report`` does the same for a report (生成材料) of a large zone: the page names the
function that writes it (a dotted path, so that this shared app imports no domain app).

While a job runs, a thread beats its heartbeat; ``sweep_jobs`` (the worker's, on start and
every minute, and the job's own page) ends a running job silent for longer than
``YUANQU_JOB_STALE_MINUTES`` — its worker was killed — and expires the files of jobs older
than ``YUANQU_JOB_KEEP_DAYS``.
"""

import datetime
import logging
import threading
import uuid

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django.utils.module_loading import import_string

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


HEARTBEAT_SECONDS = 15  # far below the staleness limit (minutes)
EXPIRED_ROWS_KEEP_DAYS = 90  # an expired job's row (its title and status) stays this long
INTERRUPTED = "后台任务中断（处理进程已停止），请重新提交"


def enqueue(job: Job) -> Job:
    # Queued before it is enqueued: a backend that runs the task at once (the immediate one)
    # finishes it inside ``enqueue``, and its status must not be put back to 排队中 after.
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))
    job.refresh_from_db(fields=["task_id", "status", "result", "started", "finished"])
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


def start_report(request, runner: str, name: str, title: str, options: dict) -> Job:
    """A report written by the worker: ``runner`` (a dotted path) is called with the job, as
    its user, and returns (status, result) — the result naming the written version's page."""
    job = Job.objects.create(
        **_origin(request),
        kind=JobKind.REPORT,
        name=name[:100],
        title=f"生成材料：{title}"[:200],
        options={**options, "runner": runner},
    )
    job.report("排队", 0, 1)
    return enqueue(job)


class Heartbeat:
    """Beats the job's heartbeat every few seconds while the block runs (a thread: the job's
    own work may sit in one long query or one long chart)."""

    def __init__(self, job: Job, seconds: float = HEARTBEAT_SECONDS):
        self.job, self.seconds = job, seconds
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"job-{job.pk}-heartbeat", daemon=True)

    def _beat_once(self):
        try:
            self.job.beat()
        except OSError:  # a full disk must not end the job; the sweep may, later
            logger.warning("job %s: heartbeat not written", self.job.pk)

    def _beat(self):
        while not self.stopped.wait(self.seconds):
            self._beat_once()

    def __enter__(self):
        self._beat_once()
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()


@task()
def run_job(job_id: int) -> str:
    job = Job.objects.select_related("user").filter(pk=job_id).first()
    if job is None:
        return "gone"
    if job.status != JobStatus.QUEUED:  # ended meanwhile (expired, or interrupted and swept)
        return "skipped"
    job.started = timezone.now()
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started=job.started)
    try:
        # As the user who started it, from where they were (the audit's address).
        with Heartbeat(job), acting_as(job.user, source="web", ip=job.ip):
            if job.kind == JobKind.IMPORT:
                status, result = _run_import(job)
            elif job.kind == JobKind.REPORT:
                status, result = _run_report(job)
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
    # Only a job still running is finished: one the sweep ended as interrupted stays so.
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        status=status, result=result, finished=timezone.now()
    )
    job.heartbeat_path.unlink(missing_ok=True)


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


# --- report -------------------------------------------------------------------------------


def _run_report(job):
    """The page's writer (``options["runner"]``), called with the job; its Chinese refusal
    (a month with no data, a template error) ends the job as 未完成 with that message."""
    from django.core.exceptions import PermissionDenied, ValidationError

    job.report("生成", 0, 1)
    try:
        result = import_string(job.options["runner"])(job)
    except ValidationError as error:
        return JobStatus.FAILED, {"error": "；".join(error.messages)}
    except PermissionDenied as error:
        return JobStatus.FAILED, {"error": str(error) or "没有生成材料的权限"}
    job.report("生成", 1, 1)
    return JobStatus.DONE, result


# --- sweep: interrupted jobs, expired files --------------------------------------------------


def end_interrupted(jobs=None, now=None) -> int:
    """Running jobs silent for longer than ``YUANQU_JOB_STALE_MINUTES`` end as 未完成 with
    ``INTERRUPTED``: their worker was killed (SIGKILL, a reboot) and nothing will finish
    them. An import's transaction died with the worker, so nothing of it was written."""
    from django_tasks_db.models import DBTaskResult

    now = now or timezone.now()
    limit = now - datetime.timedelta(minutes=settings.YUANQU_JOB_STALE_MINUTES)
    jobs = Job.objects.all() if jobs is None else jobs
    ended = 0
    for job in jobs.filter(status=JobStatus.RUNNING):
        beat = job.last_beat()
        if beat is not None and beat >= limit:
            continue
        result = {**(job.result or {}), "error": INTERRUPTED, "interrupted": True}
        if Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, result=result, finished=now
        ):
            ended += 1
            logger.warning("job %s (%s) interrupted: no heartbeat since %s", job.pk, job.title, beat)
            job.upload_path.unlink(missing_ok=True)
            job.heartbeat_path.unlink(missing_ok=True)
            if _is_uuid(job.task_id):  # the queue's row too: its worker will never mark it
                DBTaskResult.objects.filter(pk=job.task_id, status="RUNNING").update(
                    status="FAILED", finished_at=now
                )
    return ended


def _is_uuid(text) -> bool:
    """Whether ``text`` is the database queue's task id (another backend's ids are not)."""
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True


# An expired job keeps what tells the user what it was, not what it read or wrote (the rows
# of an import's preview may hold personal data).
EXPIRED_KEEPS = ("summary", "verbose_name", "counts", "committed", "ok", "rows", "error")


def expire_old_jobs(days: int, now=None) -> int:
    """Imports and exports started more than ``days`` ago lose their files and show 已过期;
    their rows go after ``EXPIRED_ROWS_KEEP_DAYS`` more (reports link to their document, which
    stays in 材料报告, and only their row goes then). Files no job owns (older than a day: a
    job being created writes its file before its row is committed) go too."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=days)
    old = Job.objects.filter(created__lt=limit, kind__in=[JobKind.IMPORT, JobKind.EXPORT]).exclude(
        status__in=[JobStatus.EXPIRED, JobStatus.RUNNING]
    )
    expired = 0
    for job in old:
        job.remove_files()
        kept = {key: value for key, value in (job.result or {}).items() if key in EXPIRED_KEEPS}
        expired += Job.objects.filter(pk=job.pk, status=job.status).update(
            status=JobStatus.EXPIRED, result=kept, finished=job.finished or now
        )
    gone = list(Job.objects.filter(created__lt=limit - datetime.timedelta(days=EXPIRED_ROWS_KEEP_DAYS)))
    for job in gone:
        job.remove_files()
    Job.objects.filter(pk__in=[job.pk for job in gone]).delete()
    _remove_stray_files(now)
    return expired


def _remove_stray_files(now):
    stray = (now - datetime.timedelta(days=1)).timestamp()
    known = set(Job.objects.values_list("pk", flat=True))
    for path in jobs_dir().glob("job-*"):
        try:
            pk = int(path.name.split("-")[1])
        except (IndexError, ValueError):
            continue
        if pk not in known and path.stat().st_mtime < stray:
            path.unlink(missing_ok=True)


def sweep_jobs(now=None) -> tuple[int, int]:
    """(jobs ended as interrupted, jobs expired): the worker's regular clean-up."""
    try:
        ended = end_interrupted(now=now)
        expired = expire_old_jobs(settings.YUANQU_JOB_KEEP_DAYS, now=now)
    except DatabaseError:  # a busy database (a long import elsewhere): the next sweep will do
        logger.warning("job sweep postponed", exc_info=True)
        return 0, 0
    return ended, expired
