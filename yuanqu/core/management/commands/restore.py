"""``yuanqu restore FILE [--force]``: replace the database with a backup of ``yuanqu backup``
after checking its checksum and schema; see yuanqu.core.backup. Recorded in the audit log of
the restored database as an import."""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from yuanqu.core.backup import BackupError, missing_migrations, record, restore


class Command(BaseCommand):
    help = "从 yuanqu backup 的备份恢复整个数据库：先核对校验值和数据库结构；目标库已有数据时须加 --force"

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件（旁边须有同名的 .json 说明文件）")
        parser.add_argument("--force", action="store_true", help="目标数据库已有数据时也覆盖")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名（默认 default）")

    def handle(self, file, force, database, **options):
        try:
            result = restore(file, using=database, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        record(
            "import",
            f"从 {result.path.name} 恢复数据库（备份于 {manifest['created'][:16].replace('T', ' ')}）",
            {
                "operation": "restore",
                "file": result.path.name,
                "created": manifest["created"],
                "sha256": manifest["sha256"],
                "forced": force,
            },
            using=database,
        )
        self.stdout.write(self.style.SUCCESS(f"已从 {result.path} 恢复数据库（校验一致）"))
        older = missing_migrations(manifest["migrations"])
        if older:
            self.stdout.write(f"备份的数据库结构比本程序旧（缺 {len(older)} 个迁移），请运行 yuanqu migrate")
        connections[database].close()
