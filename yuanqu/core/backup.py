"""Backup and restore of the whole database (``yuanqu backup FILE``, ``yuanqu restore FILE``).

A backup is two files:

- ``FILE``: the database itself — on SQLite a database file written with the online backup
  API (consistent while the site runs; rollback-journal mode, so it opens read-only and its
  bytes do not change when read), on PostgreSQL a ``pg_dump -Fc`` archive. Either opens with
  the standard tools (``sqlite3 FILE``, ``pg_restore -l FILE``).
- ``FILE.json``, the manifest: its SHA-256 and size, the database kind, when it was taken
  and the schema state (the applied migrations, app by app).

A restore checks the manifest before touching anything: the checksum, the database kind,
that the code knows every migration the backup has (a backup from newer code is refused),
and that the target is empty unless forced. Both are recorded in the audit log (an export of
everything, an import of everything).

On PostgreSQL with two roles (docs/deployment.md) ``pg_restore`` recreates the tables, which
the default privileges then grant to the application role in full, audit tables included. With
``YUANQU_DB_APP_ROLE`` set, the restore re-applies the grants of "after every migrate" in its
own transaction: the application role may again only INSERT and SELECT the audit tables.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "yuanqu-backup"
VERSION = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the user, in Chinese."""


@dataclass
class Result:
    path: Path
    manifest: dict

    @property
    def size(self) -> int:
        return self.manifest["size"]


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def applied_migrations(connection) -> dict[str, list[str]]:
    """The applied migrations by app, as the database records them ({} if never migrated)."""
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def unknown_migrations(applied: dict[str, list[str]]) -> list[str]:
    """The applied migrations this code does not have: the backup's schema is newer."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in sorted(applied.items())
        for name in names
        if (app, name) not in known
    ]


def missing_migrations(applied: dict[str, list[str]]) -> list[str]:
    """This code's migrations the backup has not applied: its schema is older."""
    done = {(app, name) for app, names in applied.items() for name in names}
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return sorted(f"{app}.{name}" for app, name in known if (app, name) not in done)


# -- PostgreSQL tools ------------------------------------------------------------------------

LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: the newest installed server version's, else the one on PATH."""
    installed = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    found = str(installed[-1]) if installed else shutil.which(name)
    if not found:
        raise BackupError(f"找不到 PostgreSQL 工具 {name}，请安装与数据库服务器同版本的 PostgreSQL 客户端")
    return found


def pg_environment(connection) -> dict[str, str]:
    """libpq's variables for the connection: the password never appears on a command line."""
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    for option, variable in LIBPQ_OPTIONS.items():
        if settings.get("OPTIONS", {}).get(option):
            env[variable] = str(settings["OPTIONS"][option])
    return env


def run_tool(command: list[str], connection, what: str) -> None:
    done = subprocess.run(command, env=pg_environment(connection), capture_output=True, text=True)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or [f"退出码 {done.returncode}"])[-1]
        raise BackupError(f"{what}失败：{reason}")


# -- backup ----------------------------------------------------------------------------------


def backup(path: Path, using: str = "default") -> Result:
    """Write the database to ``path`` and its manifest beside it; refuses to overwrite."""
    connection = connections[using]
    path = Path(path)
    manifest_file = manifest_path(path)
    for existing in (path, manifest_file):
        if existing.exists():
            raise BackupError(f"文件 {existing} 已存在，不覆盖已有备份，请换一个文件名")
    if not path.parent.is_dir():
        raise BackupError(f"目录 {path.parent} 不存在")
    applied = applied_migrations(connection)
    if not applied:
        raise BackupError("数据库尚未建立（未运行 yuanqu migrate），没有可备份的内容")
    taken = timezone.now()
    partial = path.with_name(f".{path.name}.partial")
    try:
        if connection.vendor == "sqlite":
            _backup_sqlite(connection, partial)
        elif connection.vendor == "postgresql":
            run_tool([pg_tool("pg_dump"), "--format=custom", f"--file={partial}"], connection, "pg_dump 备份")
        else:
            raise BackupError(f"不支持备份 {connection.vendor} 数据库（支持 SQLite 和 PostgreSQL）")
        os.chmod(partial, 0o600)  # it holds every record, personal data included
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "vendor": connection.vendor,
            "created": taken.isoformat(),
            "file": path.name,
            "size": partial.stat().st_size,
            "sha256": sha256(partial),
            "migrations": applied,
        }
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    manifest_partial = manifest_file.with_name(f".{manifest_file.name}.partial")
    manifest_partial.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.chmod(manifest_partial, 0o600)
    os.replace(manifest_partial, manifest_file)
    return Result(path, manifest)


