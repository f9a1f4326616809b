"""Excel export: the table's own columns, cells a spreadsheet would run neutralised.

The workbook is written here (``write_xlsx``): an .xlsx is a zip of a few small fixed XML
parts and the sheet, whose XML is built row by row (text as inline strings, so no shared
string table to hold) into a temporary file and deflated at zlib's fastest level — about
five times xlsxwriter's speed, which was the export's floor. For the page the workbook is
sent as a stream over a temporary file once it outgrows ``EXPORT_SPOOL_BYTES`` (256 KiB,
about 3,000 enterprises; a smaller file is one response body). A table's rows come straight
from ``values_list()`` over the table's own queryset — the restricted, filtered one —
whenever every exported column is a model field (text, number, date, choice, foreign key); a
column that renders itself (``render_<name>``, ``value_<name>``, a column class of its own)
makes the export read the records and ask the table for that column only.

The sheet: a bold, frozen header row in Chinese, column widths from the header and the first
rows, figures with thousands separators and no idle decimals (a table's number columns),
dates as dates (``yyyy-mm-dd``, ``yyyy-mm-dd hh:mm`` in local time), 是/否 for yes/no, and
text always as text (a 统一社会信用代码 or a phone number stays a string, a leading ``=`` is
neutralised, control characters and markup dropped, at most Excel's 32,767 characters).
Personal fields (``personal_fields``) are masked in the rows whose record the user may not
``view_personal``.

A report of a few small tables on one sheet (the key projects' statistics) is written by the
same code (``write_sections``): each table under a bold heading row, an empty row between
them, and no frozen row, a sheet of sections having no single header to keep in view.
"""

import datetime
import decimal
import itertools
import re
import shutil
import tempfile
import zipfile
from urllib.parse import quote

import django_tables2 as tables
from django.conf import settings
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags

from yuanqu.core.changelog import audit

from .privacy import mask, personal_fields
from .tables import NumberColumn
from .text import CONTROL_CHARACTERS, printable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
WHOLE_FIGURE_FORMAT = "#,##0"
FIGURE_FORMAT = "#,##0.0###"  # a fraction keeps up to four places, never a bare trailing point
WIDTH_SAMPLE_ROWS = 200  # column widths are measured on the header and this many first rows
SPOOL_BYTES = 256 << 10  # a file up to this size is sent as one body, a bigger one streamed
STREAM_BLOCK = 1 << 16
MAX_ROWS = 1_048_575  # a sheet's rows below the header
STRING_MAX = 32_767  # Excel's characters in a cell (UTF-16 units); longer text is cut there
HALF_STRING_MAX = STRING_MAX // 2  # text shorter than this cannot be too long
ESCAPED_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")  # text Excel would read as an escape
EXCEL_EPOCH = datetime.date(1899, 12, 30).toordinal()
COMPRESS_LEVEL = 1  # zlib's fastest: a sheet of text deflates to a fifth of it all the same
BLOCK_CELLS = 4096  # XML pieces gathered before they go to the temporary file
COPY_BLOCK = 1 << 16


def neutralise(value):
    """Make a text cell inert: text a spreadsheet would run as a formula gets a leading ',
    control characters go."""
    if isinstance(value, str):
        value = printable(value)
        if value.startswith(FORMULA_PREFIXES):
            return "'" + value
    return value


