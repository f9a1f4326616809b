"""Background jobs, the rest of their life: a report written by the worker (生成材料 of a large
zone), 我的后台任务 in every user's menu with their own jobs only, a job whose worker was
killed ended instead of left 进行中, and a job's files expiring after the retention days."""

import datetime
import os

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from yuanqu.documents.models import Document
from yuanqu.documents.tests.test_models_documents import FakeReportError, fake_engine  # noqa: F401
from yuanqu.jobs import tasks
from yuanqu.jobs.models import Job, JobKind, JobStatus
from yuanqu.jobs.tests.test_jobs import run_worker
from yuanqu.utilities.links import can_open
from yuanqu.utilities.testing import factories as f

pytestmark = pytest.mark.django_db

GENERATE = {"kind": "monthly", "period": "2024-08"}


@pytest.fixture
def large_zone(settings, econ_dept):
    """A zone "large" for reports: more enterprises than the (lowered) threshold."""
    settings.YUANQU_BACKGROUND_REPORT_ENTERPRISES = 1
    f.enterprise(dept=econ_dept)
    f.enterprise(dept=econ_dept)


def generate(client, user, data=GENERATE):
    client.force_login(user)
    return client.post(reverse("documents:generate"), data)


# --- 生成材料 as a job ------------------------------------------------------------------------------


@pytest.mark.usefixtures("fake_engine", "large_zone")
def test_a_large_zones_report_is_written_by_the_worker_and_its_page_links_the_version(client, alice):
    response = generate(client, alice)
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.kind == JobKind.REPORT and job.title == "生成材料：月度经济运行分析（2024年08月）"
    assert not Document.objects.exists()  # nothing is written in the request
    page = client.get(response.url).content.decode()
    assert "排队中" in page and "完成后本页显示生成的版本" in page and 'hx-trigger="every 1s"' in page

    run_worker()
    job.refresh_from_db()
    document = Document.objects.get()
    assert job.status == JobStatus.DONE and job.started and job.finished
    assert (document.drafter, document.department, document.period) == (
        alice,
        alice.department,
        datetime.date(2024, 8, 1),
    )
    assert document.versions.get().number == 1
    assert job.result["url"] == f"/documents/{document.pk}/?version=1"
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"已生成材料“{document}”（第1版）" in page
    assert f'href="/documents/{document.pk}/?version=1"' in page and "打开材料" in page
    assert f'href="/documents/{document.pk}/download/docx/?version=1"' in page
    assert can_open(alice, job.result["url"]) and can_open(alice, job.result["download"])
    listing = client.get("/jobs/").content.decode()
    assert (
        f'<a href="/documents/{document.pk}/?version=1" title="材料“{document}”（第1版）">材料“{document}”（第1版）</a>'
        in listing
    )


