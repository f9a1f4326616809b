"""Read the first worksheet of an .xlsx for the import, with python-calamine.

calamine (a Rust reader) reads about 100,000 rows a second here, ten times openpyxl's
read-only mode. Its values are turned into what openpyxl's ``iter_rows(values_only=True)``
gives after ``reset_dimensions()``, which the importers were written against: empty cells
``None``, integral numbers ``int`` (a phone number or a code typed as a number keeps all its
digits), other numbers ``float``, dates ``datetime``, times ``time``, durations ``timedelta``,
booleans, text as written, formulas as their cached values. An empty text cell ("") comes
out as ``None``: calamine does not tell it from an empty cell; a text of only spaces stays as
written (the import takes both as blank). ``read`` gives calamine's rows unconverted and
``Rows`` converts a row when it is taken, so that a reader taking calamine's values column by
column under the same rules (the monthly import) converts only the rows it reads one by one.

Before calamine sees the file, every part of it is scanned: a DTD or an entity declaration
(``<!DOCTYPE``, ``<!ENTITY``) anywhere raises :class:`ForbiddenDTD` — entities are how XML
bombs work, and no spreadsheet needs them. The size, zip-bomb, entry-count and macro checks
run before this, in ``importing.check_file``.

What calamine cannot give exactly raises :class:`NotFast` and the caller reads the file with
openpyxl instead: a sheet with error cells (calamine gives ``""`` for ``#DIV/0!``, which the
import would take for a blank), a part in UTF-16 (searched for declarations all the same,
decoded), or a file calamine cannot open. openpyxl parses through defusedxml (it uses it
whenever it is installed; ``importing.read_rows`` refuses to fall back when it is not).
"""

import datetime
import io
import itertools
import re
import zipfile
from collections.abc import Sequence

from python_calamine import CalamineWorkbook, SheetTypeEnum

CHUNK = 1024 * 1024
# Parts that are not XML (pictures, printer settings): not parsed by anyone, not scanned.
BINARY = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".bin")
DECLARATIONS = (b"DOCTYPE", b"ENTITY")
ERROR_TYPE = re.compile(rb"\st\s*=\s*$")  # what precedes "e" in an error cell: t="e"
SAFE_INT = 2**53  # floats below this are exact integers
# A text with more "!" or "'" than this is searched for the two or three bytes around them.
MANY = 1000


class NotFast(Exception):
    """Something calamine does not read exactly: read the file with openpyxl instead."""


class ForbiddenDTD(Exception):
    """A part of the file declares a DTD or an entity, refused against XML bombs."""

    def __init__(self, member):
        super().__init__(member)
        self.member = member


def iter_rows(data: bytes):
    """(Excel row number, tuple of values) for each row of the first worksheet.

    Raises ForbiddenDTD or NotFast before any row is given.
    """
    return zip(itertools.count(1), map(_row, read(data)))


