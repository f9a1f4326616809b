"""Background jobs: a large import or export goes to the worker, shows its progress, keeps its
result for the user who started it, and writes the same records and audit events as the
synchronous path."""

import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.enterprises.models import Enterprise
from yuanqu.jobs.models import Job, JobStatus
from yuanqu.utilities import importing
from yuanqu.utilities.importing import get_importer, run_import
from yuanqu.utilities.testing import factories as f

IMPORT_URL = "/enterprises/import/"
HEADER = ["统一社会信用代码", "企业名称", "注册资本（万元）", "责任部门"]
ROWS = 80  # above the threshold the tests set (the enterprise form reads ~100 rows a second here)


@pytest.fixture(autouse=True)
def small_thresholds(settings, monkeypatch):
    """The mechanism, not the machine's speed, is under test: thresholds and progress steps
    are lowered so a file of 80 rows is "large" (the defaults are 5,000 and 10,000 rows)."""
    settings.YUANQU_BACKGROUND_IMPORT_ROWS = 50
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 25)


def workbook(rows) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("企业")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def enterprise_rows(n, start=5000):
    return [[f.uscc(start + i), f"后台导入测试企业{i}有限公司", 100 + i, "经济发展局"] for i in range(n)]


def upload(client, content, name="企业.xlsx"):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content)})


