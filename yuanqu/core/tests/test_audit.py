"""The audit trail: append-only all the way down to the database, readable by the auditor,
and a production configuration that passes Django's deployment checks."""

import datetime
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from yuanqu.core.changelog import audit
from yuanqu.core.context import acting_as
from yuanqu.core.dbguard import suspended
from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.enterprises.models import Contact, Enterprise
from yuanqu.utilities.testing.views import xlsx_rows

SHANGHAI = ZoneInfo("Asia/Shanghai")
PROJECT_ROOT = Path(__file__).resolve().parents[3]


# --- append-only ----------------------------------------------------------------------------


@pytest.fixture
def change(owned_enterprise):
    return ObjectChange.objects.get(action="create", object_id=str(owned_enterprise.pk), object_repr=owned_enterprise.name)


@pytest.fixture
def event(alice):
    return audit("login", user=alice, detail="测试登录")


@pytest.fixture(params=["change", "event"])
def row(request):
    return request.getfixturevalue(request.param)


@pytest.mark.django_db
def test_saving_an_existing_row_is_refused(row):
    row.detail = row.object_repr = "改写"
    with pytest.raises(PermissionDenied, match="审计记录不可修改"):
        row.save()


@pytest.mark.django_db
def test_deleting_a_row_is_refused(row):
    with pytest.raises(PermissionDenied, match="审计记录不可删除"):
        row.delete()
    assert type(row).objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_queryset_update_and_delete_are_refused(row):
    rows = type(row).objects.filter(pk=row.pk)
    with pytest.raises(PermissionDenied):
        rows.update(user_name="someone-else")
    with pytest.raises(PermissionDenied):
        rows.delete()
    with pytest.raises(PermissionDenied):
        type(row).objects.all().delete()
    assert type(row).objects.get(pk=row.pk).user_name == row.user_name


@pytest.mark.django_db
@pytest.mark.parametrize("statement", ["UPDATE {table} SET user_name = 'forged' WHERE id = %s", "DELETE FROM {table} WHERE id = %s"])
def test_raw_sql_is_refused_by_the_database(row, statement):
    table = type(row)._meta.db_table
    with pytest.raises(DatabaseError, match="append-only|kept 180 days"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement.format(table=table), [row.pk])
    assert type(row).objects.get(pk=row.pk).user_name == row.user_name


@pytest.mark.django_db
def test_deleting_a_record_keeps_its_history(owned_enterprise, alice):
    pk = owned_enterprise.pk
    with acting_as(alice, source="web"):
        owned_enterprise.delete()
    deleted = ObjectChange.objects.get(action="delete", object_id=str(pk))
    assert deleted.user_name == "alice" and deleted.prechange_data["name"] == "东区精密机械有限公司"
    assert ObjectChange.objects.filter(object_id=str(pk), action="create").exists()


# --- the auditor's pages ------------------------------------------------------------------


def at(*args):
    return datetime.datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def trail(db):
    """Changes by two users on two kinds of record over three days."""
    enterprise_type = ContentType.objects.get_for_model(Enterprise)
    contact_type = ContentType.objects.get_for_model(Contact)
    rows = [
        ("2025-03-01-企业修改", at(2025, 3, 1, 9), "alice", "update", enterprise_type),
        ("2025-03-03-联系人新建", at(2025, 3, 3, 1, 30), "alice", "create", contact_type),  # 2 March in UTC
        ("2025-03-03-企业删除", at(2025, 3, 3, 8), "bob", "delete", enterprise_type),
    ]
    with suspended(connection, "db_time"):  # back-dated on purpose
        for repr_, time, user_name, action, content_type in rows:
            ObjectChange.objects.create(
                time=time, user_name=user_name, action=action, content_type=content_type, object_id="999", object_repr=repr_
            )
    return [r[0] for r in rows]


def shown(response, names):
    page = response.content.decode()
    return [name for name in names if name in page]


