"""A fast streaming reader for the first worksheet of an .xlsx, for the import.

openpyxl in read-only mode reads about 9,000 rows a second; the import needs several times
that. This reader walks the worksheet XML with ElementTree's C pull parser and turns each
``<row>`` into the same tuple of values openpyxl's ``iter_rows(values_only=True)`` gives
after ``reset_dimensions()``: shared, inline and formula strings, numbers (int when the text
is integral), booleans, error texts, and dates as ``datetime`` wherever the cell's style is
a date format (openpyxl's own date rules and epoch conversion are reused).

It understands the plain files Excel, WPS and openpyxl write. Anything else (strict OOXML
namespaces, a missing part, cells out of order, broken XML …) raises :class:`NotFast`, and
the caller reads the file with openpyxl instead — which also gives the usual error messages
for a broken file. A DOCTYPE in any part it reads raises :class:`ForbiddenDTD`: entities are
how XML bombs work, and no spreadsheet needs them.
"""

import collections
import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree
from xml.parsers import expat

from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
ROW, CELL, VALUE, INLINE, TEXT, RUN = (MAIN + t for t in ("row", "c", "v", "is", "t", "r"))
CHUNK = 256 * 1024
DIGITS = "0123456789"


class NotFast(Exception):
    """Something this reader does not handle: read the file with openpyxl instead."""


class ForbiddenDTD(Exception):
    """A part of the file declares a DTD (DOCTYPE), refused against XML bombs."""

    def __init__(self, member):
        super().__init__(member)
        self.member = member


def iter_rows(data: bytes):
    """(Excel row number, tuple of values) for each row element of the first worksheet.

    Raises NotFast (possibly after some rows were yielded) or ForbiddenDTD.
    """
    try:
        book = _Workbook(zipfile.ZipFile(io.BytesIO(data)))
        yield from book.rows()
    except (NotFast, ForbiddenDTD):
        raise
    except Exception as exc:  # broken zip or XML, bad numbers …: let openpyxl judge the file
        raise NotFast(str(exc)) from exc


class _Workbook:
    def __init__(self, archive):
        self.archive = archive
        workbook = _parse(archive, "xl/workbook.xml")
        if workbook.tag != MAIN + "workbook":
            raise NotFast("unknown workbook namespace")
        properties = workbook.find(MAIN + "workbookPr")
        date1904 = properties is not None and properties.get("date1904", "") not in ("", "false", "f", "0")
        self.epoch = CALENDAR_MAC_1904 if date1904 else WINDOWS_EPOCH
        rels = {
            rel.get("Id"): (rel.get("Type", ""), _target(rel.get("Target", "")))
            for rel in _parse(archive, "xl/_rels/workbook.xml.rels").iter(PKG_REL + "Relationship")
        }
        names = set(archive.namelist())
        self.sheet = None
        for sheet in workbook.iter(MAIN + "sheet"):
            kind, target = rels.get(sheet.get(REL + "id"), ("", ""))
            if target not in names or "chartsheet" in kind:
                continue  # openpyxl skips these too
            if not kind.endswith("/worksheet"):
                raise NotFast(f"first sheet of type {kind}")
            self.sheet = target
            break
        if self.sheet is None:
            raise NotFast("no worksheet")
        strings = [t for kind, t in rels.values() if kind.endswith("/sharedStrings") and t in names]
        self.strings = self._shared_strings(strings[0]) if strings else None
        self.dates, self.timedeltas = self._date_styles() if "xl/styles.xml" in names else (set(), set())

    def _shared_strings(self, member):
        strings = []
        for si in _children(self.archive, member, MAIN + "sst"):
            if len(si) == 1 and si[0].tag == TEXT:
                text = si[0].text or ""
            else:
                text = _text(si)
            strings.append(text.replace("x005F_", "") if "x005F_" in text else text)
        return strings

    def _date_styles(self):
        """Indexes (as the strings in ``s=""``) of the cell styles that are dates / timedeltas."""
        styles = _parse(self.archive, "xl/styles.xml")
        custom = {f.get("numFmtId"): f.get("formatCode") for f in styles.iter(MAIN + "numFmt")}
        dates, timedeltas = set(), set()
        xfs = styles.find(MAIN + "cellXfs")
        for index, xf in enumerate(xfs if xfs is not None else ()):
            number_format = xf.get("numFmtId", "0")
            fmt = custom[number_format] if number_format in custom else builtin_format_code(int(number_format))
            if is_date_format(fmt):
                dates.add(str(index))
            if is_timedelta_format(fmt):
                timedeltas.add(str(index))
        return dates, timedeltas

    def rows(self):
        """Parse the worksheet with expat, handing out the rows finished after each chunk."""
        strings, dates, timedeltas, epoch = self.strings, self.dates, self.timedeltas, self.epoch
        columns = _COLUMNS
        done = []  # (number, values) finished in the current chunk
        values = []
        number = 0
        expected = 1
        cell = None  # the attributes of the open <c>
        text = None  # its <v> text, or its inline string
        capture = inline = phonetic = False
        root = True

        def start(name, attrs):
            nonlocal cell, text, capture, inline, phonetic, values, number, root
            if name == "c":
                cell, text = attrs, None
            elif name == "v":
                capture, text = True, ""
            elif name == "row":
                r = attrs.get("r")
                number = int(r) if r else expected
                values = []
            elif name == "t":
                capture = inline and not phonetic
            elif name == "is":
                inline, text = True, ""
            elif name == "rPh":
                phonetic = True
            elif root:
                if name != "worksheet" or attrs.get("xmlns") != MAIN[1:-1]:
                    raise NotFast(f"worksheet root {name}")
                root = False

        def characters(data):
            nonlocal text
            if capture:
                text += data

        def end(name):
            nonlocal capture, inline, phonetic, expected
            if name == "c":
                ref = cell.get("r")
                if ref:
                    gap = (columns.get(ref.rstrip(DIGITS)) or _column(ref.rstrip(DIGITS))) - 1 - len(values)
                    if gap:
                        if gap < 0:
                            raise NotFast("cells out of order")
                        values.extend([None] * gap)
                kind = cell.get("t")
                if not text:
                    values.append(None if kind != "inlineStr" or text is None else text)
                elif kind == "n" or kind is None:
                    value = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
                    if dates:
                        style = cell.get("s")
                        if style in dates:
                            try:
                                value = from_excel(value, epoch, timedelta=style in timedeltas)
                            except (OverflowError, ValueError):
                                value = "#VALUE!"  # as openpyxl does, with a warning
                    values.append(value)
                elif kind == "inlineStr":
                    values.append(text)
                elif kind == "s":
                    if strings is None:
                        raise NotFast("shared string without a table")
                    values.append(strings[int(text)])
                elif kind == "str" or kind == "e":
                    values.append(text)
                elif kind == "b":
                    values.append(bool(int(text)))
                else:
                    raise NotFast(f"cell type {kind}")
            elif name == "v" or name == "t":
                capture = False
            elif name == "row":
                if number >= expected:  # openpyxl drops rows out of order
                    done.append((number, tuple(values)))
                    expected = number + 1
            elif name == "is":
                inline = False
            elif name == "rPh":
                phonetic = False

        parser = _expat(self.sheet)
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = characters
        with self.archive.open(self.sheet) as source:
            while chunk := source.read(CHUNK):
                parser.Parse(chunk, False)
                yield from done
                done.clear()
        parser.Parse(b"", True)
        yield from done


