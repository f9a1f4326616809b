"""A report as a Word file in the conventions of GB/T 9704 (党政机关公文格式), as far as the
fonts present allow: A4 with margins 上37 下35 左28 右26 mm, the title in 小标宋 二号, level-1
headings 黑体 三号, level-2 楷体 三号, levels 3–4 and the body 仿宋 三号 with a first-line
indent of two characters and a fixed 28-point line, page numbers “— 1 —” in the footer,
tables with the unit in the header and charts as PNG.

Each font is the first of its candidates that fontconfig knows (the GB/T 9704 faces where
they are installed, then Noto CJK, then whatever CJK face is present) and is set for East
Asian text (``w:eastAsia``) as well as Latin, so Word and LibreOffice both use it.
"""

import copy
import functools
import io
import subprocess

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from . import charts

ER_HAO, SAN_HAO, SI_HAO, WU_HAO = Pt(22), Pt(16), Pt(14), Pt(10.5)
LINE = Pt(28)
CANDIDATES = {
    "title": ("方正小标宋简体", "方正小标宋_GBK", "小标宋", "Noto Serif CJK SC", "Source Han Serif SC"),
    "heiti": ("黑体", "SimHei", "Noto Sans CJK SC", "Source Han Sans SC"),
    "kaiti": ("楷体_GB2312", "楷体", "KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    "fangsong": ("仿宋_GB2312", "仿宋", "FangSong", "Noto Serif CJK SC", "Source Han Serif SC"),
}
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.JUSTIFY,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
}


@functools.cache
def installed_cjk_families() -> tuple[str, ...]:
    """The family names of the CJK fonts fontconfig knows (every name a font answers to)."""
    try:
        out = subprocess.run(
            ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    names: list[str] = []
    for line in sorted(out.splitlines()):
        for name in line.split(","):
            name = name.strip()
            if name and name not in names:
                names.append(name)
    return tuple(names)


@functools.cache
def fonts() -> dict[str, str]:
    """The face used for each role: the first candidate installed, else the first CJK face
    present, else the role's GB/T 9704 name (Word substitutes on the reader's machine)."""
    present = installed_cjk_families()
    chosen = {}
    for role, names in CANDIDATES.items():
        found = next((name for name in names if name in present), None)
        if found is None:
            found = present[0] if present else names[0]
        chosen[role] = found
    return chosen


def _font(run, role: str, size, bold: bool = False):
    """Give the run the role's face, size and weight: a copy of one run properties element
    made per (role, size, bold), python-docx's setters being slow at thousands of runs."""
    key = (role, size, bold)
    if key not in _RUN_PROPERTIES:
        scratch = Document().add_paragraph().add_run()
        _set_font(scratch, role, size, bold)
        _RUN_PROPERTIES[key] = scratch._r.rPr
    run._r.insert(0, copy.deepcopy(_RUN_PROPERTIES[key]))


_RUN_PROPERTIES: dict = {}


def _set_font(run, role: str, size, bold: bool = False):
    name = fonts()[role]
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    run.font.color.rgb = RGBColor(0, 0, 0)
    fonts_element = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts_element.set(qn(attribute), name)


def _style_font(style, role: str, size, bold=False):
    style.font.name = fonts()[role]
    style.font.size = size
    style.font.bold = bold
    style.font.color.rgb = RGBColor(0, 0, 0)
    element = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        element.attrib.pop(qn(attribute), None)  # a theme font would win over the named one
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        element.set(qn(attribute), fonts()[role])


def _lines(paragraph, indent=True, before=0, after=0):
    layout = paragraph.paragraph_format
    layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    layout.line_spacing = LINE
    layout.space_before = Pt(before)
    layout.space_after = Pt(after)
    if indent:
        layout.first_line_indent = Pt(32)  # two characters of 三号


def _page(document):
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28) - Mm(7)  # the page number sits 7 mm under the type area
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(footer.add_run("— "), "fangsong", SI_HAO)
    _field(footer, "PAGE")
    _font(footer.add_run(" —"), "fangsong", SI_HAO)


