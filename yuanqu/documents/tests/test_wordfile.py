"""Word in, Word out: a .docx draft read in reading order (tables included) and given back
with each finding as a comment on its characters; files that are not a .docx refused."""

import io
import zipfile
from pathlib import Path

import docx
import pytest
from django.test import override_settings

from yuanqu.documents.draftcheck import check, paragraphs
from yuanqu.documents.wordfile import AUTHOR, annotate_docx, read_docx

pytestmark = [pytest.mark.django_db, pytest.mark.engine_free]
SAMPLE = (Path(__file__).parent / "samples" / "002_8f1f4c12a115cc13.txt").read_text(encoding="utf-8")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def as_docx(text: str, *, table=None, split_runs=False) -> bytes:
    """A .docx of the text's lines (blank lines kept as empty paragraphs); ``table`` rows go
    after the second paragraph; ``split_runs`` writes each paragraph in runs of 7 characters,
    as Word does after edits."""
    document = docx.Document()
    for number, line in enumerate(text.splitlines()):
        paragraph = document.add_paragraph()
        pieces = [line[i : i + 7] for i in range(0, len(line), 7)] if split_runs else [line]
        for piece in pieces:
            paragraph.add_run(piece).bold = split_runs and len(paragraph.runs) % 2 == 1
        if number == 1 and table:
            grid = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for c, value in enumerate(row):
                    grid.cell(r, c).text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def comments(data: bytes) -> list[tuple[str, str, str]]:
    """(anchored text, comment text, author) of each comment of the document, in the order
    their ranges start."""
    document = docx.Document(io.BytesIO(data))
    by_id = {c.comment_id: c for c in document.comments}
    texts: dict[str, list[str]] = {}
    open_ids: list[str] = []
    for element in document.element.body.iter():
        if element.tag == W + "commentRangeStart":
            texts[element.get(W + "id")] = []
            open_ids.append(element.get(W + "id"))
        elif element.tag == W + "commentRangeEnd":
            open_ids.remove(element.get(W + "id"))
        elif element.tag == W + "t":
            for comment_id in open_ids:
                texts[comment_id].append(element.text or "")
    found = []
    for comment_id, text in texts.items():
        comment = by_id[int(comment_id)]
        found.append(("".join(text), comment.text, comment.author))
    return found


def bold_by_character(data: bytes) -> list[bool]:
    document = docx.Document(io.BytesIO(data))
    return [bool(run.bold) for p in document.paragraphs for run in p.runs for _ in run.text]


def test_reading_gives_one_line_per_paragraph_with_table_cells_in_order():
    data = as_docx("标题\n第一段\n\n第三段", table=[["指标", "数值"], ["地区生产总值", "120亿元"]])
    assert read_docx(data).splitlines() == [
        "标题",
        "第一段",
        "指标",
        "数值",
        "地区生产总值",
        "120亿元",
        "",
        "第三段",
    ]


def test_the_sample_read_from_word_checks_as_the_text():
    data = as_docx(SAMPLE, split_runs=True)
    text = read_docx(data)
    assert paragraphs(text) == paragraphs(SAMPLE)
    assert check(text)["findings"] == check(SAMPLE)["findings"]


def test_each_finding_becomes_a_comment_on_its_text():
    data = as_docx(SAMPLE, split_runs=True)
    findings = check(read_docx(data))["findings"]
    assert len(findings) > 100
    annotated = annotate_docx(data, findings)
    found = comments(annotated)
    assert len(found) == len(findings)
    assert {author for _, _, author in found} == {AUTHOR}
    assert sorted((f["text"], f["message"]) for f in findings) == sorted((a, m) for a, m, _ in found)
    # the text and its formatting are unchanged: only comment marks were added
    assert read_docx(annotated) == read_docx(data)
    assert bold_by_character(annotated) == bold_by_character(data)
    first = findings[0]
    assert (first["text"], first["message"]) == ("**", "未填数字：“**”")


def test_comments_on_a_table_cell_and_on_several_findings_in_one_run():
    text = "概况\n全年投资***亿元，同比增长**%。"
    data = as_docx(text, table=[["规上工业总产值", "***亿元"]])
    findings = check(read_docx(data))["findings"]
    assert [(f["paragraph"], f["text"]) for f in findings] == [(2, "***"), (2, "**"), (4, "***")]
    assert [(a, m) for a, m, _ in comments(annotate_docx(data, findings))] == [
        ("***", "未填数字：“***”"),
        ("**", "未填数字：“**”"),
        ("***", "未填数字：“***”"),
    ]


def zipped(files: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b"hello", "文件不是 Word 文档（.docx）"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "这是旧版 Word（.doc）文件"),
        (zipped({"a.txt": "x"}), "文件不是 Word 文档（.docx）"),
        (
            zipped({"[Content_Types].xml": "<x/>", "word/document.xml": "\0" * (2 * 1024 * 1024)}),
            "压缩比异常",
        ),
        (
            zipped(
                {"[Content_Types].xml": "<x/>", "word/document.xml": '<!DOCTYPE x [<!ENTITY a "b">]><x/>'}
            ),
            "含有 DTD 或实体声明",
        ),
    ],
    ids=["empty", "text", "doc", "not-word", "bomb", "dtd"],
)
def test_what_is_not_a_docx_is_refused_in_chinese(data, message):
    with pytest.raises(ValueError, match=message):
        read_docx(data)


def test_a_draft_with_an_embedded_workbook_is_read():
    """A chart in Word embeds an .xlsx (a zip, binary): not an XML part, not refused."""
    source = io.BytesIO(as_docx("概况\n全年投资***亿元。"))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in original.infolist():
            copy.writestr(info, original.read(info))
        copy.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", b"PK\x03\x04\x00\x00" + bytes(300))
    assert read_docx(out.getvalue()) == "概况\n全年投资***亿元。"


@override_settings(YUANQU_IMPORT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(ValueError, match="文件大小超过上限"):
        read_docx(as_docx("一段文字"))
