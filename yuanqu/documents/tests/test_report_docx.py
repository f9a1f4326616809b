"""The Word file of the annual report, opened as a reader opens it (python-docx) and rendered
to page images (LibreOffice → PDF → pdftoppm): GB/T 9704 fonts, sizes and margins,
一、（一）1.（1） numbering, tables with the unit in the header, the charts, page numbers, and
every printed number in the figure list."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from PIL import Image

from yuanqu.documents.reports import generate
from yuanqu.documents.reports.docx import fonts
from yuanqu.documents.reports.pdf import docx_to_pdf
from yuanqu.targets.demo import demo_month
from yuanqu.utilities.testing.database import rolled_back

pytestmark = [pytest.mark.django_db, pytest.mark.engine_free]


@pytest.fixture(scope="module")
def annual(django_db_setup, django_db_blocker):
    """The demo zone's annual report of the demo year and its Word file, made once."""
    with rolled_back(django_db_blocker):
        call_command("seed_demo", enterprises=40, stdout=io.StringIO())
        report = generate("annual", year=demo_month(timezone.localdate()).year)
        content = report.to_docx()
        yield report, content


@pytest.fixture(scope="module")
def pages(annual, tmp_path_factory):
    """The Word file converted by LibreOffice (``docx_to_pdf``: headless, its own profile) and
    drawn by pdftoppm at 50 dpi."""
    report, content = annual
    folder = tmp_path_factory.mktemp("pages")
    pdf = docx_to_pdf(content)
    assert pdf is not None and pdf.startswith(b"%PDF")
    (folder / "annual.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(folder / "annual.pdf"), str(folder / "page")], check=True
    )
    info = subprocess.run(["pdfinfo", str(folder / "annual.pdf")], capture_output=True, text=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    return count, sorted(folder.glob("page-*.png"))


def east_asian(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_page_is_a4_with_the_gb_margins_and_a_page_number(annual):
    document = Document(io.BytesIO(annual[1]))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    assert "PAGE" in "".join(footer._element.itertext())


def test_title_headings_and_body_in_their_fonts_and_numbering(annual):
    report, content = annual
    document = Document(io.BytesIO(content))
    chosen = fonts()
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert (
        title.text
        == report.title
        == "示范高新技术产业开发区" + title.text.removeprefix("示范高新技术产业开发区")
    )
    assert title.text.endswith("年工作总结")
    assert east_asian(title.runs[0]) == chosen["title"] and title.runs[0].font.size == Pt(22)
    level_1 = [p for p in paragraphs if p.style.name == "Heading 1"]
    assert [p.text[:2] for p in level_1] == ["一、", "二、", "三、", "四、"]
    assert level_1[0].text == "一、主要经济指标完成情况" and level_1[2].text == "三、存在的问题"
    assert all(east_asian(r) == chosen["heiti"] and r.font.size == Pt(16) for p in level_1 for r in p.runs)
    level_2 = [p for p in paragraphs if p.style.name == "Heading 2"]
    assert level_2[0].text == "（一）经济运行总体情况" and level_2[1].text.startswith("（二）")
    assert all(east_asian(r) == chosen["kaiti"] for p in level_2 for r in p.runs)
    body = [p for p in paragraphs if p.style.name == "Normal" and "同比增长" in p.text]
    assert body and all(east_asian(r) == chosen["fangsong"] and r.font.size == Pt(16) for r in body[0].runs)
    assert body[0].paragraph_format.first_line_indent == Pt(32)


def test_tables_carry_the_unit_in_the_header_and_charts_are_pictures(annual):
    report, content = annual
    document = Document(io.BytesIO(content))
    headers = [[c.text for c in t.rows[0].cells] for t in document.tables]
    assert len(document.tables) == sum(b.kind == "table" for b in report.blocks) >= 6
    assert ["产业链", "累计（亿元）", "同比", "拉动（百分点）"] in headers
    assert ["指标", "单位", headers[0][2], "同比增长（%）"] == headers[0]
    charts = sum(b.kind == "chart" for b in report.blocks)
    assert charts >= 10 and len(document.inline_shapes) == charts


def test_every_printed_number_is_in_the_figure_list(annual):
    report, content = annual
    printed = [run for block in report.blocks for run in block.runs if run.figure is not None]
    printed += [
        run
        for block in report.blocks
        if block.kind == "table"
        for row in block.table["rows"]
        for cell in row
        for run in cell
        if run.figure is not None
    ]
    assert sorted(run.figure for run in printed) == list(range(len(report.figures))) and len(printed) > 40
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    text += "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for entry in report.figures:
        assert entry["text"] in text, entry
        assert set(entry) == {"key", "name", "period", "scope", "value", "unit", "text", "link"}
    output = next(
        e for e in report.figures if e["key"] == "economy.industrial_output" and "亿元" in e["text"]
    )
    assert (
        output["unit"] == "亿元" and output["scope"] == "园区" and output["link"].startswith("/indicators/")
    )


def test_the_word_file_renders_to_a4_pages_that_are_not_blank(pages):
    count, images = pages
    assert count == len(images) and 8 <= count <= 40
    first = Image.open(images[0]).convert("L")
    assert abs(first.height / first.width - 297 / 210) < 0.01
    dark = sum(first.histogram()[:128])  # pixels darker than mid-grey
    assert dark > 0.005 * first.width * first.height  # the title and the opening text
    assert Path(images[-1]).stat().st_size > 0


def test_without_libreoffice_there_is_no_pdf(annual, monkeypatch):
    import shutil

    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert annual[0].pdf() is None
