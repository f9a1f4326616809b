"""``yuanqu backup`` / ``yuanqu restore`` on the database the suite is given (SQLite by
default, PostgreSQL when DATABASE_URL says so): a backup restored into an empty database has
every table row for row; a damaged file, a backup from newer code and a non-empty target are
refused with a Chinese message and change nothing."""

import io
import json
import stat
import uuid

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend

from yuanqu.core import chain
from yuanqu.core.backup import manifest_path
from yuanqu.core.changelog import record_change
from yuanqu.core.context import acting_as
from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.enterprises.models import Enterprise
from yuanqu.users.models import User
from yuanqu.utilities.testing import factories as f

ALIAS = "restored"


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def tables(conn):
    """Every table's rows, sorted, read through the connection."""
    dump = {}
    with conn.cursor() as cursor:
        for table in sorted(conn.introspection.table_names()):
            cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)}")  # noqa: S608
            columns = [c[0] for c in cursor.description]
            dump[table] = (columns, sorted((tuple(row) for row in cursor.fetchall()), key=repr))
    return dump


@pytest.fixture
def empty_database(tmp_path, django_db_blocker):
    """A second, empty database of the same kind, as the alias ``restored``."""
    base = connections.settings["default"]
    if connection.vendor == "sqlite":
        config = {
            **base,
            "NAME": str(tmp_path / "restored.sqlite3"),
            "OPTIONS": dict(settings.YUANQU_SQLITE_OPTIONS),
        }
    else:
        name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
        config = {**base, "NAME": name}
    # Made by a handler of its own and set on the global one without settings: a connection
    # the test case did not declare, which the commands reach by --database.
    restored = load_backend(config["ENGINE"]).DatabaseWrapper(config, ALIAS)
    connections[ALIAS] = restored
    try:
        yield restored
    finally:
        restored.close()
        del connections[ALIAS]
        if connection.vendor == "postgresql":
            with django_db_blocker.unblock(), connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)}")


