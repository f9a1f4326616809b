"""Excel import of demands from a 12345 export: preview then commit, each row received as a
demand (number, deadline, 受理 event), errors by row and column with nothing written, a
re-import of the same work orders skipped, the console command with --dry-run."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.demands.models import Demand

IMPORT_URL = "/demands/import/"
HEADER = ["外部工单号", "来源渠道", "统一社会信用代码", "类别", "标题", "诉求内容", "受理时间"]


def xlsx(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, rows):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("12345工单.xlsx", xlsx(rows))})


@pytest.fixture
def rows(owned_enterprise):
    return [
        [
            "12345-20240927-0001",
            "12345热线",
            owned_enterprise.uscc.lower(),
            "用电",
            "",
            "企业反映临时用电增容进度慢",
            "2024-09-27 10:30",
        ],
        [
            "12345-20240927-0002",
            None,
            owned_enterprise.uscc,
            "政策咨询",
            "研发费用加计扣除",
            "咨询研发费用加计扣除政策",
            datetime.datetime(2024, 9, 27, 14, 0),
        ],
    ]


def test_preview_then_confirm_receives_each_row(client, alice, rows, owned_enterprise, econ_dept):
    client.force_login(alice)
    assert reverse("demands:demand_import") == IMPORT_URL
    response = upload(client, rows)
    result = response.context["result"]
    assert result.ok and result.counts == {"new": 2, "changed": 0, "unchanged": 0}
    assert not Demand.objects.exists()  # the preview rolled back
    response = client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})
    assert response.status_code == 302
    first, second = Demand.objects.order_by("number")
    assert (first.number, first.external_number, first.channel, first.enterprise) == (
        "SQ2024-0001",
        "12345-20240927-0001",
        "12345",
        owned_enterprise,
    )
    assert first.title == "企业反映临时用电增容进度慢"  # from the description
    assert first.received_by == alice and first.holder_user == alice and first.department == econ_dept
    assert first.due_on == datetime.date(2024, 10, 10)  # 5 working days across National Day
    assert second.channel == "12345" and second.category.name == "政策咨询"
    assert [e.action for e in first.events.all()] == ["receive"]
    assert AuditEvent.objects.filter(kind="import").count() == 1


def test_errors_name_row_and_column_and_nothing_is_written(client, alice, owned_enterprise):
    client.force_login(alice)
    response = upload(
        client,
        [
            ["A-1", "12345热线", "91330000000000000X", "用电", "", "内容", "2024-09-27"],
            ["A-2", "飞鸽传书", owned_enterprise.uscc, "不存在的类别", "", "内容", "2024-13-01"],
            ["A-1", None, owned_enterprise.uscc, "用电", "", "内容", "2024-09-27"],
        ],
    )
    errors = [str(e) for e in response.context["result"].errors]
    assert (
        "第2行 统一社会信用代码：未找到“91330000000000000X”，请填写系统中已有的统一社会信用代码名称" in errors
    )
    assert any(e.startswith("第3行 来源渠道：“飞鸽传书”不是可选的值") for e in errors)
    assert any(e.startswith("第3行 类别：未找到“不存在的类别”") for e in errors)
    assert any(e.startswith("第3行 受理时间：") for e in errors)
    assert "第4行 外部工单号：与第2行重复（同一文件中同一外部工单号只能出现一次）" in errors
    assert not Demand.objects.exists()


def test_reimporting_the_same_work_orders_skips_them(client, alice, rows):
    client.force_login(alice)
    response = upload(client, rows)
    client.post(IMPORT_URL, {"confirm": "1", "token": response.context["token"]})
    response = upload(client, rows)
    assert response.context["result"].counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert Demand.objects.count() == 2


def test_only_staff_with_the_import_grant_reach_the_page(client, leader, enterprise_user, alice):
    for user, status in ((leader, 403), (enterprise_user, 403), (alice, 200)):
        client.force_login(user)
        assert client.get(IMPORT_URL).status_code == status
    assert client.get(reverse("demands:demand_import_template")).status_code == 200


def test_the_console_import_needs_a_receiver_and_honours_dry_run(tmp_path, alice, rows):
    path = tmp_path / "12345工单.xlsx"
    path.write_bytes(xlsx(rows))
    with pytest.raises(CommandError, match="导入诉求须用 --user 指定受理人"):
        call_command("import", "demands", str(path))
    out = io.StringIO()
    call_command("import", "demands", str(path), "--user", "alice", "--dry-run", stdout=out)
    assert "新增 2 行" in out.getvalue() and not Demand.objects.exists()
    call_command("import", "demands", str(path), "--user", "alice", stdout=out)
    assert Demand.objects.count() == 2
