"""Excel import of the peers' values (同级园区数据) from the city bureau's monthly 通报: one row
per 数据项, 月份 and 园区 (全市 for the city's total); a row naming a value already entered
updates it. The list's export writes the same columns, so an export imports back unchanged.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from yuanqu.utilities.importing import Column, Importer, RowError, _blank, _text, register
from yuanqu.utilities.periods import parse_period

from .catalogue import figures
from .forms import PeerValueForm, written_names
from .models import PeerValue
from .tables import PeerValueTable

# 2026-10, 2026/10, 2026.10, 2026年10月 (2026-10-01 is read by parse_period itself).
MONTH_RE = re.compile(r"^(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月)$")
KEY_HEADER = "数据项、月份、园区"


@dataclass(frozen=True)
class RowKey:
    """What identifies a row's record; shown on the preview as its label."""

    figure: str
    period: datetime.date
    peer: str
    label: str = field(compare=False)

    def __str__(self):
        return self.label


class PeerImportForm(PeerValueForm):
    """The edit form's rules; the importer has already turned the 数据项 cell into a catalogue
    key, and a row with neither 数值 nor 增速 is reported against its 数值 cell."""

    figure = forms.CharField(label="数据项", max_length=80)
    neither_field, neither_message = "value", "数值和增速（%）至少填写一项"


def month_text(value) -> str:
    """A 月份 cell as "2026-10" (the form reads it), or a Chinese ValidationError naming it."""
    if isinstance(value, datetime.datetime | datetime.date):  # Excel turns 2026-10 into a date
        return f"{value:%Y-%m}"
    text = _text(value)
    match = MONTH_RE.match(text)
    if match:
        year, month = match.group(1), match.group(2) or match.group(3)
        text = f"{year}-{int(month):02d}"
    try:
        parse_period(text)
    except ValidationError:
        raise ValidationError(f"“{text}”不是可识别的月份，应为“2026-10”或“2026年10月”") from None
    return text


@register
class PeerValueImporter(Importer):
    name = "peers"
    model = PeerValue
    form = PeerImportForm
    key = "peer"  # with 数据项 and 月份: see existing_record()
    queryset = PeerValue.objects.all()
    table = PeerValueTable
    template_filename = "同级园区数据导入模板.xlsx"
    columns = [
        Column(
            "月份",
            "period",
            required=True,
            text=True,
            help="通报所到的月份（1–N月累计），如 2026-10 或 2026年10月",
        ),
        Column(
            "数据项",
            "figure",
            required=True,
            help="数据目录中的名称（须与目录一致）或数据项代码，如 economy.gdp",
        ),
        Column("园区", "peer", required=True, help="通报中的园区名称；全市合计填“全市”"),
        Column("数值", "value", help="按数据目录中该数据项的单位填写；数值和增速至少填一项"),
        Column("增速（%）", "growth", aliases=("增速",), help="通报中的同比增速，9.5 表示增长9.5%"),
        Column("来源", "source", help="如：市统计局2026年10月通报"),
    ]

    def __init__(self, user=None):
        super().__init__(user=user)
        self.catalogue = figures()
        self.names = written_names(self.catalogue)
        self.by_name = defaultdict(list)
        for key, figure in self.catalogue.items():
            self.by_name[figure.name].append(key)

    @classmethod
    def key_column(cls):
        return Column(KEY_HEADER, "peer")

    def choices_for(self, column):
        if column.field == "figure":
            return list(self.names.values())
        return super().choices_for(column)

    def figure_key(self, text: str) -> str:
        if text in self.catalogue:
            return text
        keys = self.by_name.get(text, [])
        if len(keys) > 1:
            raise ValidationError(f"名为“{text}”的数据项不止一个（{'、'.join(keys)}），请填写数据项代码")
        if not keys:
            raise ValidationError(
                f"数据目录中没有“{text}”，请填写数据目录中的名称或数据项代码（如 economy.gdp）"
            )
        return keys[0]

    def convert(self, column, value):
        if _blank(value):
            return None
        if column.field == "figure":
            return self.figure_key(_text(value))
        if column.field == "period":
            return month_text(value)
        return super().convert(column, value)

    def row_key(self, cells):
        """The row's (数据项, 月份, 园区), or None when one of them is empty or unreadable (the
        row's own check then says which)."""
        by_field = {c.field: c for c in self.columns}
        try:
            figure, period, peer = (
                self.convert(by_field[name], cells.get(name)) for name in ("figure", "period", "peer")
            )
        except ValidationError:
            return None
        if not (figure and period and peer):
            return None
        label = f"{self.names.get(figure, figure)} {period} {peer}"
        return RowKey(figure, parse_period(period), peer, label)

    def existing_record(self, key):
        if not key:
            return None
        return PeerValue.objects.filter(figure=key.figure, period=key.period, peer=key.peer).first()

    def bind(self, number, existing, cells, errors):
        # A file without the 增速 column keeps the growth entered; the form reads it in percent.
        if "growth" not in cells and existing is not None and existing.growth is not None:
            cells = {**cells, "growth": (existing.growth * 100).normalize()}
        return super().bind(number, existing, cells, errors)

    def run(self, header, rows, result, commit):
        mapped = self.map_header(header)
        if self.unknown_headers:
            result.warnings.append(f"以下列未识别，已忽略：{'、'.join(self.unknown_headers)}")
        seen = {}
        with transaction.atomic():
            for number, values in rows:
                values = list(values) + [None] * (len(mapped) - len(values))
                cells = {c.field: values[i] for i, c in enumerate(mapped) if c is not None}
                key = self.row_key(cells)
                if key is not None and key in seen:
                    message = f"与第{seen[key]}行重复（同一文件中同一数据项、月份和园区只能出现一次）"
                    result.errors.append(RowError(number, "园区", message))
                    self.check_row(number, key, cells, result)  # its other faults are listed too
                    continue
                if key is not None:
                    seen[key] = number
                self.read_row(number, key, cells, result)
            result.committed = commit and result.ok
            if not result.committed:
                transaction.set_rollback(True)
        return result