_COLUMNS = {}


def _column(letters):
    """'A' → 1, 'AB' → 28, cached."""
    if not letters.isalpha() or not letters.isupper() or len(letters) > 3:
        raise NotFast(f"bad cell reference {letters}")
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    _COLUMNS[letters] = n
    return n


def _text(element):
    """What openpyxl's Text.content gives: the plain ``<t>`` and the ``<r><t>`` runs (no phonetics)."""
    parts = []
    for child in element:
        if child.tag == TEXT:
            parts.append(child.text or "")
        elif child.tag == RUN:
            t = child.find(TEXT)
            if t is not None:
                parts.append(t.text or "")
    return "".join(parts)


def _target(target):
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join("xl", target))


_ROOT = re.compile(rb"<[A-Za-z_]")


def _check_prolog(member, head):
    """Refuse a DOCTYPE before the root element; refuse encodings other than UTF-8."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NotFast("UTF-16 part")
    root = _ROOT.search(head)
    if root is None:
        raise NotFast("no root element near the start")
    if b"<!DOCTYPE" in head[: root.start()].upper():
        raise ForbiddenDTD(member)


def _expat(member):
    """An expat parser that refuses a DTD (entities are how XML bombs work)."""

    def refuse(*args):
        raise ForbiddenDTD(member)

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = CHUNK
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    return parser


def _parse(archive, member):
    """A small part (workbook, relationships, styles) as a tree."""
    data = archive.read(member)
    _check_prolog(member, data[:CHUNK])
    return ElementTree.fromstring(data)


def _children(archive, member, container):
    """Stream the child elements of ``container`` (e.g. the rows of sheetData) one at a time.

    The C parser builds the tree as the file is fed in chunks; every child but the last of
    the container is complete, so those are handed out and dropped from the tree.
    """
    parser = ElementTree.XMLPullParser(events=("start",))
    parent = None
    with archive.open(member) as source:
        first = True
        while chunk := source.read(CHUNK):
            if first:
                _check_prolog(member, chunk)
                first = False
            parser.feed(chunk)
            if parent is None:
                for _, element in parser.read_events():
                    if element.tag == container:
                        parent = element
                        break
            collections.deque(parser.read_events(), maxlen=0)  # drop the rest, at C speed
            if parent is not None and len(parent) > 1:
                done = parent[:-1]
                del parent[:-1]
                yield from done
    parser.close()
    for _, element in parser.read_events():
        if parent is None and element.tag == container:
            parent = element
    if parent is None:
        raise NotFast(f"no {container} in {member}")
    yield from list(parent)
