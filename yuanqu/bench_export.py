"""The Excel export's reference writer for ``make bench``: the sheet as xlsxwriter wrote it
before ``utilities.excel.write_xlsx`` wrote the XML itself (issue 9).

Kept so that the bench prints the old writer's floor beside the new one in the same run, and
so that a test can open both files and compare them cell by cell. No page uses it.
"""

import datetime
import decimal
import itertools
import tempfile
from pathlib import Path

from django.utils.html import strip_tags

from yuanqu.utilities import excel


def xlsxwriter_write(target, title: str, header: list[str], rows, figures=()) -> int:
    """``write_xlsx`` as it was before (xlsxwriter in constant-memory mode), line for line."""
    import xlsxwriter

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
        sheet = book.add_worksheet(excel.sheet_name(title))
        bold = book.add_format({"bold": True})
        date_format = book.add_format({"num_format": excel.DATE_FORMAT})
        datetime_format = book.add_format({"num_format": excel.DATETIME_FORMAT})
        whole_format = book.add_format({"num_format": excel.WHOLE_FIGURE_FORMAT})
        fraction_format = book.add_format({"num_format": excel.FIGURE_FORMAT})
        formats = {
            "date": date_format,
            "datetime": datetime_format,
            "whole": whole_format,
            "fraction": fraction_format,
        }
        figures = frozenset(figures)

        rows = iter(rows)
        first = list(itertools.islice(rows, excel.WIDTH_SAMPLE_ROWS))
        head = [excel.cell_value(str(name)) for name in header]  # text, like every cell
        for col, name in enumerate(head):
            shown = [excel.cell_value(r[col]) for r in first if col < len(r)]
            widest = max([excel.display_width(name)] + [excel.display_width(v) for v in shown])
            sheet.set_column(col, col, min(max(widest + 2, 8), 60))
        sheet.freeze_panes(1, 0)
        for col, name in enumerate(head):
            sheet.write_string(0, col, name, bold)

        # excel.cell_value() inlined for the common types: this loop runs once per cell.
        write_string, write_number, write_datetime = (
            sheet.write_string,
            sheet.write_number,
            sheet.write_datetime,
        )
        count = 0
        for values in itertools.chain(first, rows):
            count += 1
            if count > excel.MAX_ROWS:  # xlsxwriter would drop the rest silently
                raise ValueError(f"导出超过 Excel 单个工作表 {excel.MAX_ROWS:,} 行的上限，请先筛选后再导出")
            for col, value in enumerate(values):
                kind = type(value)
                if kind is str:
                    if not value.isprintable():
                        value = excel.CONTROL_CHARACTERS.sub("", value)
                    if "<" in value:
                        value = strip_tags(value)
                    value = value.strip()
                    if value:
                        write_string(
                            count, col, "'" + value if value.startswith(excel.FORMULA_PREFIXES) else value
                        )
                elif kind is int or kind is float or kind is decimal.Decimal:
                    if col in figures:
                        write_number(
                            count, col, value, whole_format if excel._whole(value) else fraction_format
                        )
                    else:
                        write_number(count, col, value)
                elif kind is datetime.date:
                    write_datetime(count, col, value, date_format)
                elif value is None:
                    continue
                else:  # a date-time, yes/no, a lazy string …: the general road
                    _write_other(sheet, count, col, excel.cell_value(value), col in figures, formats)
    finally:
        book.close()
    return count


def _write_other(sheet, row, col, value, figure, formats):
    """A cell of a value ``excel.cell_value()`` has already turned into what a sheet holds."""
    if isinstance(value, datetime.datetime):
        sheet.write_datetime(row, col, value, formats["datetime"])
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, col, value, formats["date"])
    elif isinstance(value, int | float | decimal.Decimal):
        number_format = (formats["whole"] if excel._whole(value) else formats["fraction"]) if figure else None
        sheet.write_number(row, col, value, number_format)
    elif value not in (None, ""):
        sheet.write_string(row, col, excel.printable(str(value)))
