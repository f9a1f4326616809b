"""The downloadable import template of an importer: headers, notes and drop-down lists."""

import io

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .excel import neutralise, printable

# Excel refuses an inline list ("a,b,c") longer than this; longer lists go on a hidden sheet.
INLINE_LIST_LIMIT = 255
LAST_ROW = 1048576
OPTIONS_SHEET = "选项"
REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def column_note(importer, column) -> str:
    """What the notes say about a column: required or not, format, allowed values."""
    parts = ["必填" if column.required else "选填"]
    if column.help:
        parts.append(column.help)
    choices = importer.choices_for(column)
    if choices is not None and not column.help:
        parts.append("从下拉列表中选择")
    return "。".join(parts)


def build_template(importer) -> bytes:
    """An .xlsx with the importer's columns on the first sheet (the one the import reads), and
    the rows of ``importer.template_rows()`` when it has them (keys filled in for the user)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = importer.verbose_name[:31]
    guide = workbook.create_sheet("填写说明")
    options = None
    bold = Font(bold=True)

    guide.append(["列名", "是否必填", "填写说明", "可选值"])
    for cell in guide[1]:
        cell.font = bold
        cell.fill = HEADER_FILL

    for index, column in enumerate(importer.columns, start=1):
        letter = get_column_letter(index)
        note = column_note(importer, column)
        cell = sheet.cell(
            row=1, column=index, value=f"{column.header}*" if column.required else column.header
        )
        cell.font = bold
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        cell.comment = Comment(note, "yuanqu", width=260, height=110)
        sheet.column_dimensions[letter].width = max(12, min(40, len(column.header) * 2 + 6))
        if column.text:
            sheet.column_dimensions[letter].number_format = "@"  # keep leading zeros and long codes

        choices = [printable(c) for c in importer.choices_for(column) or ()]
        shown = ""
        if choices:
            inline = ",".join(choices)
            if len(inline) + 2 <= INLINE_LIST_LIMIT and not any("," in c or '"' in c for c in choices):
                formula = f'"{inline}"'
            else:
                if options is None:
                    options = workbook.create_sheet(OPTIONS_SHEET)
                    options.sheet_state = "hidden"
                options.cell(row=1, column=index, value=column.header)
                for row, choice in enumerate(choices, start=2):
                    options.cell(row=row, column=index, value=choice).data_type = "s"
                formula = f"{quote_sheetname(OPTIONS_SHEET)}!${letter}$2:${letter}${len(choices) + 1}"
            validation = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="无效的值",
                error=f"请从下拉列表中选择{column.header}",
                showInputMessage=True,
                promptTitle=column.header,
                prompt=note[:255],
            )
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)
            shown = "、".join(choices) if len(choices) <= 30 else f"共 {len(choices)} 项，见下拉列表"
        guide.append([column.header, "是" if column.required else "否", column.help, neutralise(shown)])

    rows = importer.template_rows() if hasattr(importer, "template_rows") else []
    for values in rows:  # prefilled keys (the enterprises a user reports for): numbers only to fill in
        sheet.append([neutralise(v) for v in values])
        for cell, column in zip(sheet[sheet.max_row], importer.columns, strict=False):
            if column.text:
                cell.number_format = "@"
    sheet.freeze_panes = "A2"
    guide.append([])
    guide.append(["说明：第一个工作表的第一行为列名，请勿修改；从第二行起每行一条记录。带 * 的列必填。"])
    if rows:
        guide.append(
            [f"已列出您可填报的 {len(rows)} 条记录的代码和名称，只需在各行填写数字；不填报的行可删除或留空。"]
        )
    guide.column_dimensions["A"].width = 20
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 60
    guide.column_dimensions["D"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
