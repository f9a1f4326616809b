"""Excel import of enterprise monthly reports (企业月报) for one month.

The layout is the statistics bureau's direct-reporting export: one row per enterprise keyed by
统一社会信用代码 (企业名称 only for the eye), one column per indicator named by the indicator's
name, as 当月 and/or 1–N月累计 (“规上工业总产值（当月）”, “规上工业总产值（1-10月累计）”,
“规上工业总产值（本年累计）”). A plain indicator name is read as the indicator reports it. The
missing one of the pair is derived as a form entry would (``services.complete_values``); a
value that differs from the current version is recorded as a new version with the reason
“Excel导入：文件名”.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from yuanqu.enterprises.models import Enterprise
from yuanqu.enterprises.validators import normalise_uscc
from yuanqu.users.choices import Constraint
from yuanqu.users.permissions import constraint_q, constraints_for
from yuanqu.utilities.importing import (
    Column,
    Importer,
    ImportRejected,
    RowError,
    RowResult,
    _blank,
    _number,
    _text,
    normalise_header,
    register,
)

from .choices import IndicatorKind, IndicatorLevel
from .models import EnterpriseMonthlyValue, Indicator
from .services import (
    add_months,
    check_unlocked,
    complete_values,
    describe,
    parse_period,
    record_enterprise_value,
)

MONTH, YTD = "month_value", "ytd_value"
KIND_LABEL = {MONTH: "当月", YTD: "累计"}
# Indicators whose reported values may be below zero (a loss).
NEGATIVE_ALLOWED = {"profit"}
# 当月 given next to 累计 may differ from 累计 − previous 累计 by rounding, not more.
TOLERANCE = Decimal("0.1")
USCC = Column(
    "统一社会信用代码",
    "uscc",
    required=True,
    text=True,
    aliases=("信用代码", "社会信用代码", "统一社会信用代码（纳税人识别号）"),
    help="18位代码；企业须已在企业库中登记",
)
NAME = Column("企业名称", "name", aliases=("单位名称", "单位详细名称"), help="仅供核对，不导入")
RANGE_RE = re.compile(r"1[-－–—~～至到](\d{1,2})月")


def _shown(value) -> str:
    return "—" if value is None else f"{value.normalize():f}"


@register
class MonthlyImporter(Importer):
    name = "monthly"
    model = EnterpriseMonthlyValue
    key = "uscc"
    accepts_period = True
    template_filename = "企业月报导入模板.xlsx"

    def __init__(self, user=None, period=None):
        # A row holds many values, so it is not read through one model form as in Importer.
        self.user = user
        self.unknown_headers = []
        self.period = None
        if period:
            self.period = period if hasattr(period, "year") else parse_period(str(period))
        self.indicators = list(
            Indicator.objects.filter(active=True, level=IndicatorLevel.ENTERPRISE).order_by("order", "code")
        )
        self.columns = [USCC, NAME, *self.indicator_columns()]

    @classmethod
    def key_column(cls):
        return USCC

    @property
    def verbose_name(self):
        name = str(self.model._meta.verbose_name)
        return f"{name}（{describe(self.period)}）" if self.period else name

    def indicator_columns(self):
        month = self.period.month if self.period else None
        ytd = f"1-{month}月累计" if month else "1-N月累计"
        columns = []
        for indicator in self.indicators:
            unit = indicator.get_unit_display()
            columns.append(
                Column(f"{indicator.name}（当月）", f"{indicator.code}:{MONTH}", help=f"{unit}，当月值")
            )
            columns.append(
                Column(
                    f"{indicator.name}（{ytd}）",
                    f"{indicator.code}:{YTD}",
                    help=f"{unit}，本年1月至当月的累计值；当月与累计填一项即可，另一项自动推算",
                )
            )
        return columns

    def choices_for(self, column):
        return None

    # Header ---------------------------------------------------------------------------------

    def classify(self, value):
        """(indicator, MONTH or YTD) of a header cell, or None when it names no indicator."""
        text = normalise_header(value)
        for indicator in sorted(self.indicators, key=lambda i: -len(i.name)):
            if not text.startswith(indicator.name):
                continue
            rest = text[len(indicator.name) :].replace("（", "").replace("）", "")
            rest = rest.replace(indicator.get_unit_display(), "")
            if not rest:
                kind = MONTH if indicator.kind == IndicatorKind.MONTH_FLOW else YTD
            elif rest in ("当月", "当月值", "本月", "本月值", "当月数"):
                kind = MONTH
            elif "累计" in rest or RANGE_RE.fullmatch(rest) or rest in ("本年", "1-N月", "期末数"):
                kind = YTD
                found = RANGE_RE.search(rest)
                if found and self.period and int(found.group(1)) != self.period.month:
                    raise ImportRejected(
                        f"表头“{str(value).strip()}”是1–{found.group(1)}月的累计，"
                        f"与导入月份{describe(self.period)}不符"
                    )
            else:
                return None
            return indicator, kind
        return None

    def map_header(self, values):
        mapped, seen, unknown = [], set(), []
        for value in values:
            name = normalise_header(value)
            if name in {normalise_header(n) for n in (USCC.header, *USCC.aliases)}:
                entry = "uscc"
            elif name in {normalise_header(n) for n in (NAME.header, *NAME.aliases)}:
                entry = "name"
            else:
                entry = self.classify(value)
            if entry is not None and entry in seen:
                label = {"uscc": USCC.header, "name": NAME.header}.get(entry) or (
                    f"{entry[0].name}（{KIND_LABEL[entry[1]]}）"
                )
                raise ImportRejected(f"表头中“{label}”列出现了两次")
            if entry is None and name:
                unknown.append(str(value).strip())
            seen.add(entry)
            mapped.append((entry, str(value).strip()) if entry is not None else None)
        if "uscc" not in seen:
            raise ImportRejected("表头缺少必填列：统一社会信用代码（第一行应为列名，可下载导入模板对照）")
        if not any(isinstance(e, tuple) for e in seen):
            names = "、".join(i.name for i in self.indicators)
            raise ImportRejected(
                f"表头中没有可识别的指标列：列名应为指标名称加“（当月）”或“（累计）”，指标有：{names}"
            )
        self.unknown_headers = unknown
        return mapped

    # Rows -----------------------------------------------------------------------------------

    def importable_enterprises(self):
        """Ids of the enterprises whose reports the user may import; None: every one."""
        if self.user is None:
            return None
        combined = None
        for constraint in constraints_for(self.user, self.model, "import"):
            path = self.model.restrict_paths.get(constraint, "")
            if not path and constraint != Constraint.ALL:
                continue
            relative = "pk" if path == "enterprise" else path.removeprefix("enterprise__")
            q = constraint_q(self.user, Enterprise, constraint, path=relative)
            if q is None:
                continue
            if not q:
                return None
            combined = q if combined is None else combined | q
        if combined is None:
            return set()
        return set(Enterprise.objects.filter(combined).values_list("pk", flat=True))

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
        index = {entry: i for i, cell in enumerate(mapped) if cell for entry in [cell[0]]}
        uscc_index = index["uscc"]
        codes = {
            normalise_uscc(_text(values[uscc_index]))
            for _, values in rows
            if uscc_index < len(values) and not _blank(values[uscc_index])
        }
        self.enterprises = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes)}
        self.allowed_ids = self.importable_enterprises()
        self.reason = f"Excel导入：{self.filename}"[:200]
        seen = {}
        with transaction.atomic():
            for number, values in rows:
                values = list(values) + [None] * (len(mapped) - len(values))
                raw = values[uscc_index]
                code = normalise_uscc(_text(raw)) if not _blank(raw) else ""
                if code and code in seen:
                    message = f"与第{seen[code]}行重复（同一文件中同一企业只能出现一次）"
                    result.errors.append(RowError(number, USCC.header, message))
                    continue
                seen[code] = number
                self.read_monthly_row(number, code, values, mapped, result)
            result.committed = commit and result.ok
            if not result.committed:
                transaction.set_rollback(True)
        return result

    def read_monthly_row(self, number, code, values, mapped, result):
        if not code:
            result.errors.append(RowError(number, USCC.header, "必填，不能为空"))
            return
        enterprise = self.enterprises.get(code)
        if enterprise is None:
            message = f"企业库中没有统一社会信用代码为“{code}”的企业，请先登记企业"
            result.errors.append(RowError(number, USCC.header, message))
            return
        if self.allowed_ids is not None and enterprise.pk not in self.allowed_ids:
            message = f"企业“{enterprise.name}”不在您可导入的范围内（例如不属于本部门或本企业）"
            result.errors.append(RowError(number, USCC.header, message))
            return
        given, headers, errors = {}, {}, []
        for cell, value in zip(mapped, values, strict=False):
            if not cell or not isinstance(cell[0], tuple) or _blank(value):
                continue
            (indicator, kind), header = cell
            try:
                number_value = _number(value.strip() if isinstance(value, str) else value)
            except ValidationError as exc:
                errors.append(RowError(number, header, exc.messages[0]))
                continue
            if number_value < 0 and indicator.code not in NEGATIVE_ALLOWED:
                errors.append(RowError(number, header, f"{indicator.name}不能为负数，实际为“{_text(value)}”"))
                continue
            given.setdefault(indicator, {})[kind] = number_value
            headers.setdefault(indicator, {})[kind] = header
        writes, changes, any_existing = [], [], False
        for indicator, pair in given.items():
            pair_headers = headers[indicator]
            try:
                month_value, ytd_value = self.complete(enterprise, indicator, pair)
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    column = pair_headers.get(name) or next(iter(pair_headers.values()))
                    errors.extend(RowError(number, column, m) for m in messages)
                continue
            current = EnterpriseMonthlyValue.objects.filter(
                enterprise=enterprise, indicator=indicator, period=self.period, is_current=True
            ).first()
            if current is not None and (current.month_value, current.ytd_value) == (month_value, ytd_value):
                continue
            any_existing = any_existing or current is not None
            for field_name, value in ((MONTH, month_value), (YTD, ytd_value)):
                before = getattr(current, field_name) if current else None
                if before != value:
                    label = f"{indicator.name}（{KIND_LABEL[field_name]}）"
                    changes.append((label, _shown(before), _shown(value)))
            writes.append((indicator, month_value, ytd_value, current is not None))
        if errors:
            result.errors.extend(errors)
            return
        label = enterprise.name
        if not writes:
            result.rows.append(RowResult(number, "unchanged", code, label))
            return
        try:
            with transaction.atomic():
                for indicator, month_value, ytd_value, correction in writes:
                    record_enterprise_value(
                        enterprise,
                        indicator,
                        self.period,
                        month_value=month_value,
                        ytd_value=ytd_value,
                        reason=self.reason if correction else "",
                        user=self.user,
                    )
        except ValidationError as exc:
            result.errors.append(RowError(number, "", f"保存失败：{'；'.join(exc.messages)}"))
            return
        status = "changed" if any_existing else "new"
        result.rows.append(RowResult(number, status, code, label, changes))

    def complete(self, enterprise, indicator, pair):
        """(当月, 累计) of one indicator: the other derived; both given must agree."""
        month_value, ytd_value = pair.get(MONTH), pair.get(YTD)
        if month_value is not None and ytd_value is not None and indicator.kind != IndicatorKind.STOCK:
            if self.period.month == 1:
                expected = ytd_value
            else:
                expected = (
                    EnterpriseMonthlyValue.objects.filter(
                        enterprise=enterprise,
                        indicator=indicator,
                        period=add_months(self.period, -1),
                        is_current=True,
                    )
                    .values_list("ytd_value", flat=True)
                    .first()
                )
                expected = None if expected is None else ytd_value - expected
            if expected is not None and abs(expected - month_value) > TOLERANCE:
                raise ValidationError(
                    {MONTH: f"当月值{_shown(month_value)}与累计值减上月累计值（{_shown(expected)}）不一致"}
                )
        return complete_values(
            EnterpriseMonthlyValue, {"enterprise": enterprise}, indicator, self.period, month_value, ytd_value
        )
