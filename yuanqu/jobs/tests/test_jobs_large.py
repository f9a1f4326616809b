"""The probe's case (issue 12, finding 6): a 20,000-row file on the web no longer dies in the
request. The monthly report of 20,000 enterprises is previewed and written by the worker
with the default threshold, and the records are those the console import finds in place."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from yuanqu.core.models import AuditEvent
from yuanqu.economy.importers import MonthlyImporter
from yuanqu.economy.models import EnterpriseMonthlyValue
from yuanqu.enterprises.models import Enterprise
from yuanqu.jobs.models import Job, JobStatus
from yuanqu.jobs.tests.test_jobs import run_worker
from yuanqu.utilities.importing import run_import
from yuanqu.utilities.testing import factories as f

ROWS = 20_000
HEADER = ["统一社会信用代码", "企业名称", "规上工业总产值（当月）", "规上工业总产值（1-10月累计）"]


@pytest.mark.django_db
def test_a_twenty_thousand_row_file_goes_through_the_worker(client, alice, econ_dept, east):
    Enterprise.objects.bulk_create(
        Enterprise(uscc=f.uscc(200_000 + i), name=f"月报企业{i}有限公司", department=econ_dept, zone=east)
        for i in range(ROWS)
    )
    book = Workbook(write_only=True)
    sheet = book.create_sheet("2023年10月")
    sheet.append(HEADER)
    for i in range(ROWS):
        sheet.append([f.uscc(200_000 + i), f"月报企业{i}有限公司", 100 + i % 50, 1000 + i % 500])
    buffer = io.BytesIO()
    book.save(buffer)
    content = buffer.getvalue()

    client.force_login(alice)
    response = client.post(
        "/monthly-values/import/", {"file": SimpleUploadedFile("十月月报.xlsx", content), "period": "2023-10"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    assert job.total == ROWS  # above YUANQU_BACKGROUND_IMPORT_ROWS (5,000 by default)

    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.PREVIEWED and job.result["counts"]["new"] == ROWS
    assert not EnterpriseMonthlyValue.objects.exists()
    client.post(f"/jobs/{job.pk}/confirm/")
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result["committed"]
    assert job.progress()["phases"] == ["排队", "读取", "校验", "写入"]
    assert EnterpriseMonthlyValue.objects.filter(period="2023-10-01", is_current=True).count() == ROWS
    assert AuditEvent.objects.filter(kind="import", user_id=alice.pk).count() == 1

    console = run_import(
        MonthlyImporter(period="2023-10"), io.BytesIO(content), "十月月报.xlsx", commit=False
    )
    assert console.ok and console.counts == {"new": 0, "changed": 0, "unchanged": ROWS}