@pytest.mark.usefixtures("large_zone")
def test_with_the_immediate_backend_the_report_is_written_before_the_page_opens(
    client,
    alice,
    settings,
    fake_engine,  # noqa: F811
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    response = generate(client, alice, {**GENERATE, "title": "八月经济运行简报"})
    job = Job.objects.get()
    assert job.status == JobStatus.DONE  # not put back to 排队中 once enqueued
    document = Document.objects.get(title="八月经济运行简报")
    page = client.get(response.url).content.decode()
    assert "已完成" in page and f'href="/documents/{document.pk}/?version=1"' in page
    assert fake_engine[0]["period"] == datetime.date(2024, 8, 1) and fake_engine[0]["user"] == alice


@pytest.mark.usefixtures("large_zone")
def test_the_engines_refusal_ends_the_job_with_its_reason_and_writes_nothing(client, alice, fake_engine):  # noqa: F811
    fake_engine.fail = FakeReportError("2024年8月尚无月度数据，无法生成")
    generate(client, alice)
    run_worker()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED and not Document.objects.exists()
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "2024年8月尚无月度数据，无法生成" in page and "打开材料" not in page


@pytest.mark.usefixtures("fake_engine")
def test_a_small_zones_report_is_still_written_in_the_request(client, alice, econ_dept):
    f.enterprise(dept=econ_dept)  # below the default threshold (200 enterprises)
    response = generate(client, alice)
    document = Document.objects.get()
    assert response.url == document.get_absolute_url() and not Job.objects.exists()


# --- 我的后台任务 ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("econ_dept")
def test_every_user_has_the_menu_entry_and_sees_only_their_own_jobs(
    client, alice, leader, grid_worker, enterprise_user, inspector, sysadmin, secadmin, auditor
):
    users = [alice, leader, grid_worker, enterprise_user, inspector, sysadmin, secadmin, auditor]
    for user in users:
        Job.objects.create(user=user, kind="export", name="x", title=f"导出企业（{user.username}的任务）")
    alices = Job.objects.get(user=alice)
    alices.result = {"rows": 12000, "download_name": "企业-1.xlsx"}
    alices.status = JobStatus.DONE
    alices.save()
    alices.output_path.write_bytes(b"PK")
    for user in users:
        client.force_login(user)
        home = client.get("/").content.decode()
        assert '<a href="/jobs/"' in home and ">我的后台任务</a>" in home, user.role
        listing = client.get("/jobs/")
        assert listing.status_code == 200
        body = listing.content.decode()
        assert f"（{user.username}的任务）" in body
        others = [u.username for u in users if u != user and f"（{u.username}的任务）" in body]
        assert others == [], f"{user.role} sees the jobs of {others}"
        if user != alice:  # administrators too: another's result is not theirs to open
            assert client.get(f"/jobs/{alices.pk}/download/").status_code == 404
    client.force_login(alice)
    body = client.get("/jobs/").content.decode()
    assert f'href="/jobs/{alices.pk}/download/">下载（12000 行）' in body and "已完成" in body


def test_the_list_shows_status_progress_and_times(client, alice):
    job = Job.objects.create(
        user=alice, kind="import", name="enterprises", title="导入企业：大文件.xlsx", total=8000
    )
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started=timezone.now())
    job.report("校验", 2000, 8000)
    client.force_login(alice)
    body = client.get("/jobs/").content.decode()
    assert "进行中" in body and '<progress max="100" value="25"' in body and "25%" in body
    assert timezone.localtime(Job.objects.get().started).strftime("%Y-%m-%d %H:%M") in body


# --- a killed worker ------------------------------------------------------------------------------


def running_job(user, minutes_ago, title="导入企业：大文件.xlsx"):
    """A job a worker took ``minutes_ago`` and last beat then (as a killed worker leaves it)."""
    started = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    job = Job.objects.create(user=user, kind="import", name="enterprises", title=title, total=8000)
    job.upload_path.write_bytes(b"PK")
    job.report("写入", 3000, 8000)
    job.beat()
    for path in (job.progress_path, job.heartbeat_path):
        os.utime(path, (started.timestamp(), started.timestamp()))
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started=started)
    return Job.objects.get(pk=job.pk)


def test_a_job_left_running_by_a_killed_worker_ends_as_interrupted_on_the_next_worker_start(client, alice):
    dead = running_job(alice, minutes_ago=11, title="导入企业：中断的文件.xlsx")
    task = DBTaskResult.objects.create(
        status="RUNNING", args_kwargs={"args": [dead.pk], "kwargs": {}}, task_path="yuanqu.jobs.tasks.run_job",
        backend_name="default", run_after=timezone.now(), queue_name="default",
    )  # fmt: skip
    Job.objects.filter(pk=dead.pk).update(task_id=str(task.pk))
    alive = running_job(alice, minutes_ago=30, title="导入企业：仍在处理.xlsx")
    alive.beat()  # its worker is slow, not dead: it beat just now

    run_worker()

    dead.refresh_from_db()
    alive.refresh_from_db()
    assert dead.status == JobStatus.FAILED and dead.finished is not None
    assert dead.result["error"] == "后台任务中断（处理进程已停止），请重新提交"
    assert not dead.upload_path.exists()
    task.refresh_from_db()
    assert task.status == "FAILED"  # nor is the queue's row left running
    assert alive.status == JobStatus.RUNNING and alive.finished is None and alive.upload_path.exists()
    client.force_login(alice)
    page = client.get(f"/jobs/{dead.pk}/").content.decode()
    assert "未完成" in page and "后台任务中断（处理进程已停止），请重新提交" in page
    assert 'hx-trigger="every 1s"' not in page  # the page stops waiting
    listing = client.get("/jobs/").content.decode()
    assert "后台任务中断（处理进程已停止），请重新提交" in listing


