"""``yuanqu check-draft FILE [--json]``: the draft check (材料校核) of a text report draft."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.documents.draftcheck import check, paragraphs


class Command(BaseCommand):
    help = "校核材料草稿：未填数字、重复句子和近似重复句子"

    def add_arguments(self, parser):
        parser.add_argument("file", help="草稿文件（UTF-8 文本，.txt）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if path.suffix.lower() in (".docx", ".doc"):
            raise CommandError("暂只支持文本文件（.txt），Word文件的校核将在后续版本提供", returncode=1)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{path}", returncode=1) from None
        except UnicodeDecodeError:
            raise CommandError(
                f"文件{path.name}不是 UTF-8 编码的文本，请另存为 UTF-8 后再校核", returncode=1
            ) from None
        findings = check(text)["findings"]
        if options["json"]:
            self.stdout.write(json.dumps({"findings": findings, "claims": []}, ensure_ascii=False, indent=2))
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
