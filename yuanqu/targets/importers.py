"""Excel import and export of the target sheet (目标责任书): one row per target.

The columns are the plan's: 年度 (may be left out when the year is given as ``--year`` or on
the upload form), 指标, 类型 (增速|总量), 目标值, 单位, 口径 (以上|不少于|左右|以内|不超过|blank),
责任单位, 数据项, and for a target that counts one part of the zone only, 片区 or 口径部门.

指标 is matched to the figure catalogue when 数据项 is empty (``matching.match_figure``): by
the figure's key, then its name, then the synonyms the administrator keeps (``Synonym``: GDP =
地区生产总值); a 指标 that matches nothing is a reported target (its department enters its progress). A target is
identified by 年度 + 指标 + its scope: an existing one is updated, never duplicated, and the
export writes this very layout, so an exported sheet re-imports unchanged.
"""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction

from yuanqu.registry import register_exporter
from yuanqu.utilities.forms import BaseModelForm
from yuanqu.utilities.importing import (
    Column,
    Importer,
    ImportOption,
    RowError,
    _blank,
    _text,
    register,
)
from yuanqu.utilities.periods import parse_year

from .choices import COMPARATOR_WORDS, Comparator, TargetKind
from .matching import REPORTED as REPORTED  # re-exported: the import page names unmatched rows
from .matching import Match, match_figure
from .models import Target

KIND_WORDS = {
    "增速": TargetKind.GROWTH,
    "增长": TargetKind.GROWTH,
    "增幅": TargetKind.GROWTH,
    "总量": TargetKind.TOTAL,
    "个数": TargetKind.TOTAL,
    "总量/个数": TargetKind.TOTAL,
    "总量（个数）": TargetKind.TOTAL,
}
# How the export writes each comparator (the first word of COMPARATOR_WORDS for it).
COMPARATOR_WRITTEN = {}
for _word, _comparator in COMPARATOR_WORDS.items():
    COMPARATOR_WRITTEN.setdefault(_comparator, _word)
KIND_WRITTEN = {TargetKind.GROWTH: "增速", TargetKind.TOTAL: "总量"}
YEAR_OPTION = ImportOption("year", "目标责任书的年度，如 2023（文件中没有“年度”列或该列留空时使用）")

COLUMNS = [
    Column("年度", "year", help="如 2023；导入时指定了年度的可不填此列"),
    Column(
        "指标",
        "name",
        required=True,
        help="如 地区生产总值、GDP、新增企业；同一年度同一口径的同名指标视为同一目标",
    ),
    Column("类型", "kind", required=True, help="增速 或 总量（个数也填总量）"),
    Column("目标值", "value", required=True, help="数字；增速目标填百分数，如 增长9% 填 9"),
    Column("单位", "unit", required=True, help="系统中已有的计量单位，如 %、亿元、个、家；增速目标为 %"),
    Column("口径", "comparator", help="以上、不少于、左右、以内、不超过，或留空（达到目标值）"),
    Column("责任单位", "department", help="部门全称，须为系统中已有的部门"),
    Column(
        "数据项",
        "figure",
        text=True,
        help="数据目录中的数据项代码，如 investment.signed_100m；留空时按指标名称或别名匹配，匹配不到的为填报指标",
    ),
    Column("片区", "zone", help="目标只考核某片区时填写片区名称；留空为全园区"),
    Column("口径部门", "scope_department", help="数据项按某部门的记录计算时填写部门全称；留空为全园区"),
]