def cell_value(value):
    """What a cell holds for a Python value: a number, a date, a (local, naive) date-time, or
    text without markup, neutralised; ``""`` for nothing, 是/否 for a yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | decimal.Decimal):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, datetime.date):
        return value
    text = printable(value if isinstance(value, str) else str(value))
    if "<" in text:
        text = strip_tags(text)
    return neutralise(text.strip())


def sheet_name(title: str) -> str:
    # A sheet title may not hold \ / ? * [ ] : (“园区/片区”), has at most 31 characters and
    # may not begin or end with an apostrophe.
    return re.sub(r"[\\/?*\[\]:]", "、", title)[:31].strip("'") or "Sheet1"


def display_width(value) -> int:
    """Roughly how many Latin characters wide a value shows (a Chinese character is two)."""
    if isinstance(value, datetime.datetime):
        return 16
    if isinstance(value, datetime.date):
        return 10
    if isinstance(value, int | float | decimal.Decimal):
        return len(f"{value:,}")
    text = str(value)
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2E7F)


def write_xlsx(target, title: str, header: list[str], rows, figures=()) -> int:
    """Write one sheet to ``target`` (a path or a binary file) and return the number of rows.

    ``rows`` is any iterable of sequences (it is read once, row by row); ``figures`` the
    indexes of the columns whose numbers are figures (thousands separators).

    The sheet's XML is written here, a block of rows at a time, into a temporary file (so a
    big export holds one block in memory), then deflated into the workbook's zip behind the
    few fixed parts (the sheet's head, which names its extent, is known only at the end)."""
    figures = frozenset(figures)
    rows = iter(rows)
    first = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
    head = [cell_value(str(name)) for name in header]  # text, like every cell
    widths = _widths(head, first, len(head))
    with tempfile.TemporaryFile() as body:
        count, last_row, last_col = _write_sheet_data(body, head, itertools.chain(first, rows), figures)
        _write_book(target, title, body, widths, last_row, last_col, frozen=True)
    return count


def write_sections(target, title: str, sections, figures=()) -> int:
    """Write one sheet of sections to ``target`` and return the number of rows under the
    headings: each section is ``(heading, rows)``, its heading a bold row (the first one
    usually the sheet's title), an empty row between two sections.

    A sheet of sections has no one header to keep in view, so nothing is frozen; the column
    widths are measured on every heading and each section's first rows, and ``figures``
    (column indexes) hold for every section's rows. Cells are written as ``write_xlsx``
    writes them (text neutralised, numbers typed)."""
    figures = frozenset(figures)
    parts = []  # (heading, first rows, the other rows)
    for heading, rows in sections:
        rows = iter(rows)
        head = [cell_value(str(name)) for name in heading]  # text, like every cell
        parts.append((head, list(itertools.islice(rows, WIDTH_SAMPLE_ROWS)), rows))
    sample = [row for head, first, _ in parts for row in (head, *first)]
    widths = _widths([], sample, max((len(row) for row in sample), default=0))
    count, last_row, last_col, start = 0, -1, -1, 0
    with tempfile.TemporaryFile() as body:
        for head, first, rest in parts:
            written, end, right = _write_sheet_data(body, head, itertools.chain(first, rest), figures, start)
            count += written
            last_row, last_col = max(last_row, end), max(last_col, right)
            start += written + 2  # the heading, the rows, an empty row
        _write_book(target, title, body, widths, last_row, last_col, frozen=False)
    return count


def _widths(head, first, columns):
    """Each column's width: its widest of the header and the first rows, 8 to 60 characters."""
    widths = []
    for col in range(columns):
        shown = [cell_value(r[col]) for r in first if col < len(r)]
        named = display_width(head[col]) if col < len(head) else 0
        widest = max([named] + [display_width(v) for v in shown])
        widths.append(min(max(widest + 2, 8), 60))
    return widths


def _write_book(target, title, body, widths, last_row, last_col, frozen):
    """The workbook's zip: the fixed parts, then the sheet (its head, the rows in ``body``)."""
    body.seek(0)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESS_LEVEL) as book:
        for name, part in _fixed_parts(sheet_name(title)):
            book.writestr(name, part)
        with book.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_sheet_head(widths, last_row, last_col, frozen))
            shutil.copyfileobj(body, sheet, COPY_BLOCK)
            sheet.write(SHEET_TAIL)


