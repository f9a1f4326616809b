"""Excel export: the table's own columns, cells a spreadsheet would run neutralised."""

import datetime
import decimal
import io
import re
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from yuanqu.core.changelog import audit

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Make a text cell inert: text a spreadsheet would run as a formula gets a leading '."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def cell_value(value):
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
    return neutralise(strip_tags(str(value)).strip())


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def rows_to_xlsx(title: str, header: list[str], rows) -> tuple[bytes, int]:
    workbook = Workbook(write_only=True)
    # A sheet title may not hold \ / ? * [ ] : (“园区/片区”) and has at most 31 characters.
    sheet = workbook.create_sheet(re.sub(r"[\\/?*\[\]:]", "、", title)[:31])
    bold = Font(bold=True)
    head = []
    for name in header:
        cell = WriteOnlyCell(sheet, value=neutralise(name))
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    count = 0
    for row in rows:
        sheet.append([_typed_cell(sheet, cell_value(v)) for v in row])
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def _typed_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never let openpyxl turn text into a formula
    if isinstance(value, datetime.datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, datetime.date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def table_rows(table) -> tuple[list[str], object]:
    """A django-tables2 table's exportable header and its rows (every row, not one page)."""
    columns = [c for c in table.columns if c.name not in getattr(table, "exclude_from_export", ())]
    names = [c.name for c in columns]
    return [str(c.header) for c in columns], ([row.get_cell_value(n) for n in names] for row in table.rows)


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
) -> HttpResponse:
    """The one audited Excel export of a page: the sheet, one ``export`` audit event naming the
    model, the number of rows and the filters, and the download response.

    Give the rows as ``header`` and ``rows`` (an iterable of sequences), or a django-tables2
    ``table`` (its exportable columns), or a ready ``workbook`` as ``(content, rows)``. This
    helper restricts nothing: the caller passes rows already restricted with the ``export``
    grant. ``data`` adds keys to the audit event (the table's name …); ``detail`` replaces the
    event's text (“导出<title><n>行”)."""
    if workbook is not None:
        content, count = workbook
    else:
        if table is not None:
            header, rows = table_rows(table)
        content, count = rows_to_xlsx(title, header, rows)
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
