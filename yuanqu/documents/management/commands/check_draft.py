"""``yuanqu check-draft FILE [--period 2026-10] [--json] [--out ANNOTATED.docx]
[--targets-xlsx OUT.xlsx] [--year 2027]``: the draft check (材料校核) of a report draft, a
text file (.txt/.md, UTF-8) or a Word document (.docx).

``--out`` writes the .docx back with each finding as a comment (a .docx draft only);
``--targets-xlsx`` writes the claims that are targets in the layout of ``yuanqu import
targets``, for a person to review and import. Findings do not change the exit status; a file
that cannot be read exits 1 with a Chinese line saying why.
"""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yuanqu.documents import wordfile
from yuanqu.documents.claims import target_rows, write_targets_xlsx
from yuanqu.documents.draftcheck import check, paragraphs
from yuanqu.utilities.periods import parse_period, parse_year

TEXT_SUFFIXES = (".txt", ".md", ".text", "")


class Command(BaseCommand):
    help = "校核材料草稿：未填数字、重复句子、近似重复句子、与记录不符和前后不一致的数字"

    def add_arguments(self, parser):
        parser.add_argument("file", help="草稿文件（UTF-8 文本 .txt/.md，或 Word 文档 .docx）")
        parser.add_argument("--period", help="草稿数字所属的月份（1–N月累计），如 2026-10；不填时从文中读取")
        parser.add_argument("--json", action="store_true", help="输出 JSON")
        parser.add_argument("--out", help="将问题作为批注写入草稿，另存为此 .docx 文件（仅 Word 草稿）")
        parser.add_argument("--targets-xlsx", help="将文中的目标写成目标责任书导入表（.xlsx）")
        parser.add_argument("--year", help="目标责任书的年度，如 2027（写导入表时使用；不填时取文中的年份）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        period = year = None
        try:
            if options["period"]:
                period = parse_period(options["period"])
            if options["year"]:
                year = parse_year(options["year"])
        except ValidationError as exc:
            raise CommandError(exc.messages[0], returncode=1) from None
        suffix = path.suffix.lower()
        if suffix == ".doc":
            raise CommandError("这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再校核", returncode=1)
        if suffix != ".docx" and suffix not in TEXT_SUFFIXES:
            raise CommandError(
                f"不支持的文件类型“{path.suffix}”，请提供 .txt、.md 或 .docx 文件", returncode=1
            )
        if options["out"] and suffix != ".docx":
            raise CommandError("--out 只适用于 Word 草稿（.docx）", returncode=1)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{path}", returncode=1) from None
        except OSError as exc:
            raise CommandError(f"无法读取文件{path.name}：{exc.strerror}", returncode=1) from None
        if suffix == ".docx":
            try:
                text = wordfile.read_docx(data)
            except ValueError as exc:
                raise CommandError(f"{path.name}：{exc}", returncode=1) from None
        else:
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise CommandError(
                    f"文件{path.name}不是 UTF-8 编码的文本，请另存为 UTF-8 后再校核", returncode=1
                ) from None
        result = check(text, period=period)
        findings = result["findings"]
        try:
            if options["out"]:
                Path(options["out"]).write_bytes(wordfile.annotate_docx(data, findings))
            if options["targets_xlsx"]:
                rows = target_rows(result["claims"], text, year=year)
                write_targets_xlsx(options["targets_xlsx"], rows)
                if not options["json"]:
                    self.stdout.write(f"已写出 {len(rows)} 个目标：{options['targets_xlsx']}")
        except OSError as exc:
            raise CommandError(f"无法写入文件{exc.filename or ''}：{exc.strerror}", returncode=1) from None
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
            return
        lines = paragraphs(text)
        for f in findings:
            line = lines[f["paragraph"] - 1]
            # the words around it, so the line can be found in the draft without counting
            around = line[max(0, f["start"] - 8) : f["end"] + 6].strip()
            where = f"第{f['paragraph']}段 第{f['start'] + 1}–{f['end']}字"
            self.stdout.write(
                f"{where} {f['message']}" + (f"（“{around}”）" if f["kind"] == "placeholder" else "")
            )
        self.stdout.write(f"共发现 {len(findings)} 处问题" if findings else "未发现问题")