def run_worker():
    """``yuanqu worker --once`` inside the test's transaction: the worker closes the
    connections it finds in a transaction after each task (a real worker's are idle); the
    test's own connection must stay open (on PostgreSQL it would be cut)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", once=True)


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_large_import_is_previewed_and_written_by_the_worker(client, alice, econ_dept):
    content = workbook(enterprise_rows(ROWS))
    before = Enterprise.objects.count()
    response = upload(signed_in(client, alice), content)

    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert "排队中" in page and f"共 {ROWS} 行" in page and 'hx-trigger="every 1s"' in page
    assert Enterprise.objects.count() == before  # nothing is read in the request

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED
    assert job.progress()["phases"] == ["排队", "读取", "校验"]
    assert Enterprise.objects.count() == before  # the preview rolls back
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"新增 <b>{ROWS}</b> 行" in page and "确认导入" in page and "后台导入测试企业0有限公司" in page

    response = client.post(f"/jobs/{job.pk}/confirm/")
    assert response.status_code == 302
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["committed"]
    assert job.progress()["phases"][-1] == "写入"
    assert not job.upload_path.exists()  # the upload goes once written
    assert Enterprise.objects.count() == before + ROWS
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f"已导入企业：新增 {ROWS} 行" in page

    # The same audit event and change log as an import confirmed on the page.
    event = AuditEvent.objects.filter(kind="import").get()
    assert event.user_id == alice.pk and event.data["new"] == ROWS
    assert (event.ip, event.source) == ("127.0.0.1", "web")  # where the user uploaded it from
    assert ObjectChange.objects.filter(action="create", user_id=alice.pk).count() >= ROWS
    # The console import of the same file finds every row as the worker wrote it.
    console = run_import(get_importer("enterprises")(), io.BytesIO(content), "企业.xlsx", commit=False)
    assert console.ok and console.counts == {"new": 0, "changed": 0, "unchanged": ROWS}


@pytest.mark.django_db
def test_the_progress_endpoint_moves_while_the_worker_runs(client, alice, econ_dept, monkeypatch):
    upload(signed_in(client, alice), workbook(enterprise_rows(ROWS)))
    job = Job.objects.get()
    seen = []
    original = Job.report

    def report_and_look(self, phase, done, total):
        original(self, phase, done, total)
        seen.append(client.get(f"/jobs/{job.pk}/progress/").content.decode())

    monkeypatch.setattr(Job, "report", report_and_look)
    run_worker()

    shown = [
        (text.split('id="job-phase">')[1].split("<")[0], text.split('id="job-rows">')[1].split("（")[0])
        for text in seen
    ]
    assert shown[0][0] == "读取"
    assert ("校验", f"已处理 25 / {ROWS} 行") in shown
    assert ("校验", f"已处理 75 / {ROWS} 行") in shown
    final = client.get(f"/jobs/{job.pk}/progress/")
    assert final["HX-Refresh"] == "true" and 'value="100"' in final.content.decode()


@pytest.mark.django_db
def test_a_failing_file_ends_with_its_errors_and_writes_nothing(client, alice, econ_dept):
    rows = enterprise_rows(ROWS)
    rows[40][2] = "五百万"  # row 42 of the sheet
    rows[60][0] = rows[10][0]  # row 62 repeats row 12
    before_enterprises, before_changes = Enterprise.objects.count(), ObjectChange.objects.count()
    upload(signed_in(client, alice), workbook(rows))
    run_worker()

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    errors = {(row, column) for row, column, _ in job.result["errors"]}
    assert errors == {(42, "注册资本（万元）"), (62, "统一社会信用代码")}
    assert (Enterprise.objects.count(), ObjectChange.objects.count()) == (before_enterprises, before_changes)
    assert AuditEvent.objects.filter(kind="import_rejected", user_id=alice.pk).count() == 1
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "文件中有 2 处错误，没有写入任何数据" in page and "第42行" in page and "与第12行重复" in page
    assert "确认导入" not in page
    assert client.post(f"/jobs/{job.pk}/confirm/").status_code == 302
    assert Job.objects.get().status == JobStatus.FAILED and not job.upload_path.exists()


@pytest.mark.django_db
def test_another_user_cannot_open_the_job_or_its_file(client, alice, bob, auditor, econ_dept, settings):
    settings.YUANQU_BACKGROUND_EXPORT_ROWS = 5
    for _ in range(6):
        f.enterprise(dept=econ_dept)
    response = signed_in(client, alice).get("/enterprises/?export=xlsx")
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    run_worker()
    assert client.get(f"/jobs/{job.pk}/download/").status_code == 200

    for other in (bob, auditor):
        signed_in(client, other)
        for path in ("", "progress/", "download/"):
            assert client.get(f"/jobs/{job.pk}/{path}").status_code == 404
        assert client.post(f"/jobs/{job.pk}/confirm/").status_code == 404
        assert f"/jobs/{job.pk}/" not in client.get("/jobs/").content.decode()
    # The auditor sees the export in the audit trail, as for any export.
    assert AuditEvent.objects.filter(kind="export", user_id=alice.pk, data__job=job.pk).count() == 1


@pytest.mark.django_db
def test_an_export_of_more_than_ten_thousand_rows_goes_through_the_job(client, alice, econ_dept):
    department = econ_dept
    Enterprise.objects.bulk_create(
        Enterprise(uscc=f.uscc(100000 + i), name=f"导出测试企业{i}有限公司", department=department)
        for i in range(10_001)
    )
    response = signed_in(client, alice).get("/enterprises/?export=xlsx&q=导出测试")
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.total == 10_001 and not AuditEvent.objects.filter(kind="export").exists()

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["rows"] == 10_001
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "已导出 10001 行" in page
    download = client.get(f"/jobs/{job.pk}/download/")
    assert download["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content)), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "统一社会信用代码" in rows[0] and len(rows) == 10_002
    name = rows[0].index("企业名称")
    assert {r[name] for r in rows[1:]} == {f"导出测试企业{i}有限公司" for i in range(10_001)}
    event = AuditEvent.objects.get(kind="export")
    assert (
        event.user_id == alice.pk
        and event.data["rows"] == 10_001
        and event.data["filters"] == {"q": "导出测试"}
    )


@pytest.mark.django_db
def test_small_files_and_lists_stay_synchronous(client, alice, econ_dept):
    response = upload(signed_in(client, alice), workbook(enterprise_rows(3)))
    assert response.status_code == 200 and response.context["result"].counts["new"] == 3
    response = client.get("/enterprises/?export=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    assert not Job.objects.exists()