class TargetImportForm(BaseModelForm):
    """A row of the sheet; the model's own checks (unit of the figure's dimension, growth in %,
    a known figure, one target per year, name and scope) apply as on the edit page."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    class Meta:
        model = Target
        fields = [
            "year",
            "name",
            "kind",
            "value",
            "unit",
            "comparator",
            "department",
            "figure",
            "zone",
            "scope_department",
            "order",
        ]


@dataclass(frozen=True)
class TargetKey:
    """What identifies a target in the file: 年度, 指标 and its scope (names; "" for none)."""

    year: int
    name: str
    zone: str = ""
    scope_department: str = ""

    def __str__(self):
        scope = self.zone or self.scope_department
        return f"{self.name}（{scope}）" if scope else self.name


@register
class TargetImporter(Importer):
    name = "targets"
    model = Target
    form = TargetImportForm
    key = "name"
    template_filename = "目标责任书导入模板.xlsx"
    options = (YEAR_OPTION,)
    columns = COLUMNS

    def __init__(self, user=None, year=None):
        super().__init__(user=user)
        self.year = None
        if year not in (None, ""):
            try:
                self.year = parse_year(str(year))
            except ValidationError as exc:
                raise ValidationError(exc.messages[0]) from None
        self.matches: list[tuple[int, str, str]] = []  # (row, 指标, how it matched)
        self.row_number = 0

    @property
    def verbose_name(self):
        return f"{self.year}年目标责任书" if self.year else "目标责任书"

    def initial_for_new(self):
        # A new target takes its place on the sheet from the file's order.
        return {"order": self.row_number}

    def choices_for(self, column):
        if column.field == "kind":
            return ["增速", "总量"]
        if column.field == "comparator":
            return [w for w in COMPARATOR_WORDS if w]
        if column.field == "figure":
            return None  # a hundred keys: typed or left empty, not picked
        return super().choices_for(column)

    def convert(self, column, value):
        text = "" if _blank(value) else _text(value, column)
        if column.field == "kind":
            if not text:
                return None
            kind = KIND_WORDS.get(text) or (text if text in TargetKind.values else None)
            if kind is None:
                raise ValidationError(f"“{text}”不是可选的类型，应填“增速”或“总量”")
            return kind
        if column.field == "comparator":
            if text in COMPARATOR_WORDS:
                return COMPARATOR_WORDS[text]
            if text in Comparator.values:
                return text
            words = "、".join(w for w in COMPARATOR_WORDS if w)
            raise ValidationError(f"“{text}”不是可选的口径，可填：{words}，或留空（达到目标值）")
        if column.field == "figure":
            return text
        if column.field == "value" and isinstance(value, str) and text.endswith("%"):
            value = text[:-1]  # “9%” typed as text: the number of percent
        return super().convert(column, value)

    def lookup(self, column, form_field, text):
        try:
            return super().lookup(column, form_field, text)
        except ValidationError:
            if column.field in ("department", "scope_department"):
                raise ValidationError(f"系统中没有名为“{text}”的部门，请填写部门全称") from None
            if column.field == "unit":
                units = "、".join(str(u) for u in form_field.queryset.values_list("name", flat=True))
                raise ValidationError(f"系统中没有单位“{text}”，可用：{units}") from None
            if column.field == "zone":
                raise ValidationError(f"系统中没有名为“{text}”的片区") from None
            raise

    def row_key(self, cells) -> "TargetKey | None":
        """The row's 年度, 指标 and scope, or None when 年度 or 指标 is empty or unreadable (the
        row's own check then says which)."""
        year, name = cells.get("year"), cells.get("name")
        if _blank(year) or _blank(name):
            return None
        try:
            year = int(_text(year))
        except ValueError:
            return None
        scope = ("" if _blank(cells.get(f)) else _text(cells[f]) for f in ("zone", "scope_department"))
        return TargetKey(year, _text(name), *scope)

    def existing_record(self, key):
        """The target of the same 年度, 指标 and scope (片区, 口径部门; none: the whole zone)."""
        if not key:
            return None
        found = Target.objects.filter(year=key.year, name=key.name)
        for field, value in (("zone", key.zone), ("scope_department", key.scope_department)):
            found = found.filter(**({f"{field}__name": value} if value else {field: None}))
        return found.first()

    def run(self, header, rows, result, commit):
        mapped = self.map_header(header)
        if self.unknown_headers:
            result.warnings.append(f"以下列未识别，已忽略：{'、'.join(self.unknown_headers)}")
        seen = {}
        with transaction.atomic():
            for number, values in rows:
                values = list(values) + [None] * (len(mapped) - len(values))
                cells = {c.field: values[i] for i, c in enumerate(mapped) if c is not None}
                self.row_number = number
                if not self.fill_year(number, cells, result):
                    # Its other faults are listed too (the year's is already).
                    errors = self.row_errors(number, None, cells)[1]
                    result.errors.extend(e for e in errors if e.column != "年度")
                    continue
                key = self.row_key(cells)
                if key is not None and key in seen:
                    message = f"与第{seen[key]}行重复（同一年度、同一口径的指标只能出现一次）"
                    result.errors.append(RowError(number, "指标", message))
                    continue
                if key is not None:
                    seen[key] = number
                    match = self.match(cells)
                    self.matches.append((number, key.name, match.text()))
                self.read_row(number, key, cells, result)
            result.committed = commit and result.ok
            if not result.committed:
                transaction.set_rollback(True)
        result.matches = self.matches
        return result

    def fill_year(self, number, cells, result) -> bool:
        """The row's 年度, or the year given for the file; False (and the error) when neither."""
        raw = cells.get("year")
        if _blank(raw):
            if self.year is None:
                message = "必填，不能为空（或在导入时指定年度，如 --year 2023）"
                result.errors.append(RowError(number, "年度", message))
                return False
            cells["year"] = self.year
            return True
        if self.year is not None and _text(raw) != str(self.year):
            message = f"“{_text(raw)}”与导入时指定的年度{self.year}年不符"
            result.errors.append(RowError(number, "年度", message))
            return False
        return True

    def match(self, cells) -> Match:
        """The row's figure: its 数据项 when filled (checked by the model), else found by 指标;
        written into the row's cells so that an unmatched 指标 is saved as a reported target."""
        given = "" if _blank(cells.get("figure")) else _text(cells["figure"])
        if given:
            return Match(given, "数据项列")
        found = match_figure(_text(cells["name"]))
        cells["figure"] = found.key
        return found


class TargetExporter:
    """``yuanqu export targets FILE [--year 2023]``: the sheet in the import's layout."""

    name = "targets"
    model = Target
    accepts_period = False
    options = (ImportOption("year", "只导出该年度的目标，如 2023（默认导出全部年度）"),)

    def __init__(self, year=None):
        self.year = parse_year(str(year)) if year not in (None, "") else None

    @property
    def title(self):
        return f"{self.year}年目标责任书" if self.year else "目标责任书"

    def base_queryset(self):
        return Target.objects.all()

    def export(self, queryset, user=None):
        """(header, rows) of the targets among ``queryset`` (already restricted)."""
        return export_rows(queryset, self.year)


def _cell_number(value):
    """A stored Decimal(20, 4) as the plan writes it: 78, not 78.0000."""
    return int(value) if value == value.to_integral_value() else float(value)


register_exporter("targets", TargetExporter)


def export_rows(queryset, year=None):
    header = [column.header for column in COLUMNS]
    if year is not None:
        queryset = queryset.filter(year=year)
    targets = queryset.select_related("unit", "department", "zone", "scope_department").order_by(
        "year", "order", "pk"
    )
    rows = (
        [
            t.year,
            t.name,
            KIND_WRITTEN[t.kind],
            _cell_number(t.value),
            t.unit.name,
            COMPARATOR_WRITTEN[t.comparator],
            t.department.name if t.department_id else "",
            t.figure,
            t.zone.name if t.zone_id else "",
            t.scope_department.name if t.scope_department_id else "",
        ]
        for t in targets
    )
    return header, rows