@pytest.mark.django_db
def test_auditor_lists_and_filters_changes(client, auditor, trail):
    client.force_login(auditor)
    url = reverse("core:objectchange_list")
    assert shown(client.get(url, {"until": "2025-12-31"}), trail) == trail
    assert shown(client.get(url, {"until": "2025-12-31"}), ["安全管理员-权限"]) == []  # seeded in 2026
    assert shown(client.get(url, {"user_name": "alice"}), trail) == trail[:2]
    assert shown(client.get(url, {"action": "delete"}), trail) == trail[2:]
    contact_type = ContentType.objects.get_for_model(Contact)
    assert shown(client.get(url, {"content_type": contact_type.pk}), trail) == trail[1:2]
    # Dates are the committee's local dates (Beijing time), not UTC ones.
    assert shown(client.get(url, {"since": "2025-03-02", "until": "2025-03-02"}), trail) == []
    assert shown(client.get(url, {"since": "2025-03-03", "until": "2025-03-03"}), trail) == trail[1:]
    assert shown(client.get(url, {"since": "2025-03-02", "until": "2025-12-31"}), trail) == trail[1:]
    assert shown(client.get(url, {"until": "2025-03-01"}), trail) == trail[:1]
    assert shown(client.get(url, {"q": "企业删除"}), trail) == trail[2:]


@pytest.mark.django_db
def test_auditor_reads_one_change_with_before_and_after(client, auditor, alice, owned_enterprise):
    with acting_as(alice, source="web"):
        owned_enterprise.name = "东区精密机械股份有限公司"
        owned_enterprise.save()
    change = ObjectChange.objects.get(action="update", object_id=str(owned_enterprise.pk))
    client.force_login(auditor)
    page = client.get(reverse("core:objectchange", args=[change.pk])).content.decode()
    assert "<td>企业名称</td><td>东区精密机械有限公司</td><td>东区精密机械股份有限公司</td>" in page
    assert "alice" in page


@pytest.mark.django_db
def test_auditor_lists_and_filters_events(client, auditor, alice, bob):
    audit("login_failed", user=alice, detail="密码错误（第1次）")
    audit("lockout", user=alice, detail="连续5次登录失败")
    audit("export", user=bob, detail="导出企业12行")
    client.force_login(auditor)
    url = reverse("core:auditevent_list")
    details = ["密码错误（第1次）", "连续5次登录失败", "导出企业12行"]
    assert shown(client.get(url), details) == details
    assert shown(client.get(url, {"kind": "lockout"}), details) == details[1:2]
    assert shown(client.get(url, {"kind": ["lockout", "export"]}), details) == details[1:]
    assert shown(client.get(url, {"q": "bob"}), details) == details[2:]


@pytest.mark.django_db
def test_auditor_export_of_the_trail_is_itself_audited(client, auditor, trail):
    client.force_login(auditor)
    response = client.get(reverse("core:objectchange_list"), {"user_name": "alice", "export": "xlsx"})
    assert response.status_code == 200
    exported = "\n".join(" ".join(str(v) for v in row if v is not None) for row in xlsx_rows(response))
    assert trail[0] in exported and trail[1] in exported and trail[2] not in exported
    event = AuditEvent.objects.get(kind="export")
    assert event.user_name == "auditor" and event.data["model"] == "core.objectchange"


@pytest.mark.django_db
def test_nobody_edits_the_trail_through_the_pages(client, auditor, change):
    client.force_login(auditor)
    page = client.get(reverse("core:objectchange_list")).content.decode()
    assert "新建变更记录" not in page and "/delete/" not in page
    assert client.post(reverse("core:objectchange", args=[change.pk]), {"user_name": "x"}).status_code in (403, 405)


# --- deployment -------------------------------------------------------------------------------


def test_production_settings_pass_check_deploy(tmp_path):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("YUANQU_", "DJANGO_", "DATABASE_URL"))}
    env = {
        **inherited,  # without the test run's own switches (e.g. DJANGO_ALLOW_ASYNC_UNSAFE)
        "YUANQU_DEBUG": "false",
        "YUANQU_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "YUANQU_ALLOWED_HOSTS": "yuanqu.example.gov.cn",
        "YUANQU_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "yuanqu.settings",
    }
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output
