"""``yuanqu export NAME FILE [--period 2023-10] [--user USERNAME]``: the list page's Excel
export, from the console; apps add exports of their own with ``yuanqu.registry.register_exporter`` (a
class with ``model``, ``accepts_period``, ``title`` and ``export``, and optionally ``options``:
the ``ImportOption`` s its constructor takes, such as ``--year``)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.changelog import audit
from yuanqu.core.context import acting_as
from yuanqu.registry import exporters
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.excel import table_rows, write_xlsx
from yuanqu.utilities.importing import (
    command_user,
    declared_options,
    get_importer,
    importer_names,
    option_kwargs,
)


def export_names() -> list[str]:
    return sorted({*importer_names(), *exporters()})


class TableExporter:
    """The list page's export of an importer's model (``yuanqu export enterprises …``)."""

    accepts_period = False

    def __init__(self, importer_class):
        self.importer_class = importer_class
        self.model = importer_class.model
        self.title = str(self.model._meta.verbose_name_plural)

    def base_queryset(self):
        queryset = self.importer_class.queryset
        return (queryset if queryset is not None else self.model.objects).all()

    def export(self, queryset, user=None):
        """The table's exported columns, read as the list page's export reads them."""
        return table_rows(self.importer_class.table(queryset, user=user, exporting=True))


class Command(BaseCommand):
    help = "把全部记录导出为 Excel（.xlsx），列与列表页的导出相同；企业月报按月导出为导入格式"

    def add_arguments(self, parser):
        parser.add_argument("name", help=f"导出类型：{'、'.join(export_names())}")
        parser.add_argument("file", help="要写入的 .xlsx 文件")
        parser.add_argument("--period", help="数据所属月份，如 2023-10（企业月报等按月导出的类型需要）")
        parser.add_argument("--user", help="只导出该用户可导出的记录（默认为命令行，导出全部）")
        for option in declared_options(exporters().values()):
            parser.add_argument(f"--{option.name}", dest=f"option_{option.name}", help=option.help)

    def handle(self, name, file, user=None, period=None, **options):
        given = {o.name: options.get(f"option_{o.name}") for o in declared_options(exporters().values())}
        exporter = self.exporter(name, period, given)
        model = exporter.model
        acting = command_user(user)
        queryset = exporter.base_queryset() if hasattr(exporter, "base_queryset") else model.objects.all()
        if acting is not None:
            if not has_perm(acting, model, "export"):
                raise CommandError(f"用户“{acting.username}”没有导出{model._meta.verbose_name}的权限")
            queryset = restrict(queryset.all(), acting, "export")
        sheet = exporter.export(queryset, user=acting)
        header, rows = sheet
        title = exporter.title
        path = Path(file)
        # Written row by row, a block at a time, into the file (utilities.excel.write_xlsx).
        count = write_xlsx(path, title, header, rows, getattr(sheet, "figures", ()))
        data = {"model": model._meta.label_lower, "rows": count, "file": path.name}
        if exporter.accepts_period:
            data["period"] = f"{exporter.period:%Y-%m}"
        with acting_as(acting, source="cli"):
            audit(
                "export",
                user=acting,
                user_name="" if acting else "命令行",
                detail=f"导出{title}{count}行（命令行）",
                data=data,
            )
        self.stdout.write(self.style.SUCCESS(f"已导出{title} {count} 行到 {path}"))

    def exporter(self, name, period, given=None):
        exporter_class = exporters().get(name)
        what = f"导出类型“{name}”"
        if exporter_class is None:
            importer_class = get_importer(name)
            if importer_class is None or importer_class.table is None:
                raise CommandError(f"未知的导出类型“{name}”，可用：{'、'.join(export_names())}")
            if period:
                raise CommandError(f"导出类型“{name}”不按月份导出，不能使用 --period")
            option_kwargs(TableExporter, given or {}, what)  # a list page's export takes none
            return TableExporter(importer_class)
        kwargs = option_kwargs(exporter_class, given or {}, what)
        if exporter_class.accepts_period:
            if not period:
                raise CommandError(f"导出类型“{name}”须用 --period 指定月份，如 --period 2023-10")
            kwargs["period"] = period
        elif period:
            raise CommandError(f"导出类型“{name}”不按月份导出，不能使用 --period")
        try:
            return exporter_class(**kwargs)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
