"""``yuanqu backup FILE``: the whole database into FILE and its manifest FILE.json (SHA-256,
schema state); see yuanqu.core.backup. Recorded in the audit log as an export."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from yuanqu.core.backup import BackupError, backup, manifest_path, record


class Command(BaseCommand):
    help = (
        "备份整个数据库（SQLite：在线备份；PostgreSQL：pg_dump -Fc），另写 FILE.json 记录校验值和数据库结构"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="要写入的备份文件（不覆盖已有文件）")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名（默认 default）")

    def handle(self, file, database, **options):
        try:
            result = backup(file, using=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        record(
            "export",
            f"备份数据库到 {result.path.name}（{result.size} 字节）",
            {
                "operation": "backup",
                "file": result.path.name,
                "vendor": manifest["vendor"],
                "size": result.size,
                "sha256": manifest["sha256"],
            },
            using=database,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份数据库到 {result.path}（{result.size} 字节，SHA-256 {manifest['sha256']}），"
                f"说明文件 {manifest_path(result.path)}"
            )
        )
