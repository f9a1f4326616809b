"""``yuanqu check-draft FILE [--json]``."""

import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from yuanqu.cli import ALIASES

SAMPLE = Path(__file__).parent / "samples" / "003_92d85f14430dc49d.txt"

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("check_draft", *args, stdout=out)
    return out.getvalue()


def test_json_has_findings_and_claims(tmp_path):
    draft = tmp_path / "draft.txt"
    shutil.copy(SAMPLE, draft)
    result = json.loads(run(str(draft), "--json"))
    assert set(result) == {"findings", "claims"}
    assert all(claim["paragraph"] >= 1 for claim in result["claims"])
    assert len(result["findings"]) == 43
    assert set(result["findings"][0]) == {"kind", "paragraph", "start", "end", "text", "message"}


def test_plain_output_is_one_chinese_line_per_finding(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("概况\n全年完成投资***亿元。\n", encoding="utf-8")
    assert run(str(draft)).splitlines() == [
        "第2段 第7–9字 未填数字：“***”（“全年完成投资***亿元。”）",
        "共发现 1 处问题",
    ]


def test_a_broken_word_file_is_refused_with_exit_1(tmp_path):
    draft = tmp_path / "draft.docx"
    draft.write_bytes(b"PK\x03\x04")
    with pytest.raises(CommandError, match="draft.docx：文件不是 Word 文档（.docx）") as caught:
        run(str(draft))
    assert caught.value.returncode == 1


def test_a_file_not_in_utf8_is_refused(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_bytes("全年完成投资***亿元".encode("gbk"))
    with pytest.raises(CommandError, match="不是 UTF-8 编码") as caught:
        run(str(draft))
    assert caught.value.returncode == 1


def test_console_name():
    assert ALIASES["check-draft"] == "check_draft"