def read(data: bytes) -> list[list]:
    """calamine's rows of the first worksheet from A1, unconverted: lists all as wide as the
    sheet's used range, "" for an empty cell. ``_row`` makes one what openpyxl would give.

    Raises ForbiddenDTD or NotFast before calamine parses anything.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        errors = scan(archive)
    except ForbiddenDTD:
        raise
    except Exception as exc:  # a broken zip: let openpyxl judge the file
        raise NotFast(str(exc)) from exc
    if errors:
        raise NotFast("error cells")
    try:
        with CalamineWorkbook.from_filelike(io.BytesIO(data)) as workbook:
            first = next(
                (i for i, s in enumerate(workbook.sheets_metadata) if s.typ == SheetTypeEnum.WorkSheet), None
            )
            if first is None:
                raise NotFast("no worksheet")
            return workbook.get_sheet_by_index(first).to_python(skip_empty_area=False)
    except NotFast:
        raise
    except Exception as exc:  # calamine's XmlError, ZipError …
        raise NotFast(str(exc)) from exc


class Rows(Sequence):
    """The data rows of a sheet read by calamine, as ``importing.read_rows`` gives them: each
    ``(Excel row number, tuple of values)``, the values converted by ``_row`` when the row is
    taken, so that every importer sees what openpyxl would give. ``numbers`` and ``raw`` (the
    rows as calamine gave them) are for a reader that takes calamine's values column by column
    under the same type rules (the monthly import's ``read_regular_rows``): it then converts
    only the rows it reads one by one."""

    __slots__ = ("numbers", "raw")

    def __init__(self, numbers, raw):
        self.numbers, self.raw = numbers, raw

    def __len__(self):
        return len(self.raw)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return list(zip(self.numbers[index], map(_row, self.raw[index]), strict=True))
        return self.numbers[index], _row(self.raw[index])

    def __iter__(self):
        return zip(self.numbers, map(_row, self.raw), strict=True)

    def __eq__(self, other):
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self):
        return f"<Rows: {len(self)} rows>"


def _row(values, date=datetime.date, datetime_=datetime.datetime, float_=float, limit=SAFE_INT):
    """One row as openpyxl gives it (see the module docstring)."""
    return tuple(
        [
            None
            if v == ""
            else int(v)
            if v.__class__ is float_ and v.is_integer() and -limit < v < limit
            else datetime_(v.year, v.month, v.day)
            if v.__class__ is date
            else v
            for v in values
        ]
    )


def scan(archive) -> bool:
    """Refuse a DTD or entity in any part; True when a worksheet has error cells.

    Every part but pictures is read through (zipfile stops at the declared size, which
    ``check_file`` bounds): a declaration can hide after a comment (``<!-- <x -->``), so the
    whole text is searched, not only the head. ``<!`` is rare in a workbook (comments,
    CDATA), so each occurrence is looked at.
    """
    errors = False
    utf16 = ""
    for info in archive.infolist():
        name = info.filename
        if info.is_dir() or name.lower().endswith(BINARY):
            continue
        worksheet = name.startswith("xl/worksheets/")
        tail = b""
        first = True
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                if first:
                    first = False
                    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in chunk[:200]:
                        # Read by openpyxl, but searched here all the same: decoded whole
                        # (``check_file`` bounds the size of every part).
                        utf16 = utf16 or name
                        _refuse_declarations(_utf8(chunk + part.read()), name)
                        break
                text = tail + chunk
                _refuse_declarations(text, name)
                if worksheet and not errors:
                    errors = _has_error_cells(text)
                tail = text[-16:]
    if utf16:
        raise NotFast(f"UTF-16 part {utf16}")
    return errors


def _refuse_declarations(text, name):
    """Raise ForbiddenDTD when ``text`` holds ``<!DOCTYPE`` or ``<!ENTITY`` (any case).

    Found by their "!": a search for one byte runs at memory speed (memchr), while one for
    "<!" stops at every "<" of the XML, that is every few bytes. "!" is rare in a workbook
    (a comment, CDATA, an error value, another sheet's name in a formula); a text with many
    (past ``MANY``) is searched for "<!" from there on, as it was before."""
    at = text.find(b"!")
    looked = 0
    while at != -1:
        if text[at - 1 : at] == b"<" and text[at + 1 : at + 8].upper().startswith(DECLARATIONS):
            raise ForbiddenDTD(name)
        looked += 1
        if looked > MANY:
            start = text.find(b"<!", at)
            while start != -1:
                if text[start + 2 : start + 9].upper().startswith(DECLARATIONS):
                    raise ForbiddenDTD(name)
                start = text.find(b"<!", start + 2)
            return
        at = text.find(b"!", at + 1)


def _utf8(data: bytes) -> bytes:
    """A UTF-16 part as UTF-8, to search it as the others."""
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-16-le"
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and data[:1] == b"\x00":
        encoding = "utf-16-be"
    return data.decode(encoding, errors="replace").encode("utf-8")


def _has_error_cells(text):
    """Whether ``text`` (a worksheet) has a cell of type "e": ``t="e"`` or ``t='e'``, with
    spaces or not around "=". The double-quoted form is searched for as such; a single quote
    is rare in a worksheet, so ``'e'`` is found by its quote (memchr, as in
    ``_refuse_declarations``) up to ``MANY`` of them, then as such."""
    at = text.find(b'"e"')
    while at != -1:
        if ERROR_TYPE.search(text, max(0, at - 8), at):
            return True
        at = text.find(b'"e"', at + 3)
    at = text.find(b"'")
    looked = 0
    while at != -1:
        if text[at + 1 : at + 3] == b"e'" and ERROR_TYPE.search(text, max(0, at - 8), at):
            return True
        looked += 1
        if looked > MANY:
            at = text.find(b"'e'", at)
            while at != -1:
                if ERROR_TYPE.search(text, max(0, at - 8), at):
                    return True
                at = text.find(b"'e'", at + 3)
            return False
        at = text.find(b"'", at + 1)
    return False