def _backup_sqlite(connection, target: Path) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("不能在事务中备份 SQLite 数据库")
    destination = sqlite3.connect(target)
    try:
        connection.connection.backup(destination)
        # A backup of a WAL database is in WAL mode too; rollback mode keeps it one file
        # whose bytes stay as checksummed when it is opened.
        destination.execute("PRAGMA journal_mode=DELETE")
        destination.commit()
    finally:
        destination.close()


# -- restore ---------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    path = Path(path)
    manifest_file = manifest_path(path)
    if not path.is_file():
        raise BackupError(f"备份文件 {path} 不存在")
    if not manifest_file.is_file():
        raise BackupError(f"找不到备份说明文件 {manifest_file}（其中有校验值和数据库结构），不能确认备份完整")
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BackupError(f"备份说明文件 {manifest_file} 无法读取（不是有效的 JSON）") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_file} 不是 yuanqu 的备份说明文件")
    if manifest.get("version") != VERSION:
        raise BackupError(f"备份格式版本 {manifest.get('version')} 不受支持（本程序支持版本 {VERSION}）")
    return manifest


def verify(path: Path, manifest: dict) -> None:
    actual = sha256(path)
    if actual != manifest.get("sha256"):
        raise BackupError(
            f"备份文件 {path} 校验失败：SHA-256 应为 {manifest.get('sha256')}，实际为 {actual}；文件已损坏或被改动，未恢复"
        )


def is_empty(connection) -> bool:
    """Nobody has worked in this database: no user account, no audit event and no change
    but the system's (what the migrations seed). A database never migrated is empty too."""
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables:
        return True
    with connection.cursor() as cursor:
        for table, condition in (
            ("users_user", ""),
            ("core_auditevent", ""),
            ("core_objectchange", " WHERE source <> 'system'"),
        ):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)}{condition} LIMIT 1")  # noqa: S608
                if cursor.fetchone():
                    return False
    return True


def restore(path: Path, using: str = "default", force: bool = False) -> Result:
    """Replace the database ``using`` with the backup at ``path`` (checked first)."""
    connection = connections[using]
    path = Path(path)
    manifest = read_manifest(path)
    verify(path, manifest)
    if manifest.get("vendor") != connection.vendor:
        raise BackupError(
            f"备份来自 {manifest.get('vendor')} 数据库，当前数据库是 {connection.vendor}，不能直接恢复"
        )
    newer = unknown_migrations(manifest.get("migrations") or {})
    if newer:
        raise BackupError(
            f"备份的数据库结构比本程序新（本程序没有迁移 {'、'.join(newer[:5])}"
            f"{' 等' if len(newer) > 5 else ''}），请先升级 yuanqu 再恢复"
        )
    if not force and not is_empty(connection):
        raise BackupError("目标数据库中已有数据（用户、变更记录或安全事件）；确认要覆盖时加 --force")
    role = settings.YUANQU_DB_APP_ROLE if connection.vendor == "postgresql" else ""
    if role and not role_exists(connection, role):
        raise BackupError(f"YUANQU_DB_APP_ROLE 指定的应用角色“{role}”在数据库中不存在，未恢复")
    if connection.vendor == "sqlite":
        _restore_sqlite(connection, path)
    else:
        run_tool(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(path),
            ],
            connection,
            "pg_restore 恢复",
        )
        if role:
            grant_application_role(connection, role)
    return Result(path, manifest)


def role_exists(connection, role: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
        return cursor.fetchone() is not None


def grant_application_role(connection, role: str) -> None:
    """docs/deployment.md's grants "after every migrate": every table and sequence to the
    application role, then the audit tables back to INSERT and SELECT only."""
    from .dbguard import TABLES

    quote = connection.ops.quote_name
    grantee, audit_tables = quote(role), ", ".join(quote(table) for table in TABLES)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for statement in (
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {grantee}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {grantee}",
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit_tables} FROM {grantee}",
            f"GRANT SELECT, INSERT ON {audit_tables} TO {grantee}",
        ):
            cursor.execute(statement)


def _restore_sqlite(connection, path: Path) -> None:
    connection.close()
    connection.ensure_connection()
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)  # one step: the target changes all at once
    finally:
        source.close()
    # The backup is in rollback mode; the restored database runs as configured again.
    connection.close()


def record(kind: str, detail: str, data: dict, using: str = "default"):
    """The audit event of a backup (``export``) or restore (``import``), from the console,
    in the database the command worked on (a restore: the restored one)."""
    from django.db import DEFAULT_DB_ALIAS

    from .changelog import audit
    from .context import acting_as
    from .models import AuditEvent

    with acting_as(None, source="cli"):
        if using == DEFAULT_DB_ALIAS:
            return audit(kind, user_name="命令行", detail=detail, data=data)
        event = AuditEvent(kind=kind, user_name="命令行", source="cli", detail=detail, data=data)
        event.save(using=using)
        return event
