"""``yuanqu export NAME FILE [--user USERNAME]``: the list page's Excel export, from the console."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.changelog import audit
from yuanqu.core.context import acting_as
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.excel import rows_to_xlsx
from yuanqu.utilities.importing import command_user, get_importer, importer_names


def table_rows(table):
    """Header and rows of a table's exported columns (as the list page's export)."""
    columns = [c for c in table.columns if c.name not in getattr(table, "exclude_from_export", ())]
    header = [str(c.header) for c in columns]
    rows = ([row.get_cell_value(c.name) for c in columns] for row in table.rows)
    return header, rows


class Command(BaseCommand):
    help = "把全部记录导出为 Excel（.xlsx），列与列表页的导出相同"

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"导出类型：{'、'.join(importer_names())}")
        parser.add_argument("file", help="要写入的 .xlsx 文件")
        parser.add_argument("--user", help="只导出该用户可导出的记录（默认为命令行，导出全部）")

    def handle(self, name, file, user=None, **options):
        importer_class = get_importer(name)
        if importer_class is None or importer_class.table is None:
            raise CommandError(f"未知的导出类型“{name}”，可用：{'、'.join(importer_names())}")
        model = importer_class.model
        acting = command_user(user)
        queryset = (importer_class.queryset if importer_class.queryset is not None else model.objects).all()
        if acting is not None:
            if not has_perm(acting, model, "export"):
                raise CommandError(f"用户“{acting.username}”没有导出{model._meta.verbose_name}的权限")
            queryset = restrict(queryset.all(), acting, "export")
        table = importer_class.table(queryset, user=acting, exporting=True)
        title = str(model._meta.verbose_name_plural)
        header, rows = table_rows(table)
        content, count = rows_to_xlsx(title, header, rows)
        path = Path(file)
        path.write_bytes(content)
        with acting_as(acting, source="cli"):
            audit(
                "export",
                user=acting,
                user_name="" if acting else "命令行",
                detail=f"导出{title}{count}行（命令行）",
                data={"model": model._meta.label_lower, "rows": count, "file": path.name},
            )
        self.stdout.write(self.style.SUCCESS(f"已导出{title} {count} 行到 {path}"))