def _write_sheet_data(body, head, rows, figures, start=0):
    """Write the rows' ``<row>`` elements into ``body``, ``head`` in bold first, ``start``
    rows below the top; return the number of rows under the head, and the last row and
    column (0-based, of the sheet) that hold a cell."""
    letters = [_column_letter(col) for col in range(max(len(head), 26))]
    top = str(start + 1)
    out = [f'<row r="{top}">']
    append = out.append
    for col, name in enumerate(head):
        append(f'<c r="{letters[col]}{top}" s="{BOLD}" t="inlineStr"><is><t>{_xml_text(name)}</t></is></c>')
    append("</row>")
    last_row, last_col = (start, len(head) - 1) if head else (-1, -1)
    count = 0
    limit = MAX_ROWS - start
    for values in rows:
        count += 1
        if count > limit:
            raise ValueError(f"导出超过 Excel 单个工作表 {MAX_ROWS:,} 行的上限，请先筛选后再导出")
        if len(values) > len(letters):
            letters.extend(_column_letter(col) for col in range(len(letters), len(values)))
        r = str(start + count + 1)
        append(f'<row r="{r}">')
        opened = len(out)
        # One branch per common type, inlined: this loop runs once per cell.
        for col, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if not value.isprintable():
                    value = CONTROL_CHARACTERS.sub("", value)
                if "<" in value:
                    value = strip_tags(value)
                value = value.strip()
                if not value:
                    continue
                if value.startswith(FORMULA_PREFIXES):
                    value = "'" + value
                if (
                    len(value) > HALF_STRING_MAX
                    or "_x" in value
                    or "&" in value
                    or "<" in value
                    or ">" in value
                ):
                    value = _xml_text(value)
                append(f'<c r="{letters[col]}{r}" t="inlineStr"><is><t>{value}</t></is></c>')
            elif kind is int or kind is float or kind is decimal.Decimal:
                number = f"{value:.16G}"
                if number[-1] > "9":  # NAN, INF: what Excel shows for them
                    append(_error_cell(letters[col] + r, number, col in figures))
                elif col in figures:
                    whole = ("." not in number and "E" not in number) or _whole(value)
                    style = WHOLE if whole else FRACTION
                    append(f'<c r="{letters[col]}{r}" s="{style}"><v>{number}</v></c>')
                else:
                    append(f'<c r="{letters[col]}{r}"><v>{number}</v></c>')
            elif kind is datetime.date:
                append(f'<c r="{letters[col]}{r}" s="{DATE}"><v>{_serial(value)}</v></c>')
            elif value is None:
                continue
            else:  # a date-time, yes/no, a lazy string …: the general road
                cell = _other_cell(letters[col] + r, cell_value(value), col in figures)
                if cell is None:
                    continue
                append(cell)
            if col > last_col:
                last_col = col
        if len(out) == opened:  # no cell: no row element, as Excel writes it
            out.pop()
        else:
            append("</row>")
            last_row = start + count
        if len(out) > BLOCK_CELLS:
            body.write("".join(out).encode())
            out.clear()
    body.write("".join(out).encode())
    return count, last_row, last_col