def some_work():
    """Records of several kinds, as people leave them: accounts, enterprises, the change log."""
    dept = f.department("招商局")
    alice = f.user("alice", dept=dept, name="王丽", mobile="13800000001")
    for n in range(1, 6):
        f.enterprise(name=f"备份测试企业{n}有限公司", dept=dept, uscc=f.uscc(700000 + n))
    with acting_as(alice, source="web"):
        enterprise = Enterprise.objects.first()
        record_change(enterprise, "update", {"name": "旧名"}, {"name": enterprise.name}, message="改名")
    AuditEvent.objects.create(kind="login", user_id=alice.pk, user_name="alice", ip="10.0.0.8", source="web")


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_every_table_row_for_row(tmp_path, empty_database):
    some_work()
    before = tables(connection)
    path = tmp_path / "yuanqu.backup"
    message = run("backup", str(path))
    assert f"已备份数据库到 {path}" in message

    manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
    assert manifest["vendor"] == connection.vendor
    assert manifest["size"] == path.stat().st_size
    assert "0001_initial" in manifest["migrations"]["core"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    backed_up = AuditEvent.objects.get(kind="export", data__operation="backup")
    assert backed_up.user_name == "命令行" and backed_up.data["sha256"] == manifest["sha256"]

    assert "已从" in run("restore", str(path), "--database", ALIAS)
    after = tables(empty_database)
    assert after.keys() == before.keys()
    for table, (columns, rows) in before.items():
        if table in ("core_auditevent", "core_auditchain"):  # the restore's own event, and the head past it
            continue
        assert after[table] == (columns, rows), table
    # The audit log: as backed up, plus the restore itself, written into the restored database.
    columns, rows = after["core_auditevent"]
    assert len(rows) == len(before["core_auditevent"][1]) + 1
    restored = AuditEvent.objects.using(ALIAS).get(kind="import")
    assert restored.data["operation"] == "restore" and restored.data["sha256"] == manifest["sha256"]
    assert User.objects.using(ALIAS).get(username="alice").mobile == "13800000001"
    # the restored trail still verifies, the restore's own event linked onto it
    for model in (AuditEvent, ObjectChange):
        assert chain.verify(model, using=ALIAS)[1] is None
    if connection.vendor == "sqlite":  # the restored file runs in WAL mode, as configured
        empty_database.close()
        with empty_database.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_file_a_newer_schema_and_a_database_in_use(tmp_path, empty_database):
    some_work()
    path = tmp_path / "yuanqu.backup"
    run("backup", str(path))
    with pytest.raises(CommandError, match="已存在，不覆盖已有备份"):
        run("backup", str(path))

    manifest_file = manifest_path(path)
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    # A backup taken by newer code: a migration this code does not have.
    newer = {
        **manifest,
        "migrations": {**manifest["migrations"], "core": [*manifest["migrations"]["core"], "9999_later"]},
    }
    manifest_file.write_text(json.dumps(newer), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        run("restore", str(path), "--database", ALIAS)
    assert (
        str(refused.value)
        == "备份的数据库结构比本程序新（本程序没有迁移 core.9999_later），请先升级 yuanqu 再恢复"
    )
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")

    # One byte changed: the checksum names what it expected and what it found.
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged = tmp_path / "damaged.backup"
    damaged.write_bytes(bytes(data))
    manifest_path(damaged).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(
        CommandError, match=f"校验失败：SHA-256 应为 {manifest['sha256']}，实际为 [0-9a-f]{{64}}"
    ):
        run("restore", str(damaged), "--database", ALIAS)
    with pytest.raises(CommandError, match="找不到备份说明文件"):
        path.with_name("alone.backup").write_bytes(b"x")
        run("restore", str(tmp_path / "alone.backup"), "--database", ALIAS)
    assert tables(empty_database) == {}  # nothing was written by the refused restores

    # The database in use is not empty: only --force overwrites it.
    with pytest.raises(CommandError, match="目标数据库中已有数据.*加 --force"):
        run("restore", str(path))
    Enterprise.objects.filter(name="备份测试企业1有限公司").update(name="恢复前改的名字")
    assert "已从" in run("restore", str(path), "--force")
    assert Enterprise.objects.filter(name="备份测试企业1有限公司").exists()
    assert not Enterprise.objects.filter(name="恢复前改的名字").exists()


def audit_grants(conn, role):
    """{table: privileges} the role holds on the audit tables and on one business table."""
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, privilege_type FROM information_schema.role_table_grants "
            "WHERE grantee = %s AND table_name IN ('core_objectchange', 'core_auditevent', 'enterprises_enterprise')",
            [role],
        )
        grants = {}
        for table, privilege in cursor.fetchall():
            grants.setdefault(table, set()).add(privilege)
    return grants


@pytest.mark.django_db(transaction=True)
def test_restore_gives_the_application_role_its_grants_again(
    tmp_path, empty_database, settings, django_db_blocker
):
    """docs/deployment.md, two roles: pg_restore recreates the tables and the default privileges
    grant them to the application role in full; with YUANQU_DB_APP_ROLE the restore takes
    UPDATE, DELETE and TRUNCATE on the audit tables away again. A role that does not exist is
    refused before anything is restored. (SQLite has no roles: the setting changes nothing.)"""
    some_work()
    path = tmp_path / "yuanqu.backup"
    run("backup", str(path))
    settings.YUANQU_DB_APP_ROLE = "yuanqu_app_missing"
    if connection.vendor == "sqlite":
        assert "已从" in run("restore", str(path), "--database", ALIAS)
        assert Enterprise.objects.using(ALIAS).count() == 5
        return
    with pytest.raises(CommandError) as refused:
        run("restore", str(path), "--database", ALIAS)
    assert (
        str(refused.value) == "YUANQU_DB_APP_ROLE 指定的应用角色“yuanqu_app_missing”在数据库中不存在，未恢复"
    )
    assert tables(empty_database) == {}

    role = f"yuanqu_app_{uuid.uuid4().hex[:8]}"
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
    try:
        # What the default privileges of the owner would give a recreated table: everything.
        with empty_database.cursor() as cursor:
            cursor.execute(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO {role}")
        settings.YUANQU_DB_APP_ROLE = role
        assert "已从" in run("restore", str(path), "--database", ALIAS)
        grants = audit_grants(empty_database, role)
        assert grants["core_objectchange"] == grants["core_auditevent"] == {"INSERT", "SELECT"}
        assert {"SELECT", "INSERT", "UPDATE", "DELETE"} <= grants["enterprises_enterprise"]
    finally:
        with empty_database.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
        empty_database.close()
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(f"DROP ROLE {role}")
