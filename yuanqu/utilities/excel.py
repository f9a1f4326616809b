"""Excel export: the table's own columns, cells a spreadsheet would run neutralised.

The sheet is written by xlsxwriter in constant-memory mode (rows go to a temporary file as
they come, so a big export holds one row at a time) and, for the page, sent as a stream over
a temporary file once it outgrows ``EXPORT_SPOOL_BYTES`` (256 KiB, about 3,000
enterprises; a smaller file is one response body). A table's rows come straight from ``values_list()`` over the table's own
queryset — the restricted, filtered one — whenever every exported column is a model field
(text, number, date, choice, foreign key); a column that renders itself (``render_<name>``,
``value_<name>``, a column class of its own) makes the export read the records and ask the
table for that column only.

The sheet: a bold, frozen header row in Chinese, column widths from the header and the first
rows, figures with thousands separators and no idle decimals (a table's number columns),
dates as dates (``yyyy-mm-dd``, ``yyyy-mm-dd hh:mm`` in local time), 是/否 for yes/no, and
text always as text (a 统一社会信用代码 or a phone number stays a string, a leading ``=`` is
neutralised). Personal fields (``personal_fields``) are masked in the rows whose record the
user may not ``view_personal``.
"""

import datetime
import decimal
import itertools
import re
import tempfile
from pathlib import Path
from urllib.parse import quote

import django_tables2 as tables
import xlsxwriter
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
    indexes of the columns whose numbers are figures (thousands separators)."""
    book = xlsxwriter.Workbook(
        str(target) if isinstance(target, Path) else target,
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "nan_inf_to_errors": True,
            "tmpdir": tempfile.gettempdir(),
        },
    )
    try:
        sheet = book.add_worksheet(sheet_name(title))
        bold = book.add_format({"bold": True})
        date_format = book.add_format({"num_format": DATE_FORMAT})
        datetime_format = book.add_format({"num_format": DATETIME_FORMAT})
        whole_format = book.add_format({"num_format": WHOLE_FIGURE_FORMAT})
        fraction_format = book.add_format({"num_format": FIGURE_FORMAT})
        formats = {
            "date": date_format,
            "datetime": datetime_format,
            "whole": whole_format,
            "fraction": fraction_format,
        }
        figures = frozenset(figures)

        rows = iter(rows)
        first = list(itertools.islice(rows, WIDTH_SAMPLE_ROWS))
        head = [cell_value(str(name)) for name in header]  # text, like every cell
        for col, name in enumerate(head):
            shown = [cell_value(r[col]) for r in first if col < len(r)]
            widest = max([display_width(name)] + [display_width(v) for v in shown])
            sheet.set_column(col, col, min(max(widest + 2, 8), 60))
        sheet.freeze_panes(1, 0)
        for col, name in enumerate(head):
            sheet.write_string(0, col, name, bold)

        # cell_value() inlined for the common types: this loop runs once per cell.
        write_string, write_number, write_datetime = (
            sheet.write_string,
            sheet.write_number,
            sheet.write_datetime,
        )
        count = 0
        for values in itertools.chain(first, rows):
            count += 1
            if count > MAX_ROWS:  # xlsxwriter would drop the rest silently
                raise ValueError(f"导出超过 Excel 单个工作表 {MAX_ROWS:,} 行的上限，请先筛选后再导出")
            for col, value in enumerate(values):
                kind = type(value)
                if kind is str:
                    if not value.isprintable():
                        value = CONTROL_CHARACTERS.sub("", value)
                    if "<" in value:
                        value = strip_tags(value)
                    value = value.strip()
                    if value:
                        write_string(count, col, "'" + value if value.startswith(FORMULA_PREFIXES) else value)
                elif kind is int or kind is float or kind is decimal.Decimal:
                    if col in figures:
                        write_number(count, col, value, whole_format if _whole(value) else fraction_format)
                    else:
                        write_number(count, col, value)
                elif kind is datetime.date:
                    write_datetime(count, col, value, date_format)
                elif value is None:
                    continue
                else:  # a date-time, yes/no, a lazy string …: the general road
                    _write_other(sheet, count, col, cell_value(value), col in figures, formats)
    finally:
        book.close()
    return count


def _whole(number) -> bool:
    try:
        return number == int(number)
    except (ValueError, OverflowError, decimal.InvalidOperation):  # NaN, infinity
        return False


def _write_other(sheet, row, col, value, figure, formats):
    """A cell of a value ``cell_value()`` has already turned into what a sheet holds."""
    if isinstance(value, datetime.datetime):
        sheet.write_datetime(row, col, value, formats["datetime"])
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, int | float | decimal.Decimal):
        number_format = (formats["whole"] if _whole(value) else formats["fraction"]) if figure else None
        sheet.write_number(row, col, value, number_format)
    elif value not in (None, ""):
        sheet.write_string(row, col, printable(str(value)))


def rows_to_xlsx(title: str, header: list[str], rows, figures=()) -> tuple[bytes, int]:
    """The workbook as bytes and its number of rows (for a caller that needs the bytes)."""
    with tempfile.TemporaryFile() as handle:
        count = write_xlsx(handle, title, header, rows, figures)
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
