"""``yuanqu report KIND (--period M | --date D | --year Y) [--out FILE.docx] [--html FILE]
[--pdf FILE] [--figures FILE.json]``: a report from the shipped templates."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.documents.reports import KINDS, ReportError, generate


class Command(BaseCommand):
    help = "生成材料：周通报（weekly）、月度经济运行分析（monthly）、年度工作总结（annual）、年度工作要点（plan）"

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS), help="报告类型")
        parser.add_argument("--period", help="月份，如 2026-10（月度经济运行分析）")
        parser.add_argument("--date", help="日期，如 2026-10-30（周通报）")
        parser.add_argument("--year", help="年份，如 2025（年度工作总结、年度工作要点）")
        parser.add_argument("--template", help="模板文件（UTF-8），代替内置模板")
        parser.add_argument("--out", help="写出 Word 文件（.docx）")
        parser.add_argument("--html", help="写出 HTML 文件")
        parser.add_argument("--pdf", help="写出 PDF 文件（需安装 LibreOffice）")
        parser.add_argument("--figures", help="写出数据清单（JSON）")

    def handle(self, *args, **options):
        template = None
        if options["template"]:
            try:
                template = Path(options["template"]).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                raise CommandError(
                    f"模板文件{options['template']}不存在或不是 UTF-8 文本", returncode=1
                ) from None
        try:
            report = generate(
                options["kind"],
                period=options["period"],
                date=options["date"],
                year=options["year"],
                template_text=template,
            )
        except ReportError as exc:
            raise CommandError(str(exc), returncode=1) from None
        written = []
        try:
            if options["out"]:
                Path(options["out"]).write_bytes(report.to_docx())
                written.append(options["out"])
            if options["html"]:
                Path(options["html"]).write_text(report.html(), encoding="utf-8")
                written.append(options["html"])
            if options["figures"]:
                text = json.dumps(report.figures_json(), ensure_ascii=False, indent=2)
                Path(options["figures"]).write_text(text, encoding="utf-8")
                written.append(options["figures"])
            if options["pdf"]:
                pdf = report.pdf()
                if pdf is None:
                    raise CommandError("未安装 LibreOffice（soffice），不能生成 PDF", returncode=1)
                Path(options["pdf"]).write_bytes(pdf)
                written.append(options["pdf"])
        except OSError as exc:
            raise CommandError(f"不能写出文件：{exc.filename}（{exc.strerror}）", returncode=1) from None
        where = "、".join(written) if written else "（未指定 --out/--html/--figures，未写出文件）"
        self.stdout.write(f"已生成《{report.title}》：{len(report.figures)}个数据，写出 {where}")
