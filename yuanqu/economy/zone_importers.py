"""Excel import of zone-level figures (园区月度数据: GDP, 固定资产投资 …) for one month.

Same contract as the monthly import (``importers.MonthlyImporter``): one month per file
(``--period 2023-10``), the whole file in one transaction, errors by row and column in
Chinese, nothing written when any row is wrong. One row per 园区/片区 and indicator, both
named as on screen; 当月值 and 1–N月累计 as a form entry (the missing one derived where the
zone's earlier months allow, else left empty), 公布增速 in percent (9.5 = 增长9.5%). A row
that differs from the current version becomes its next version with the reason
“Excel导入：文件名”.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from yuanqu.users.models import Zone
from yuanqu.users.permissions import restrict
from yuanqu.utilities.importing import (
    Column,
    Importer,
    ImportRejected,
    RowError,
    RowResult,
    _blank,
    _number,
    _text,
    register,
)

from .models import Indicator, ZoneMonthlyFigure
from .services import check_unlocked, complete_values, describe, parse_period, record_zone_figure
from .tables import ZoneMonthlyFigureTable

ZONE = Column("园区/片区", "zone", required=True, aliases=("片区", "园区"), help="系统中已有的园区或片区名称")
INDICATOR = Column(
    "指标", "indicator", required=True, aliases=("指标名称",), help="经济指标名称，如 地区生产总值"
)
MONTH = Column("当月值", "month_value", help="当月值；当月与累计填一项即可")
YTD = Column(
    "1-N月累计值", "ytd_value", aliases=("累计值", "1–N月累计值", "本年累计"), help="本年1月至当月的累计值"
)
GROWTH = Column(
    "公布增速（%）",
    "published_growth",
    aliases=("公布增速", "增速（%）"),
    help="统计部门公布的同比增速，9.5 表示增长9.5%",
)


def _shown(value) -> str:
    return "—" if value is None else f"{value.normalize():f}"


@register
class ZoneFigureImporter(Importer):
    name = "zone-figures"
    model = ZoneMonthlyFigure
    key = "zone"
    columns = [ZONE, INDICATOR, MONTH, YTD, GROWTH]
    accepts_period = True
    template_filename = "园区月度数据导入模板.xlsx"
    # ``yuanqu export zone-figures FILE``: the current versions, as the list page exports them.
    queryset = ZoneMonthlyFigure.objects.filter(is_current=True).select_related(
        "zone", "indicator", "reported_by"
    )
    table = ZoneMonthlyFigureTable

    def __init__(self, user=None, period=None):
        self.user = user
        self.unknown_headers = []
        self.period = None
        if period:
            self.period = period if hasattr(period, "year") else parse_period(str(period))

    @property
    def verbose_name(self):
        name = str(self.model._meta.verbose_name)
        return f"{name}（{describe(self.period)}）" if self.period else name

    def choices_for(self, column):
        if column is ZONE:
            return list(Zone.objects.values_list("name", flat=True))
        if column is INDICATOR:
            return list(Indicator.objects.filter(active=True).values_list("name", flat=True))
        return None

    def run(self, header, rows, result, commit):
        if self.period is None:
            raise ImportRejected("请指定导入的月份（如 2023-10）")
        try:
            check_unlocked(self.period)
        except ValidationError as exc:
            raise ImportRejected(exc.messages[0]) from None
        mapped = self.map_header(header)
        if self.unknown_headers:
            result.warnings.append(f"以下列未识别，已忽略：{'、'.join(self.unknown_headers)}")
        if not any(c in mapped for c in (MONTH, YTD)):
            raise ImportRejected("表头缺少数值列：当月值、1-N月累计值至少要有一列")
        self.zones = {z.name: z for z in Zone.objects.all()}
        self.indicators = {i.name: i for i in Indicator.objects.filter(active=True)}
        self.reason = f"Excel导入：{self.filename}"[:200]
        seen = {}
        with transaction.atomic():
            for number, values in rows:
                values = list(values) + [None] * (len(mapped) - len(values))
                cells = {c.field: values[i] for i, c in enumerate(mapped) if c is not None}
                self.read_figure_row(number, cells, seen, result)
            result.committed = commit and result.ok
            if not result.committed:
                transaction.set_rollback(True)
        return result

    def read_figure_row(self, number, cells, seen, result):
        errors = []
        zone = self.find(number, cells, ZONE, self.zones, errors)
        indicator = self.find(number, cells, INDICATOR, self.indicators, errors)
        numbers = {}
        for column in (MONTH, YTD, GROWTH):
            raw = cells.get(column.field)
            if _blank(raw):
                numbers[column.field] = None
                continue
            try:
                numbers[column.field] = _number(raw.strip() if isinstance(raw, str) else raw)
            except ValidationError as exc:
                errors.append(RowError(number, column.header, exc.messages[0]))
        if errors:
            result.errors.extend(errors)
            return
        key = (zone.pk, indicator.pk)
        if key in seen:
            message = f"与第{seen[key]}行重复（同一文件中同一园区/片区的同一指标只能出现一次）"
            result.errors.append(RowError(number, INDICATOR.header, message))
            return
        seen[key] = number
        label = f"{zone} {indicator}"
        growth = numbers["published_growth"]
        growth = None if growth is None else growth / 100
        try:
            month_value, ytd_value = complete_values(
                ZoneMonthlyFigure, {"zone": zone}, indicator, self.period,
                numbers["month_value"], numbers["ytd_value"], strict=False,
            )  # fmt: skip
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = MONTH if name == "month_value" else YTD
                result.errors.extend(RowError(number, column.header, m) for m in messages)
            return
        current = ZoneMonthlyFigure.objects.filter(
            zone=zone, indicator=indicator, period=self.period, is_current=True
        ).first()
        after = (month_value, ytd_value, growth)
        before = (current.month_value, current.ytd_value, current.published_growth) if current else None
        if before is not None and _same(before, after):
            result.rows.append(RowResult(number, "unchanged", label, label))
            return
        changes = []
        for column, old, new in zip((MONTH, YTD, GROWTH), before or (None,) * 3, after, strict=True):
            if old != new:
                changes.append((column.header, _shown(old), _shown(new)))
        try:
            with transaction.atomic():
                saved = record_zone_figure(
                    zone,
                    indicator,
                    self.period,
                    published_growth=growth,
                    month_value=month_value,
                    ytd_value=ytd_value,
                    reason=self.reason if current else "",
                    user=self.user,
                )
                if (
                    self.user is not None
                    and not restrict(
                        ZoneMonthlyFigure.objects.filter(pk=saved.pk), self.user, "import"
                    ).exists()
                ):
                    raise ValidationError(f"“{zone}”的数据不在您可导入的范围内")
        except ValidationError as exc:
            result.errors.append(RowError(number, ZONE.header, "；".join(exc.messages)))
            return
        result.rows.append(RowResult(number, "changed" if current else "new", label, label, changes))

    def find(self, number, cells, column, known, errors):
        raw = cells.get(column.field)
        if _blank(raw):
            errors.append(RowError(number, column.header, "必填，不能为空"))
            return None
        text = _text(raw)
        found = known.get(text)
        if found is None:
            errors.append(
                RowError(number, column.header, f"未找到“{text}”，请填写系统中已有的{column.header}名称")
            )
        return found


def _same(before, after) -> bool:
    return all(
        (a is None and b is None) or (a is not None and b is not None and Decimal(a) == Decimal(b))
        for a, b in zip(before, after, strict=True)
    )
