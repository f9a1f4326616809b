"""``yuanqu import NAME FILE [--period 2023-10] [--dry-run] [--user USERNAME]``: the web import,
from the console. An importer's own options (``options``, e.g. ``--year 2023`` of the target
sheet) are offered here too; a type that does not declare one refuses it."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.context import acting_as
from yuanqu.registry import importers
from yuanqu.users.permissions import has_perm
from yuanqu.utilities.importing import (
    command_user,
    declared_options,
    get_importer,
    importer_names,
    option_kwargs,
    run_import,
)


def extra_options():
    return declared_options(importers().values())


class Command(BaseCommand):
    help = "从 Excel（.xlsx）导入数据：先检查全部行，没有错误才一次写入（--dry-run 只检查）"

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"导入类型：{'、'.join(importer_names())}")
        parser.add_argument("file", help=".xlsx 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查并显示结果，不写入")
        parser.add_argument("--user", help="以该用户的身份和权限导入（默认为命令行，拥有全部权限）")
        parser.add_argument("--period", help="数据所属月份，如 2023-10（企业月报等按月导入的类型需要）")
        for option in extra_options():
            parser.add_argument(f"--{option.name}", dest=f"option_{option.name}", help=option.help)

    def handle(self, name, file, dry_run=False, user=None, period=None, **options):
        importer_class = get_importer(name)
        if importer_class is None:
            raise CommandError(f"未知的导入类型“{name}”，可用：{'、'.join(importer_names())}")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        kwargs = {}
        if importer_class.accepts_period:
            if not period:
                raise CommandError(f"导入类型“{name}”须用 --period 指定月份，如 --period 2023-10")
            kwargs["period"] = period
        elif period:
            raise CommandError(f"导入类型“{name}”不按月份导入，不能使用 --period")
        given = {o.name: options.get(f"option_{o.name}") for o in extra_options()}
        kwargs.update(option_kwargs(importer_class, given, f"导入类型“{name}”"))
        acting = command_user(user)
        if acting is not None and not has_perm(acting, importer_class.model, "import"):
            raise CommandError(
                f"用户“{acting.username}”没有导入{importer_class.model._meta.verbose_name}的权限"
            )
        try:
            importer = importer_class(user=acting, **kwargs)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        with acting_as(acting, source="cli"), path.open("rb") as handle:
            result = run_import(importer, handle, path.name, commit=not dry_run)
        self.stdout.write(f"文件：{path.name}")
        if not result.rejected_file:
            self.stdout.write(result.summary())
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))
        if not result.ok:
            self.stdout.write(f"错误 {len(result.errors)} 处：")
            for error in result.errors:
                self.stdout.write(str(error))
            raise CommandError("导入未通过检查，没有写入任何数据", returncode=1)
        if dry_run:
            self.stdout.write(self.style.SUCCESS("检查通过（试运行，未写入任何数据）"))
        else:
            self.stdout.write(self.style.SUCCESS(f"导入完成：{result.summary()}"))
