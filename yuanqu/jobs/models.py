"""Background jobs (后台任务): a large import or export, or a report, run by ``yuanqu worker``.

A job is the work of the user who started it, like their messages: nobody else opens it or
its file (no ``restrict_paths``; every queryset a user reaches is ``Job.objects.for_user``).
What it does to the zone's records is change-logged and audited as the synchronous path is
(``import``, ``import_rejected``, ``export``); the job row itself is bookkeeping, not logged.
The queue is django-tasks' database backend; the row here holds what the page shows.

A running job beats (``beat``): the worker touches the job's heartbeat file while it works,
so a job whose worker was killed is found by its silence (``last_beat``) and ended by the
worker's sweep (``tasks.sweep_jobs``) instead of showing 进行中 forever. The heartbeat is a
file, as the progress is, because a long import holds the database's write lock.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    IMPORT = "import", _("导入")
    EXPORT = "export", _("导出")
    REPORT = "report", _("生成材料")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    PREVIEWED = "previewed", _("待确认")  # an import's preview is done; the user confirms it
    DONE = "done", _("已完成")
    FAILED = "failed", _("未完成")
    EXPIRED = "expired", _("已过期")  # kept past YUANQU_JOB_KEEP_DAYS: its files are gone


FINISHED = (JobStatus.PREVIEWED, JobStatus.DONE, JobStatus.FAILED, JobStatus.EXPIRED)


def jobs_dir() -> Path:
    """Where jobs keep their files (the uploaded workbook, the export, the progress)."""
    directory = Path(settings.VAR_DIR) / "jobs"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


class JobQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own jobs; nothing for an anonymous or inactive user."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)


class Job(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs", verbose_name=_("发起人")
    )
    kind = models.CharField(_("类型"), max_length=10, choices=JobKind.choices)
    name = models.CharField(_("名称"), max_length=100)  # the importer's name, or the list exported
    title = models.CharField(_("标题"), max_length=200)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    options = models.JSONField(_("参数"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    commit = models.BooleanField(_("写入"), default=False)  # an import: the confirmed run
    total = models.PositiveIntegerField(_("总行数"), default=0)
    result = models.JSONField(_("结果"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)  # the request's, for the audit
    task_id = models.CharField(_("队列编号"), max_length=64, blank=True)
    created = models.DateTimeField(_("发起时间"), default=timezone.now, db_index=True)
    started = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:job", args=[self.pk])

    @property
    def finished_run(self):
        return self.status in FINISHED

    # Files ----------------------------------------------------------------------------------

    @property
    def upload_path(self) -> Path:
        return jobs_dir() / f"job-{self.pk}-upload.xlsx"

    @property
    def output_path(self) -> Path:
        return jobs_dir() / f"job-{self.pk}-output.xlsx"

    @property
    def progress_path(self) -> Path:
        return jobs_dir() / f"job-{self.pk}-progress.json"

    @property
    def heartbeat_path(self) -> Path:
        return jobs_dir() / f"job-{self.pk}-heartbeat"

    def remove_files(self):
        for path in (self.upload_path, self.output_path, self.progress_path, self.heartbeat_path):
            path.unlink(missing_ok=True)

    # Heartbeat ------------------------------------------------------------------------------

    def beat(self):
        """The worker is alive and working on this job (called every few seconds)."""
        self.heartbeat_path.touch()

    def last_beat(self):
        """When the job last showed it was alive: its start, a heartbeat or a progress step."""
        moments = [self.started] if self.started else []
        for path in (self.heartbeat_path, self.progress_path):
            try:
                moments.append(datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC))
            except OSError:
                continue
        return max(moments) if moments else None

    # Progress -------------------------------------------------------------------------------
    # Kept in a file beside the job, not in its row: an import writes inside one transaction,
    # which on SQLite holds the database's write lock and on any database hides its writes
    # until it ends; the page must see the bar move meanwhile.

    def report(self, phase: str, done: int, total: int):
        phases = self.progress().get("phases", [])
        if phase not in phases:
            phases.append(phase)
        state = {"phase": phase, "done": done, "total": total, "phases": phases}
        temporary = self.progress_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        temporary.replace(self.progress_path)  # atomic: a reader never sees half a file

    def progress(self) -> dict:
        try:
            return json.loads(self.progress_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    @property
    def percent(self) -> int:
        if self.status in (JobStatus.DONE, JobStatus.PREVIEWED):
            return 100
        state = self.progress()
        total = state.get("total") or 0
        return min(100, int(100 * state.get("done", 0) / total)) if total else 0