def test_the_staleness_limit_is_a_setting_and_the_jobs_page_ends_a_silent_job_without_a_worker(
    client, alice, settings
):
    settings.YUANQU_JOB_STALE_MINUTES = 60
    job = running_job(alice, minutes_ago=30)
    client.force_login(alice)
    assert "进行中" in client.get(f"/jobs/{job.pk}/progress/").content.decode()
    settings.YUANQU_JOB_STALE_MINUTES = 20
    response = client.get(f"/jobs/{job.pk}/progress/")
    assert response["HX-Refresh"] == "true"  # the page reloads and shows the reason
    assert "后台任务中断" in client.get(f"/jobs/{job.pk}/").content.decode()


def test_a_running_job_beats_and_a_late_finish_does_not_undo_the_interruption(alice):
    job = running_job(alice, minutes_ago=30)
    with tasks.Heartbeat(job, seconds=0.01):
        assert job.last_beat() > timezone.now() - datetime.timedelta(seconds=5)
    assert tasks.end_interrupted() == 0
    old = timezone.now() - datetime.timedelta(minutes=30)
    os.utime(job.heartbeat_path, (old.timestamp(), old.timestamp()))
    os.utime(job.progress_path, (old.timestamp(), old.timestamp()))
    assert tasks.end_interrupted() == 1
    tasks._finish(job, JobStatus.DONE, {"summary": "新增 8000 行"})  # its worker woke up after all
    assert Job.objects.get().status == JobStatus.FAILED


# --- results kept for the retention days ----------------------------------------------------------


def test_after_the_retention_days_a_jobs_files_go_and_it_shows_expired(client, alice, settings):
    settings.YUANQU_JOB_KEEP_DAYS = 3
    now = timezone.now()
    old = Job.objects.create(
        user=alice, kind="export", name="x", title="导出企业（旧）", status=JobStatus.DONE
    )
    old.result = {"rows": 12000, "download_name": "企业.xlsx"}
    old.save()
    old.output_path.write_bytes(b"PK")
    preview = Job.objects.create(user=alice, kind="import", name="enterprises", title="导入企业（旧）")
    preview.result = {"summary": "新增 1 行", "new": [[2, "91330000X", "某某有限公司"]], "counts": {"new": 1}}
    preview.status = JobStatus.PREVIEWED
    preview.save()
    preview.upload_path.write_bytes(b"PK")
    ancient = Job.objects.create(user=alice, kind="export", name="x", title="导出企业（很旧）")
    Job.objects.filter(pk__in=[old.pk, preview.pk]).update(created=now - datetime.timedelta(days=4))
    Job.objects.filter(pk=ancient.pk).update(created=now - datetime.timedelta(days=3 + 91))
    recent = Job.objects.create(
        user=alice, kind="export", name="x", title="导出企业（新）", status=JobStatus.DONE
    )
    recent.output_path.write_bytes(b"PK")

    run_worker()

    assert set(Job.objects.values_list("title", "status")) == {
        ("导出企业（旧）", JobStatus.EXPIRED),
        ("导入企业（旧）", JobStatus.EXPIRED),
        ("导出企业（新）", JobStatus.DONE),
    }
    assert not old.output_path.exists() and not preview.upload_path.exists() and recent.output_path.exists()
    preview.refresh_from_db()
    assert preview.result == {"summary": "新增 1 行", "counts": {"new": 1}}  # the rows read are gone
    client.force_login(alice)
    listing = client.get("/jobs/").content.decode()
    assert listing.count('class="job-status">已过期<') == 2 and "文件保留 3 天" in listing
    assert client.get(f"/jobs/{old.pk}/download/").status_code == 404
    page = client.get(f"/jobs/{preview.pk}/").content.decode()
    assert "该任务已超过 3 天，文件和明细已清除。结果：新增 1 行。" in page and "确认导入" not in page
    assert tasks.sweep_jobs() == (0, 0)