def _column_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _xml_text(text: str) -> str:
    """Text as the content of a ``<t>`` element: at most Excel's 32,767 characters (UTF-16
    units, as Excel counts), a literal ``_xHHHH_`` kept literal, XML escaped."""
    if len(text) > HALF_STRING_MAX:
        encoded = text.encode("utf-16-le", "surrogatepass")
        if len(encoded) > 2 * STRING_MAX:
            text = encoded[: 2 * STRING_MAX].decode("utf-16-le", "ignore")
    if "_x" in text:
        text = ESCAPED_ESCAPE.sub(r"_x005F\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _serial(value) -> str:
    """A date or a naive date-time as Excel's serial day number (1900 system: Excel counts
    a 29 February 1900, so the days from 1 March 1900 on are one more than the calendar's)."""
    days = value.toordinal() - EXCEL_EPOCH
    if days <= 60:
        days -= 1
    if type(value) is datetime.date:
        return str(days)
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    return f"{days + seconds / 86400:.16G}"


def _error_cell(ref: str, number: str, figure: bool) -> str:
    """What Excel shows for a NaN (#NUM!) or an infinity (#DIV/0!, as the formula 1/0)."""
    formula = "#NUM!" if number == "NAN" else ("-1/0" if number.startswith("-") else "1/0")
    error = "#NUM!" if number == "NAN" else "#DIV/0!"
    style = f' s="{FRACTION}"' if figure else ""
    return f'<c r="{ref}"{style} t="e"><f>{formula}</f><v>{error}</v></c>'


def _other_cell(ref: str, value, figure: bool):
    """The cell of a value ``cell_value()`` has already turned into what a sheet holds."""
    if isinstance(value, datetime.datetime):
        return f'<c r="{ref}" s="{DATETIME}"><v>{_serial(value)}</v></c>'
    if isinstance(value, datetime.date):
        return f'<c r="{ref}" s="{DATE}"><v>{_serial(value)}</v></c>'
    if isinstance(value, int | float | decimal.Decimal):
        number = f"{value:.16G}"
        if number[-1] > "9":
            return _error_cell(ref, number, figure)
        style = f' s="{WHOLE if _whole(value) else FRACTION}"' if figure else ""
        return f'<c r="{ref}"{style}><v>{number}</v></c>'
    if value in (None, ""):
        return None
    return f'<c r="{ref}" t="inlineStr"><is><t>{_xml_text(printable(str(value)))}</t></is></c>'


def _whole(number) -> bool:
    try:
        return number == int(number)
    except (ValueError, OverflowError, decimal.InvalidOperation):  # NaN, infinity
        return False


def _attribute(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def _sheet_head(widths, last_row: int, last_col: int, frozen: bool = True) -> bytes:
    extent = (
        "A1" if last_row <= 0 and last_col <= 0 else f"A1:{_column_letter(max(last_col, 0))}{last_row + 1}"
    )
    # Excel stores a width of n characters as the pixels of n digits (7 each) and the
    # cell's padding (5), in 1/256 of a digit; neighbours of one width share an element.
    cols, col = [], 1
    for width, run in itertools.groupby(widths):
        span = len(list(run))
        stored = (width * 7 + 5) * 256 // 7 / 256
        cols.append(f'<col min="{col}" max="{col + span - 1}" width="{stored:.16g}" customWidth="1"/>')
        col += span
    cols = "".join(cols)
    return (
        XML_DECLARATION + f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{RELATIONSHIP_NS}">'
        f'<dimension ref="{extent}"/>'
        + (FROZEN_VIEW if frozen else PLAIN_VIEW)
        + '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + "<sheetData>"
    ).encode()


def _fixed_parts(name: str):
    """The workbook's parts other than the sheet: types, relationships, workbook, styles."""
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "application/vnd.openxmlformats-officedocument"
    document = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    yield (
        "[Content_Types].xml",
        XML_DECLARATION + f'<Types xmlns="{package}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{office}.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{office}.spreadsheetml.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>'
        "</Types>",
    )
    yield (
        "_rels/.rels",
        XML_DECLARATION + f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{document}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
    )
    yield (
        "xl/_rels/workbook.xml.rels",
        XML_DECLARATION + f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{document}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{document}/styles" Target="styles.xml"/>'
        "</Relationships>",
    )
    yield (
        "xl/workbook.xml",
        XML_DECLARATION + f'<workbook xmlns="{MAIN_NS}" xmlns:r="{RELATIONSHIP_NS}">'
        "<bookViews><workbookView/></bookViews>"
        f'<sheets><sheet name="{_attribute(name)}" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>",
    )
    yield "xl/styles.xml", STYLES


def _styles() -> str:
    formats = (DATE_FORMAT, DATETIME_FORMAT, WHOLE_FIGURE_FORMAT, FIGURE_FORMAT)
    num_fmts = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="{_attribute(code)}"/>' for i, code in enumerate(formats)
    )
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
    xfs = '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    xfs += '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    xfs += "".join(
        f'<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        for i in range(len(formats))
    )
    return (
        XML_DECLARATION + f'<styleSheet xmlns="{MAIN_NS}">'
        f'<numFmts count="{len(formats)}">{num_fmts}</numFmts>'
        f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{2 + len(formats)}">{xfs}</cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET_TAIL = (
    b"</sheetData>"
    b'<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    b"</worksheet>"
)
FROZEN_VIEW = (  # the header row stays in view
    '<sheetViews><sheetView tabSelected="1" workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft"/></sheetView></sheetViews>'
)
PLAIN_VIEW = '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
BOLD, DATE, DATETIME, WHOLE, FRACTION = 1, 2, 3, 4, 5  # the cell styles (cellXfs) of STYLES
STYLES = _styles()


def rows_to_xlsx(title: str, header: list[str], rows, figures=()) -> tuple[bytes, int]:
    """The workbook as bytes and its number of rows (for a caller that needs the bytes)."""
    with tempfile.TemporaryFile() as handle:
        count = write_xlsx(handle, title, header, rows, figures)
        handle.seek(0)
        return handle.read(), count


def sections_to_xlsx(title: str, sections, figures=()) -> tuple[bytes, int]:
    """A sheet of sections (``write_sections``) as bytes and its number of rows."""
    with tempfile.TemporaryFile() as handle:
        count = write_sections(handle, title, sections, figures)
        handle.seek(0)
        return handle.read(), count


def xlsx_response(content, filename: str) -> HttpResponse:
    """The download: ``content`` as bytes, or an open binary file (positioned at 0) that is
    streamed and closed when the response is."""
    if isinstance(content, bytes | bytearray):
        response = HttpResponse(content, content_type=XLSX_TYPE)
    else:
        response = FileResponse(content, content_type=XLSX_TYPE)
        response.block_size = STREAM_BLOCK
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


# --- a django-tables2 table as rows ------------------------------------------------------

PLAIN_COLUMNS = (tables.Column, tables.DateColumn, tables.DateTimeColumn, tables.BooleanColumn, NumberColumn)


class Sheet:
    """A table's exportable header and rows, and which columns hold figures."""

    def __init__(self, header, rows, figures):
        self.header, self.rows, self.figures = header, rows, figures

    def __iter__(self):  # ``header, rows = table_rows(table)`` keeps working
        return iter((self.header, self.rows))


class _Field:
    """A column that is a model field at the end of its accessor: read without the table."""

    def __init__(self, path, field, personal_kind=None):
        self.path = path  # Django lookup path: "zone", "industry__code"
        self.field = field
        # the labels translated once (in the request's language), not once per row
        self.choices = {k: str(v) for k, v in field.flatchoices} if getattr(field, "choices", None) else None
        self.related = field.related_model if field.is_relation else None
        self.personal_kind = personal_kind

    def resolve(self, record):
        value = record
        for part in self.path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                return None
        if self.related is not None:
            return str(value)
        return self._shown(value)

    def _shown(self, value):
        if self.choices is not None and value not in (None, ""):
            return self.choices.get(value, value)
        return value


def _field_at(model, path):
    field = None
    for part in path:
        if model is None:
            return None
        try:
            field = model._meta.get_field(part)
        except Exception:  # noqa: BLE001 - a property or method: not a field
            return None
        if field.many_to_many or field.one_to_many:
            return None
        model = field.related_model if field.is_relation else None
    return field


def _is_figure(column) -> bool:
    td = (getattr(column, "attrs", None) or {}).get("td") or {}
    return "num" in str(td.get("class", "")).split()


def _plain_field(table, bound):
    """The ``_Field`` behind a bound column when the table shows it as it is, else None."""
    column = bound.column
    if type(column) not in PLAIN_COLUMNS:
        return None
    if hasattr(table, f"value_{bound.name}") or hasattr(table, f"render_{bound.name}"):
        return None
    if "value" in vars(column) and not (type(column) is tables.Column and _is_figure(column)):
        return None  # a column given its own value function (only figures' identity is known)
    if type(column) in (tables.Column, NumberColumn) and tuple(column.empty_values) != (None, ""):
        return None  # told to show something for a value the spreadsheet would leave blank
    model = table._meta.model
    accessor = str(bound.accessor or bound.name)
    if model is None or not accessor:
        return None
    path = accessor.replace(".", "__").split("__")
    field = _field_at(model, path)
    if field is None:
        return None
    kinds = personal_fields(model)
    return _Field("__".join(path), field, kinds.get(path[0]) if len(path) == 1 else None)


def _personal_pks(model, queryset, user):
    """The keys (record or parent) whose personal data the user may see, and the attribute
    that holds the key; None when nothing is masked (no user: the command line)."""
    from yuanqu.users.permissions import restrict

    if user is None:
        return None, None
    parent_field = getattr(model, "parent_field", None)
    if parent_field:
        owner = model._meta.get_field(parent_field)
        owner_model, key = owner.related_model, owner.attname
    else:
        owner_model, key = model, "pk"
    allowed = set(
        restrict(owner_model._default_manager.all(), user, "view_personal").values_list("pk", flat=True)
    )
    return allowed, key


def table_rows(table, use_values=True) -> Sheet:
    """A django-tables2 table's exportable header and its rows (every row, not one page), as
    a ``Sheet`` (which also unpacks as ``header, rows``).

    With ``use_values`` and every column a plain model field, the rows are one
    ``values_list()`` over the table's queryset (the foreign keys' names read once per
    related record); otherwise the table's records, with the table asked only for the
    columns it renders itself."""
    columns = [c for c in table.columns if c.name not in getattr(table, "exclude_from_export", ())]
    header = [str(c.header) for c in columns]
    figures = [i for i, c in enumerate(columns) if _is_figure(c.column)]
    fields = [_plain_field(table, c) for c in columns]
    model = table._meta.model
    queryset = getattr(table.data, "data", None)
    masked = [i for i, f in enumerate(fields) if f is not None and f.personal_kind]
    allowed, key = (None, None)
    if masked and model is not None and hasattr(queryset, "model"):
        allowed, key = _personal_pks(model, queryset, getattr(table, "user", None))
    if use_values and all(fields) and hasattr(queryset, "values_list") and model is not None:
        rows = _value_rows(queryset, fields, masked, allowed, key)
    else:
        rows = _record_rows(table, columns, fields, masked, allowed, key)
    return Sheet(header, rows, figures)


def _value_rows(queryset, fields, masked, allowed, key):
    paths = [f.path for f in fields]
    extra = [key] if allowed is not None else []
    names = {}
    for i, f in enumerate(fields):  # the related records' names, once each
        if f.related is not None:
            ids = set(queryset.order_by().values_list(f.path, flat=True).distinct()) - {None}
            names[i] = {pk: str(obj) for pk, obj in f.related._base_manager.in_bulk(ids).items()}
    shown = [(i, f) for i, f in enumerate(fields) if f.choices is not None]
    for values in queryset.values_list(*paths, *extra).iterator(chunk_size=2000):
        row = list(values[: len(paths)])
        for i, lookup in names.items():
            if row[i] is not None:
                row[i] = lookup.get(row[i])
        for i, f in shown:
            row[i] = f._shown(row[i])
        if allowed is not None and values[-1] not in allowed:
            for i in masked:
                row[i] = mask(row[i], fields[i].personal_kind)
        yield row


def _record_rows(table, columns, fields, masked, allowed, key):
    for bound_row in table.rows:
        record = bound_row.record
        row = [
            f.resolve(record) if f is not None else bound_row.get_cell_value(c.name)
            for c, f in zip(columns, fields, strict=True)
        ]
        if allowed is not None and getattr(record, key) not in allowed:
            for i in masked:
                row[i] = mask(row[i], fields[i].personal_kind)
        yield row


# --- the page's export --------------------------------------------------------------------


def export_xlsx(
    request,
    *,
    title: str,
    model,
    header=None,
    rows=None,
    table=None,
    workbook: tuple[bytes, int] | None = None,
    filters: dict | None = None,
    detail: str = "",
    filename: str = "",
    data: dict | None = None,
    figures=(),
) -> HttpResponse:
    """The one audited Excel export of a page: the sheet, one ``export`` audit event naming the
    model, the number of rows and the filters, and the download response (streamed from a
    temporary file when it is big).

    Give the rows as ``header`` and ``rows`` (an iterable of sequences; ``figures`` the
    indexes of the columns of figures), or a django-tables2 ``table`` (its exportable
    columns), or a ready ``workbook`` as ``(content, rows)``. This helper restricts nothing:
    the caller passes rows already restricted with the ``export`` grant. ``data`` adds keys
    to the audit event (the table's name …); ``detail`` replaces the event's text
    (“导出<title><n>行”)."""
    if workbook is not None:
        content, count = workbook
    else:
        if table is not None:
            sheet = table_rows(table)
            header, rows, figures = sheet.header, sheet.rows, sheet.figures
        limit = getattr(settings, "EXPORT_SPOOL_BYTES", SPOOL_BYTES)
        content = tempfile.SpooledTemporaryFile(max_size=limit)  # noqa: SIM115 - closed by the response
        try:
            count = write_xlsx(content, title, header, rows, figures)
            size = content.tell()
            content.seek(0)
            if size <= limit:
                body = content.read()
                content.close()
                content = body
        except BaseException:
            content.close()
            raise
    label = model._meta.label_lower if hasattr(model, "_meta") else str(model)
    audit(
        "export",
        user=request.user,
        detail=detail or f"导出{title}{count}行",
        data={**(data or {}), "model": label, "rows": count, "filters": dict(filters or {})},
        request=request,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return xlsx_response(content, filename or f"{title}-{stamp}.xlsx")


def query_filters(request, drop=("export",)) -> dict:
    """The query string as the export's filters for the audit event (without ``export``)."""
    return {key: value for key, value in request.GET.items() if key not in drop}
