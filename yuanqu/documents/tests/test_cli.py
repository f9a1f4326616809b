"""``yuanqu check-draft FILE [--period] [--json] [--out] [--targets-xlsx] [--year]``."""

import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from yuanqu.cli import ALIASES
from yuanqu.documents.tests.test_wordfile import as_docx, comments

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


PLAN = (
    "2027年工作要点\n"
    "2027年主要目标：地区生产总值增长9%以上，引进亿元以上项目78个，新增企业1200家，"
    "实际使用外资1.5亿美元以上，安全生产事故控制在3件以内，社会消费品零售总额增长8%左右，"
    "研发投入强度提高0.3个百分点。\n"
    "2026年，地区生产总值120亿元，新增企业1100家。\n"
)


def test_a_word_draft_is_checked_and_given_back_with_comments(tmp_path):
    draft = tmp_path / "草稿.docx"
    draft.write_bytes(as_docx("概况\n全年完成投资***亿元。\n2026年，帮扶农户50户。\n2026年，帮扶农户60户。"))
    out = tmp_path / "批注.docx"
    lines = run(str(draft), "--out", str(out)).splitlines()
    assert lines == [
        "第2段 第7–9字 未填数字：“***”（“全年完成投资***亿元。”）",
        "第4段 第11–13字 与第3段“帮扶农户”的数值不一致：50户／60户",
        "共发现 2 处问题",
    ]
    assert [(text, message) for text, message, _ in comments(out.read_bytes())] == [
        ("***", "未填数字：“***”"),
        ("60户", "与第3段“帮扶农户”的数值不一致：50户／60户"),
    ]


def test_the_period_option_dates_every_claim(tmp_path):
    draft = tmp_path / "draft.md"
    draft.write_text("地区生产总值120亿元。", encoding="utf-8")
    (claim,) = json.loads(run(str(draft), "--period", "2026-10", "--json"))["claims"]
    assert claim["period"] == "2026-10" and claim["figure_key"] == "economy.gdp"


def test_plan_targets_are_written_in_the_import_layout_and_import(tmp_path):
    draft = tmp_path / "要点.txt"
    draft.write_text(PLAN, encoding="utf-8")
    sheet = tmp_path / "目标.xlsx"
    assert run(str(draft), "--targets-xlsx", str(sheet)).splitlines()[0] == f"已写出 6 个目标：{sheet}"
    rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    assert rows[0] == (
        "年度",
        "指标",
        "类型",
        "目标值",
        "单位",
        "口径",
        "责任单位",
        "数据项",
        "片区",
        "口径部门",
    )
    assert rows[1:] == [
        (2027, "地区生产总值", "增速", 9, "%", "以上", None, "economy.gdp", None, None),
        (2027, "亿元以上项目", "总量", 78, "个", None, None, "investment.signed_100m", None, None),
        (2027, "新增企业", "总量", 1200, "家", None, None, "enterprises.founded", None, None),
        (
            2027,
            "实际使用外资",
            "总量",
            1.5,
            "亿美元",
            "以上",
            None,
            "economy.foreign_investment_used",
            None,
            None,
        ),
        (2027, "安全生产事故", "总量", 3, "件", "以内", None, None, None, None),
        (2027, "社会消费品零售总额", "增速", 8, "%", "左右", None, "economy.retail_sales", None, None),
    ]
    out = io.StringIO()
    call_command("import", "targets", str(sheet), "--dry-run", stdout=out)
    assert "新增 6 行" in out.getvalue() and "检查通过（试运行，未写入任何数据）" in out.getvalue()


def test_a_target_of_a_zone_goes_to_the_zone_column(tmp_path, east):
    draft = tmp_path / "要点.txt"
    draft.write_text("2027年，力争东区规上工业总产值达到150亿元。", encoding="utf-8")
    sheet = tmp_path / "目标.xlsx"
    run(str(draft), "--targets-xlsx", str(sheet))
    rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    assert rows[1:] == [
        (2027, "规上工业总产值", "总量", 150, "亿元", None, None, "economy.industrial_output", "东区", None)
    ]
    out = io.StringIO()
    call_command("import", "targets", str(sheet), "--dry-run", stdout=out)
    assert "新增 1 行" in out.getvalue()


def test_the_year_option_sets_the_targets_year(tmp_path):
    draft = tmp_path / "要点.txt"
    draft.write_text("力争新增企业1200家。", encoding="utf-8")
    sheet = tmp_path / "目标.xlsx"
    run(str(draft), "--targets-xlsx", str(sheet), "--year", "2028")
    rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    assert [row[:4] for row in rows[1:]] == [(2028, "新增企业", "总量", 1200)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2026-13"), "月份“2026-13”格式不对"),
        (("--year", "二〇二七"), "年份“二〇二七”格式不对"),
        (("--out", "x.docx"), "--out 只适用于 Word 草稿（.docx）"),
    ],
)
def test_bad_options_are_refused_with_exit_1(tmp_path, args, message):
    draft = tmp_path / "draft.txt"
    draft.write_text("新增企业50家。", encoding="utf-8")
    with pytest.raises(CommandError, match=message) as caught:
        run(str(draft), *args)
    assert caught.value.returncode == 1


def test_an_output_that_cannot_be_written_is_exit_1(tmp_path):
    draft = tmp_path / "要点.txt"
    draft.write_text("力争新增企业1200家。", encoding="utf-8")
    with pytest.raises(CommandError, match="无法写入文件") as caught:
        run(str(draft), "--targets-xlsx", str(tmp_path / "没有的目录" / "目标.xlsx"))
    assert caught.value.returncode == 1


def test_other_files_are_refused_with_exit_1(tmp_path):
    for name, message in (
        ("draft.doc", "旧版 Word（.doc）"),
        ("draft.pdf", "不支持的文件类型“.pdf”"),
        ("none.txt", "找不到文件"),
    ):
        path = tmp_path / name
        if name != "none.txt":
            path.write_bytes(b"x")
        with pytest.raises(CommandError, match=message) as caught:
            run(str(path))
        assert caught.value.returncode == 1
