"""The draft check (材料校核) on the two sample reports and on small planted drafts."""

from pathlib import Path

import pytest

from yuanqu.documents.draftcheck import check, paragraphs

SAMPLES = Path(__file__).parent / "samples"
REPORT_002 = (SAMPLES / "002_8f1f4c12a115cc13.txt").read_text(encoding="utf-8")
REPORT_003 = (SAMPLES / "003_92d85f14430dc49d.txt").read_text(encoding="utf-8")

pytestmark = [pytest.mark.django_db, pytest.mark.engine_free]


def placeholders(text):
    return [f for f in check(text)["findings"] if f["kind"] == "placeholder"]


def in_context(text, finding, before, after):
    """The flagged characters with ``before``/``after`` characters around them."""
    line = paragraphs(text)[finding["paragraph"] - 1]
    return line[finding["start"] - before : finding["end"] + after]


def test_masked_figures_of_report_002_are_found_where_they_stand():
    found = placeholders(REPORT_002)
    seen = {(f["paragraph"], in_context(REPORT_002, f, 5, 2)) for f in found}
    assert (15, "工业总产值***亿元") in seen
    assert (15, "，同比增长***%，") in seen
    assert (15, "。上缴税金***亿元") in seen
    assert (17, "计完成投资***亿元") in seen
    assert (3, "专题学习共**次、") in seen
    assert (11, "帮扶，去年*月顺") in seen
    first = found[0]
    assert first == {
        "kind": "placeholder",
        "paragraph": 3,
        "start": 174,
        "end": 176,
        "text": "**",
        "message": "未填数字：“**”",
    }


def test_both_ends_of_a_masked_range_are_found():
    ranges = [in_context(REPORT_002, f, 0, 3) for f in placeholders(REPORT_002) if f["paragraph"] == 45]
    assert ranges == ["*-*%", "*%增长"]


def test_masked_names_in_the_reports_are_not_flagged():
    flagged = {in_context(REPORT_002, f, 0, 2) for f in placeholders(REPORT_002)}
    for name in ("**铝业", "***公司", "***展览", "***市禁", "**钢管", "***省长"):
        assert name in REPORT_002
        assert name not in flagged
    flagged_003 = [in_context(REPORT_003, f, 2, 0) for f in placeholders(REPORT_003)]
    assert "中共**" not in flagged_003  # 中共**（**）产业转移工业园区工作委员会


def test_placeholder_counts_per_sample():
    # Counted by reading the reports: every masked number (次、家、万元、亿元、%、亩、宗、ranges …)
    # and none of the masked company, place, plan or slogan names.
    assert len(placeholders(REPORT_002)) == 120
    assert len(placeholders(REPORT_003)) == 43
    assert [f["kind"] for f in check(REPORT_003)["findings"]] == ["placeholder"] * 43


def test_x_marks_and_empty_brackets_stand_for_numbers():
    text = "全年实现营业收入XX亿元，新增企业X个，完成投资××万元。\n申报项目【 】项，另有[ ]宗待定。\nXML接口与X光机不算。"
    found = [(f["paragraph"], f["text"], f["message"]) for f in check(text)["findings"]]
    assert found == [
        (1, "XX", "未填数字：“XX”"),
        (1, "X", "未填数字：“X”"),
        (1, "××", "未填数字：“××”"),
        (2, "【 】", "空白待填：“【 】”"),
        (2, "[ ]", "空白待填：“[ ]”"),
    ]


def test_markdown_emphasis_is_not_a_placeholder():
    text = "**科技创新不断突破。**全年新增高新技术企业5家。\n**2022年工作回顾**\n一是**项目建设提速。**\n全年投资**亿元，同比增长**。"
    assert [f["text"] for f in check(text)["findings"]] == ["**", "**"]  # the last line's figures


def test_a_clean_text_gives_no_findings():
    text = (
        "2022年，园区实现工业总产值125.6亿元，同比增长12.3%。\n\n"
        "新增规上工业企业8家，签约项目16个，签约金额48亿元。\n"
        "下一步，我们将持续优化营商环境，推动高质量发展。"
    )
    assert check(text)["findings"] == []


def test_planted_repeat_and_near_repeat_name_the_right_paragraphs():
    text = (
        "一、总体情况\n"
        "全年坚持稳中求进工作总基调，园区经济运行总体平稳。我们坚决不移推进招商引资和项目建设工作。\n"
        "二、重点工作\n"
        "要素保障持续加强。全年坚持稳中求进工作总基调，园区经济运行总体平稳。\n"
        "我们坚持不移推进招商引资和项目建设工作。"
    )
    findings = check(text)["findings"]
    assert [(f["kind"], f["paragraph"], f["text"]) for f in findings] == [
        ("repeat", 4, "全年坚持稳中求进工作总基调，园区经济运行总体平稳"),
        ("near_repeat", 5, "我们坚持不移推进招商引资和项目建设工作"),
    ]
    repeat, near = findings
    line = paragraphs(text)[3]
    assert line[repeat["start"] : repeat["end"]] == repeat["text"]
    assert repeat["message"].startswith("与第2段重复")
    assert near["message"].startswith("与第2段的句子仅差1字")
    assert "我们坚决不移推进招商引资和项目建设工作" in near["message"]


def test_short_sentences_are_not_repeats():
    assert check("抓好落实。\n抓好落实。\n狠抓落实。") == {"findings": [], "claims": []}