def _field(paragraph, code: str):
    """A field (PAGE) as Word writes it: begin, instruction, separate, a placeholder, end."""
    run = paragraph.add_run()
    _font(run, "fangsong", SI_HAO)
    for kind, text in (
        ("begin", None),
        ("instr", f" {code} "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)


def _styles(document):
    styles = document.styles
    _style_font(styles["Normal"], "fangsong", SAN_HAO)
    _style_font(styles["Title"], "title", ER_HAO)
    for level, (role, bold) in enumerate(
        [("heiti", False), ("kaiti", False), ("fangsong", True), ("fangsong", False)], start=1
    ):
        _style_font(styles[f"Heading {level}"], role, SAN_HAO, bold)
        styles[f"Heading {level}"].paragraph_format.keep_with_next = True
    # The Title style of the default template draws a rule under the title: a document has none.
    border = (
        styles["Title"].element.pPr.find(qn("w:pBdr")) if styles["Title"].element.pPr is not None else None
    )
    if border is not None:
        styles["Title"].element.pPr.remove(border)


def _text(paragraph, runs, role: str, size, bold=False):
    for item in runs:
        _font(paragraph.add_run(item.text), role, size, bold)


def _table(document, table: dict):
    if table["title"]:
        caption = document.add_paragraph()
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _lines(caption, indent=False, before=6)
        _font(caption.add_run(table["title"]), "heiti", SI_HAO)
    header, rows = table["header"], table["rows"]
    grid = document.add_table(rows=1, cols=len(header))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, label in enumerate(header):
        cell = grid.rows[0].cells[column]
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(paragraph.add_run(label), "heiti", WU_HAO)
    header_row = grid.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # the header repeats on every page the table runs to
    repeat.set(qn("w:val"), "true")
    header_row.append(repeat)
    for row in rows:
        cells = grid.add_row().cells  # row by row: indexing grid.rows lists them all each time
        for column, runs in enumerate(row):
            paragraph = cells[column].paragraphs[0]
            text = "".join(run.text for run in runs) if isinstance(runs, list) else str(runs)
            if _numeric(text):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if isinstance(runs, list):
                _text(paragraph, runs, "fangsong", WU_HAO)
            else:
                _font(paragraph.add_run(str(runs)), "fangsong", WU_HAO)
    document.add_paragraph()


def _numeric(text: str) -> bool:
    stripped = text.replace(",", "").replace(".", "").replace("-", "").replace("%", "").replace("+", "")
    return stripped.isdigit()


def render_docx(report) -> bytes:
    document = Document()
    _styles(document)
    _page(document)
    document.core_properties.title = report.title
    document.core_properties.subject = report.kind
    for block in report.blocks:
        if block.kind == "title":
            paragraph = document.add_paragraph(style="Title")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            layout = paragraph.paragraph_format
            layout.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            layout.line_spacing = Pt(36)
            layout.space_after = Pt(28)
            _text(paragraph, block.runs, "title", ER_HAO)
        elif block.kind == "heading":
            paragraph = document.add_paragraph(style=f"Heading {block.level}")
            _lines(paragraph)
            role, bold = {
                1: ("heiti", False),
                2: ("kaiti", False),
                3: ("fangsong", True),
                4: ("fangsong", False),
            }[block.level]
            _font(paragraph.add_run(block.number), role, SAN_HAO, bold)
            _text(paragraph, block.runs, role, SAN_HAO, bold)
        elif block.kind == "paragraph":
            paragraph = document.add_paragraph()
            paragraph.alignment = ALIGN[block.align]
            _lines(paragraph, indent=block.align == "left")
            _text(paragraph, block.runs, "fangsong", SAN_HAO)
        elif block.kind == "table":
            _table(document, block.table)
        elif block.kind == "chart":
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run().add_picture(io.BytesIO(charts.cached_png(block.chart)), width=Cm(15))
        elif block.kind == "pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
