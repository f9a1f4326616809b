"""Word in, Word out for the draft check (材料校核).

``read_docx(data)`` gives the text of a .docx: the body's paragraphs and the paragraphs of its
table cells (row by row, cell by cell, nested tables within their cell) in reading order, one
line per paragraph (a line break or tab inside a paragraph reads as a space), so that the
paragraph numbers of the check's findings index the same paragraphs. A file that is not a
.docx, is too big, unpacks like a zip bomb or declares a DTD is refused with a Chinese ``ValueError`` (the
import's limits: ``utilities.importing``).

``annotate_docx(data, findings)`` gives the draft back with each finding as a Word comment by
“园区材料校核”, anchored on the finding's characters (runs are split at its offsets).
"""

import copy
import io
import zipfile

from django.conf import settings

from yuanqu.utilities import xlsx_reader
from yuanqu.utilities.importing import (
    MAX_COMPRESSION_RATIO,
    MAX_ZIP_ENTRIES,
    OLE_MAGIC,
    RATIO_CHECK_MIN_BYTES,
    ZIP_MAGIC,
    ZIP_READ_ERRORS,
)

AUTHOR = "园区材料校核"
INITIALS = "校核"
NOT_DOCX = "文件不是 Word 文档（.docx），请在 Word 中“另存为 Word 文档(*.docx)”后再校核"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def check_docx(data: bytes) -> None:
    """Refuse what is not a plain .docx of sane size, before any XML is parsed."""
    if not data:
        raise ValueError("文件是空的")
    if len(data) > settings.YUANQU_IMPORT_MAX_BYTES:
        raise ValueError(f"文件大小超过上限 {_megabytes(settings.YUANQU_IMPORT_MAX_BYTES)}，请拆分后再校核")
    if data.startswith(OLE_MAGIC):
        raise ValueError("这是旧版 Word（.doc）文件，请在 Word 中另存为 .docx 后再校核")
    if not data.startswith(ZIP_MAGIC):
        raise ValueError(NOT_DOCX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ValueError(NOT_DOCX) from None
    if len(members) > MAX_ZIP_ENTRIES:
        raise ValueError(
            f"文件中的压缩条目多达 {len(members)} 个（上限 {MAX_ZIP_ENTRIES} 个），不是正常的 Word 文档，疑似压缩炸弹，已拒绝"
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise ValueError(NOT_DOCX)
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValueError("文件中含有宏（vbaProject.bin），请在 Word 中“另存为 Word 文档(*.docx)”后再校核")
    total = sum(m.file_size for m in members)
    limit = settings.YUANQU_IMPORT_MAX_UNCOMPRESSED_BYTES
    if total > limit:
        raise ValueError(
            f"文件解压后达 {_megabytes(total)}，超过上限 {_megabytes(limit)}，疑似压缩炸弹，已拒绝"
        )
    for m in members:
        if m.file_size > RATIO_CHECK_MIN_BYTES and m.file_size > MAX_COMPRESSION_RATIO * max(
            m.compress_size, 1
        ):
            raise ValueError(
                f"文件中“{m.filename}”的压缩比异常（超过 {MAX_COMPRESSION_RATIO} 倍），疑似压缩炸弹，已拒绝"
            )
    try:
        member = _declaring_member(archive)
    except ZIP_READ_ERRORS:
        raise ValueError(NOT_DOCX) from None
    if member:
        raise ValueError(f"文件中“{member}”含有 DTD 或实体声明，Word 文档不需要，已拒绝")


def _declaring_member(archive) -> str:
    """The first XML part declaring a DTD or an entity (how XML bombs work), or "". Only the
    XML parts are read: a chart's embedded workbook, pictures and fonts are not XML."""
    for info in archive.infolist():
        if info.is_dir() or not info.filename.lower().endswith((".xml", ".rels")):
            continue
        tail = b""
        with archive.open(info) as part:
            while chunk := part.read(xlsx_reader.CHUNK):
                text = tail + chunk
                start = text.find(b"<!")
                while start != -1:
                    if text[start + 2 : start + 9].upper().startswith(xlsx_reader.DECLARATIONS):
                        return info.filename
                    start = text.find(b"<!", start + 2)
                tail = text[-16:]
    return ""


def _open(data: bytes):
    import docx

    check_docx(data)
    try:
        return docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several kinds for a broken package
        raise ValueError(NOT_DOCX) from None


def _blocks(container):
    """The paragraph elements of a body or a cell in reading order, table cells included."""
    for child in container.iterchildren():
        if child.tag == W + "p":
            yield child
        elif child.tag == W + "tbl":
            for row in child.iterchildren(W + "tr"):
                for cell in row.iterchildren(W + "tc"):
                    yield from _blocks(cell)
        elif child.tag == W + "sdt":
            for content in child.iterchildren(W + "sdtContent"):
                yield from _blocks(content)


def _runs(paragraph):
    """The runs of a paragraph element that carry its text (inside hyperlinks too)."""
    from docx.text.run import Run

    return [Run(r, None) for r in _run_elements(paragraph)]


def _run_elements(paragraph):
    """The paragraph's runs, in hyperlinks and insertions too, but not deleted ones nor the
    runs of the paragraphs of a text box drawn inside it."""
    return [
        r
        for r in paragraph.iter(W + "r")
        if r.getparent().tag != W + "del" and next(r.iterancestors(W + "p"), None) is paragraph
    ]


def _line(runs) -> str:
    return "".join(run.text for run in runs).replace("\n", " ").replace("\r", " ").replace("\t", " ")


def read_docx(data: bytes) -> str:
    """The draft's text, one line per paragraph (see the module docstring)."""
    document = _open(data)
    return "\n".join(_line(_runs(p)) for p in _blocks(document.element.body))


def annotate_docx(data: bytes, findings: list[dict]) -> bytes:
    """The draft with each finding as a comment on its characters (see the module docstring)."""
    from docx.text.run import Run

    document = _open(data)
    paragraphs = [p for p in _blocks(document.element.body) if _line(_runs(p)).strip()]
    by_paragraph: dict[int, list[dict]] = {}
    for f in findings:
        if 1 <= f["paragraph"] <= len(paragraphs) and f["end"] > f["start"]:
            by_paragraph.setdefault(f["paragraph"], []).append(f)
    for number, found in by_paragraph.items():
        element = paragraphs[number - 1]
        spans = _split_runs(element, sorted({f["start"] for f in found} | {f["end"] for f in found}))
        for f in found:
            covered = [
                r for start, end, r in spans if start >= f["start"] and end <= f["end"] and end > start
            ]
            if not covered:
                continue
            first, last = Run(covered[0], document.part), Run(covered[-1], document.part)
            document.add_comment([first, last], text=f["message"], author=AUTHOR, initials=INITIALS)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _split_runs(paragraph, cuts: list[int]) -> list[tuple[int, int, object]]:
    """Make each offset of ``cuts`` (characters into the paragraph's text) a boundary between
    runs, in one pass; (start, end, run element) of the runs after."""
    from docx.text.run import Run

    spans = []
    at = 0
    for r in _run_elements(paragraph):
        text = Run(r, None).text
        inside = [c - at for c in cuts if at < c < at + len(text)]
        if inside:
            bounds = [0, *inside, len(text)]
            element = r
            Run(r, None).text = text[: bounds[1]]
            spans.append((at, at + bounds[1], r))
            for left, right in zip(bounds[1:], bounds[2:], strict=False):
                piece = copy.deepcopy(r)
                Run(piece, None).text = text[left:right]
                element.addnext(piece)
                element = piece
                spans.append((at + left, at + right, piece))
        else:
            spans.append((at, at + len(text), r))
        at += len(text)
    return spans
