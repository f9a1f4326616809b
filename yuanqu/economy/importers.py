"""Excel import of enterprise monthly reports (企业月报) for one month.

The layout is the statistics bureau's direct-reporting export: one row per enterprise keyed by
统一社会信用代码 (企业名称 only for the eye), one column per indicator named by the indicator's
name, as 当月 and/or 1–N月累计 (“规上工业总产值（当月）”, “规上工业总产值（1-10月累计）”,
“规上工业总产值（本年累计）”). A plain indicator name is read as the indicator reports it. The
missing one of the pair is derived as a form entry would (``services.complete_values``); a
value that differs from the current version is recorded as a new version with the reason
“Excel导入：文件名”.
"""

import itertools
import json
import operator
import re
import sqlite3
from collections.abc import Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from yuanqu.core.changelog import log_value
from yuanqu.enterprises.choices import EnterpriseStatus
from yuanqu.enterprises.models import Enterprise, ScaleRecord
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
    gc_paused,
    normalise_header,
    register,
)
from yuanqu.utilities.xlsx_reader import SAFE_INT, Rows, _row

from . import rollups
from .choices import IndicatorKind, IndicatorLevel
from .models import EnterpriseMonthlyValue, Indicator, period_label
from .services import (
    add_months,
    check_unlocked,
    complete_pair,
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
# A file naming more enterprises than this is checked against the whole registry, read once.
LIST_LOOKUP_LIMIT = 2000
# Rows inserted by one statement when values are written in bulk on SQLite (see ``_insert``).
ROWS_PER_INSERT = 200
MONTH_VALUE = EnterpriseMonthlyValue._meta.get_field("month_value")  # logged as a save logs them
YTD_VALUE = EnterpriseMonthlyValue._meta.get_field("ytd_value")
QUANTUM = Decimal(1).scaleb(-MONTH_VALUE.decimal_places)
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
    only_enterprise = None  # the enterprise portal's import: rows of this enterprise only

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

    def template_rows(self):
        """The template's rows: (统一社会信用代码, 企业名称) of each enterprise the user may
        report for, so that staff fill in numbers only. Those of a statistical population
        (规上/限上 this year or last) or with a report in the last year; the portal's own
        enterprise always."""
        if self.only_enterprise is not None:
            return [(self.only_enterprise.uscc, self.only_enterprise.name)]
        allowed = self.importable_enterprises()
        enterprises = Enterprise.objects.exclude(
            status__in=[EnterpriseStatus.CANCELLED, EnterpriseStatus.MOVED_OUT]
        )
        if allowed is not None:
            enterprises = enterprises.filter(pk__in=allowed)
        today = timezone.localdate()
        reporting = ScaleRecord.objects.filter(year__gte=today.year - 1).values("enterprise_id")
        reported = EnterpriseMonthlyValue.objects.filter(
            period__gte=add_months(today.replace(day=1), -12)
        ).values("enterprise_id")
        enterprises = enterprises.filter(Q(pk__in=reporting) | Q(pk__in=reported))
        return list(enterprises.order_by("name").values_list("uscc", "name"))

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
        return set(Enterprise.objects.filter(combined).order_by().values_list("pk", flat=True))

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
        with gc_paused():
            index = {entry: i for i, cell in enumerate(mapped) if cell for entry in [cell[0]]}
            uscc_index, width = index["uscc"], len(mapped)
            if isinstance(rows, Rows):
                # calamine's values, each row as wide as the header's; a row read one by one
                # (read_monthly_row) is converted as openpyxl would give it, the others never.
                numbers, cells, self.convert = rows.numbers, rows.raw, _row
            else:
                rows = [(n, v if len(v) >= width else tuple(v) + (None,) * (width - len(v))) for n, v in rows]
                numbers, cells, self.convert = [n for n, _ in rows], [v for _, v in rows], None
            self.numbers = numbers
            self.table = list(zip(*cells, strict=False))  # columns, as wide as the narrowest row
            codes = _codes(self.table[uscc_index]) if cells else []
            # Everything a row is checked against is fetched once: no query per row.
            wanted = set(codes) - {""}
            enterprises = Enterprise.objects.order_by().values_list("uscc", "pk", "name")
            if len(wanted) > LIST_LOOKUP_LIMIT:  # most of the registry: one read of it beats a huge IN
                # The rows as the database gives them (the values_list's, without its per-row steps).
                sql, params = enterprises.query.sql_with_params()
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    registry = cursor.fetchall()
                self.enterprises = {uscc: (pk, name) for uscc, pk, name in registry if uscc in wanted}
                del registry
            else:
                self.enterprises = {
                    uscc: (pk, name) for uscc, pk, name in enterprises.filter(uscc__in=wanted)
                }
            self.allowed_ids = self.importable_enterprises()
            self.prefetch({entry[0] for entry in index if isinstance(entry, tuple)})
            self.reason = f"Excel导入：{self.filename}"[:200]
            self.writes = []
            # Per cell of an indicator column, what the row loop needs, looked up once per file:
            # (position, indicator, its pk, index in the pair (0 当月, 1 累计), header, negatives allowed).
            self.cells = [
                (i, cell[0][0], cell[0][0].pk, 0 if cell[0][1] == MONTH else 1, cell[1],
                 cell[0][0].code in NEGATIVE_ALLOWED)
                for i, cell in enumerate(mapped)
                if cell and isinstance(cell[0], tuple)
            ]  # fmt: skip
            self.labels = {
                indicator.pk: tuple(f"{indicator.name}（{KIND_LABEL[kind]}）" for kind in (MONTH, YTD))
                for indicator in self.indicators
            }
            regular = self.read_regular_rows(rows, codes, commit)
            if all(done is not None for done in regular):  # nothing wrong with any row: no loop
                result.rows.extend(regular)
            else:
                self.read_other_rows(numbers, cells, codes, regular, result)
        result.committed = commit and result.ok
        if result.committed:
            with transaction.atomic(), rollups.deferred():
                self.write()
        return result

    def read_other_rows(self, numbers, cells, codes, regular, result):
        """The rows ``read_regular_rows`` left (None in ``regular``) read one by one, in the
        file's order with the others, each repeat of an earlier row's enterprise reported."""
        seen = {}
        convert = self.convert
        for i, (number, code, done) in enumerate(zip(numbers, codes, regular, strict=True)):
            if done is not None:  # read by read_regular_rows, nothing wrong with it
                seen[code] = number
                result.rows.append(done)
                continue
            values = cells[i] if convert is None else convert(cells[i])
            if code and code in seen:  # still read, so that its other faults are listed too
                duplicate = f"与第{seen[code]}行重复（同一文件中同一企业只能出现一次）"
                self.read_monthly_row(number, code, values, result, key_error=duplicate)
                continue
            seen[code] = number
            self.read_monthly_row(number, code, values, result)

    def read_regular_rows(self, rows, codes, commit):
        """The RowResult of each row that can only be a new report, or None for the others.

        Column by column instead of cell by cell: a row is *regular* when its enterprise is
        found, importable and reported nothing yet this month, it is not a repeat, and each of
        its indicators has both 当月 and 累计 as numbers (or neither), not negative unless
        allowed, agreeing with last month's 累计. Such a row is accepted exactly as
        ``read_monthly_row`` would accept it; every other row (a fault, a value to derive, a
        correction) is left to ``read_monthly_row``, so the errors and their wording stay its.
        The cells stay floats here: a Decimal is made only for a value written or shown.

        The cells are those ``run`` put in ``self.table`` (column by column): calamine's own
        values when the file was read by calamine (``xlsx_reader.Rows``), which differ from what
        a row converted by ``xlsx_reader._row`` holds only in ways that change nothing here:
        an empty cell is "" (taken as None by ``_numbers``) and an integral number is a float
        (made the same Decimal as its int by ``_decimal``)."""
        n = len(rows)
        found = list(map(self.enterprises.get, codes))
        only, allowed = self.only_enterprise, self.allowed_ids
        reported = {enterprise for enterprise, _ in self.current}
        if only is None and allowed is None and not reported and len(set(codes)) == n:
            # The usual file: no repeat, nothing reported yet, every enterprise importable.
            regular = list(map(operator.is_not, found, itertools.repeat(None)))
        else:
            seen = set()
            regular = [False] * n
            for i, (code, hit) in enumerate(zip(codes, found, strict=True)):
                if hit is not None and code not in seen:
                    enterprise_id = hit[0]
                    regular[i] = (
                        (only is None or enterprise_id == only.pk)
                        and (allowed is None or enterprise_id in allowed)
                        and enterprise_id not in reported
                    )
                seen.add(code)
        if not any(regular):
            return [None] * n
        table = self.table
        pairs = {}  # indicator pk → [indicator, 当月 position, 累计 position, negatives allowed], in column order
        for position, indicator, pk, slot, _, negative_ok in self.cells:
            pairs.setdefault(pk, [indicator, None, None, negative_ok])[1 + slot] = position
        blank = (None,) * n
        columns = []  # (indicator, 当月 cells, 累计 cells): floats, ints or None
        given = None  # per row: a value of some indicator is given (None: every row has all)
        for pk, (indicator, month_at, ytd_at, negative_ok) in pairs.items():
            months, month_gaps = (
                _numbers(table, month_at, negative_ok, regular) if month_at is not None else (blank, True)
            )
            ytds, ytd_gaps = (
                _numbers(table, ytd_at, negative_ok, regular) if ytd_at is not None else (blank, True)
            )
            if indicator.kind == IndicatorKind.STOCK:  # a level: both are the level (complete_pair)
                if month_gaps or ytd_gaps:
                    months = ytds = [y if y is not None else m for m, y in zip(months, ytds, strict=True)]
                    month_gaps = ytd_gaps = None in months
                else:
                    months = ytds
            else:
                if month_gaps or ytd_gaps:
                    for i, (m, y) in enumerate(zip(months, ytds, strict=True)):
                        if (m is None) is not (y is None):  # one of the pair: derived by read_monthly_row
                            regular[i] = False
                self._check_agreement(pk, months, ytds, found, regular)
            if month_gaps:
                present = [m is not None for m in months]
                given = present if given is None else [g or p for g, p in zip(given, present, strict=True)]
            else:
                given = [True] * n
            columns.append((indicator, months, ytds))
        labels = [self.labels[indicator.pk] for indicator, _, _ in columns]
        out = [None] * n
        for i, (number, code) in enumerate(zip(self.numbers, codes, strict=True)):
            if regular[i] and given[i]:
                out[i] = NewRow(number, code, found[i][1], labels, columns, i)
        if commit:  # row by row: a row's values are written one after another (one change record)
            write = self.writes.append
            for i, row in enumerate(out):
                if row is None:
                    continue
                enterprise_id, name = found[i]
                for indicator, months, ytds in columns:
                    m = months[i]
                    if m is not None:
                        write((enterprise_id, name, indicator, _decimal(m), _decimal(ytds[i])))
        return out

    def _check_agreement(self, pk, months, ytds, found, regular):
        """A row whose 当月 differs from 累计 − last month's 累计 by more than the tolerance is
        not regular. Compared as floats first; a difference near the tolerance exactly."""
        first = self.period.month == 1
        previous = self.previous_ytd
        if not first and not previous:
            return
        tolerance = float(TOLERANCE)
        for i, (m, y, hit) in enumerate(zip(months, ytds, found, strict=True)):
            if m is None or y is None or hit is None or not regular[i]:
                continue
            if first:
                before = 0
            else:
                before = previous.get((hit[0], pk))
                if before is None:
                    continue
            difference = abs(y - float(before) - m)
            margin = 1e-9 * (abs(y) + abs(float(before)) + abs(m)) + 1e-9
            if difference < tolerance - margin:
                continue
            exact = _decimal(y) if first else _decimal(y) - before
            if difference > tolerance + margin or abs(exact - _decimal(m)) > TOLERANCE:
                regular[i] = False

    def prefetch(self, indicators):
        """The period's versions, last month's 1–N月累计 and (when a column needs it) this
        year's earlier 当月值, of the file's indicators for every enterprise."""
        rows = EnterpriseMonthlyValue.objects.filter(indicator__in=indicators, period=self.period).order_by()
        self.latest, self.current = {}, {}
        for enterprise, indicator, version, is_current, month, ytd in rows.values_list(
            "enterprise_id", "indicator_id", "version", "is_current", "month_value", "ytd_value"
        ):
            key = (enterprise, indicator)
            self.latest[key] = max(version, self.latest.get(key, 0))
            if is_current:
                self.current[key] = (month, ytd)
        previous = EnterpriseMonthlyValue.objects.filter(
            indicator__in=indicators, period=add_months(self.period, -1), is_current=True
        ).order_by()
        self.previous_ytd = {
            (e, i): v for e, i, v in previous.values_list("enterprise_id", "indicator_id", "ytd_value")
        }
        self.earlier = {}  # indicator id → {(enterprise id): {month: 当月值}}, filled on demand

    def earlier_months(self, enterprise_id, indicator):
        if indicator.pk not in self.earlier:
            months = {}
            rows = (
                EnterpriseMonthlyValue.objects.filter(
                    indicator=indicator,
                    is_current=True,
                    period__year=self.period.year,
                    period__lt=self.period,
                )
                .order_by()
                .values_list("enterprise_id", "period__month", "month_value")
            )
            for enterprise, month, value in rows:
                months.setdefault(enterprise, {})[month] = value
            self.earlier[indicator.pk] = months
        return self.earlier[indicator.pk].get(enterprise_id, {})

    def key_fault(self, code):
        """Why a row's 统一社会信用代码 cannot be imported, or None; with the enterprise found."""
        if not code:
            return "必填，不能为空", None
        found = self.enterprises.get(code)
        if found is None:
            return f"企业库中没有统一社会信用代码为“{code}”的企业，请先登记企业", None
        enterprise_id, label = found
        only = self.only_enterprise
        if only is not None and enterprise_id != only.pk:
            return f"这一行是“{label}”的数据，此处只能导入本企业（{only.name}）的数据", found
        if self.allowed_ids is not None and enterprise_id not in self.allowed_ids:
            return f"企业“{label}”不在您可导入的范围内（例如不属于本部门或本企业）", found
        return None, found

    def read_monthly_row(self, number, code, values, result, key_error=None):
        """Every fault of the row is listed (its key and each of its cells), not the first."""
        fault, found = self.key_fault(code)
        errors = [RowError(number, USCC.header, m) for m in (key_error, fault) if m]
        enterprise_id, label = found or (None, "")
        given = {}  # indicator id → [indicator, 当月, 累计, 当月 header, 累计 header]
        for position, indicator, pk, slot, header, negative_ok in self.cells:
            value = values[position]
            kind = type(value)
            if kind is float:  # the usual cell, read as _number does without its checks
                number_value = Decimal(repr(value))
            elif kind is int:
                number_value = Decimal(value)
            elif value is None or (isinstance(value, str) and not value.strip()):
                continue
            else:
                try:
                    number_value = _number(value.strip() if isinstance(value, str) else value)
                except ValidationError as exc:
                    errors.append(RowError(number, header, exc.messages[0]))
                    continue
            if number_value < 0 and not negative_ok:
                errors.append(RowError(number, header, f"{indicator.name}不能为负数，实际为“{_text(value)}”"))
                continue
            entry = given.get(pk)
            if entry is None:
                entry = given[pk] = [indicator, None, None, None, None]
            entry[1 + slot] = number_value
            entry[3 + slot] = header
        if key_error or fault:
            # The cells are checked on their own; a pair is completed only for a row that imports.
            result.errors.extend(errors)
            return
        writes, changes, any_existing = [], [], False
        first_month = self.period.month == 1
        for pk, (indicator, month_value, ytd_value, month_header, ytd_header) in given.items():
            if month_value is not None and ytd_value is not None and indicator.kind != IndicatorKind.STOCK:
                # Both given (the usual file): they must agree; as ``complete`` does, inline.
                if first_month:
                    expected = ytd_value
                else:
                    expected = self.previous_ytd.get((enterprise_id, pk))
                    expected = None if expected is None else ytd_value - expected
                if expected is not None and abs(expected - month_value) > TOLERANCE:
                    message = f"当月值{_shown(month_value)}与累计值减上月累计值（{_shown(expected)}）不一致"
                    errors.append(RowError(number, month_header, message))
                    continue
            else:
                pair = {k: v for k, v in ((MONTH, month_value), (YTD, ytd_value)) if v is not None}
                try:
                    month_value, ytd_value = self.complete(enterprise_id, indicator, pair)
                except ValidationError as exc:
                    pair_headers = {
                        k: h for k, h in ((MONTH, month_header), (YTD, ytd_header)) if h is not None
                    }
                    for name, messages in exc.message_dict.items():
                        column = pair_headers.get(name) or next(iter(pair_headers.values()))
                        errors.extend(RowError(number, column, m) for m in messages)
                    continue
            current = self.current.get((enterprise_id, pk)) if self.current else None
            if current is None:
                month_label, ytd_label = self.labels[pk]
                if month_value is not None:  # _shown(), inlined: this runs for every value
                    changes.append((month_label, "—", f"{month_value.normalize():f}"))
                if ytd_value is not None:
                    changes.append((ytd_label, "—", f"{ytd_value.normalize():f}"))
            elif current == (month_value, ytd_value):
                continue
            else:
                any_existing = True
                for label_of, before, value in zip(
                    self.labels[pk], current, (month_value, ytd_value), strict=True
                ):
                    if before != value:
                        changes.append((label_of, _shown(before), _shown(value)))
            writes.append((enterprise_id, label, indicator, month_value, ytd_value))
        if errors:
            result.errors.extend(errors)
            return
        if not writes:
            result.rows.append(RowResult(number, "unchanged", code, label))
            return
        self.writes.extend(writes)
        status = "changed" if any_existing else "new"
        result.rows.append(RowResult(number, status, code, label, changes))

    def write(self):
        """A value never reported for the month is inserted as version 1 with its change-log
        entry, in bulk; a correction goes through ``record_enterprise_value`` (a new version,
        with why)."""
        new = []
        for enterprise_id, label, indicator, month_value, ytd_value in self.writes:
            if (enterprise_id, indicator.id) not in self.latest:
                new.append((enterprise_id, label, indicator, month_value, ytd_value))
                continue
            record_enterprise_value(
                Enterprise(pk=enterprise_id, name=label), indicator, self.period, month_value=month_value,
                ytd_value=ytd_value, reason=self.reason, user=self.user,
            )  # fmt: skip
        if new:
            with gc_paused():  # hundreds of thousands of rows and texts, no reference cycles
                insert_first_versions(new, self.period, self.user)
            # Rebuilt once per (indicator, month) with the corrections above, when ``deferred``
            # ends; after a large batch with fresh statistics (PostgreSQL would otherwise plan
            # the rebuild for the tables as they were before the batch).
            rollups.note_bulk_insert(len(new))
            for indicator_id in {indicator.id for _, _, indicator, _, _ in new}:
                rollups.mark(indicator_id, self.period)

    def complete(self, enterprise_id, indicator, pair):
        """(当月, 累计) of one indicator: the other derived; both given must agree."""
        month_value, ytd_value = pair.get(MONTH), pair.get(YTD)
        key = (enterprise_id, indicator.pk)
        if month_value is not None and ytd_value is not None and indicator.kind != IndicatorKind.STOCK:
            if self.period.month == 1:
                expected = ytd_value
            else:
                expected = self.previous_ytd.get(key)
                expected = None if expected is None else ytd_value - expected
            if expected is not None and abs(expected - month_value) > TOLERANCE:
                raise ValidationError(
                    {MONTH: f"当月值{_shown(month_value)}与累计值减上月累计值（{_shown(expected)}）不一致"}
                )
            return month_value, ytd_value
        return complete_pair(
            indicator,
            self.period,
            month_value,
            ytd_value,
            earlier_months=lambda: self.earlier_months(enterprise_id, indicator),
            previous_ytd=lambda: self.previous_ytd.get(key),
        )


def _code(value):
    """The row's 统一社会信用代码, as ``normalise_uscc(_text(value))``; the usual cell (plain
    letters and digits) without the detour."""
    if type(value) is str and value.isascii() and value.isalnum():
        return value.upper()
    return normalise_uscc(_text(value)) if not _blank(value) else ""


def _decimal(cell, limit=SAFE_INT):
    """A number cell as ``read_monthly_row`` reads it (a float by its shortest repr): calamine's
    integral float as the int ``xlsx_reader._row`` makes of it (100.0 → Decimal("100"))."""
    if type(cell) is float:
        return Decimal(int(cell)) if cell.is_integer() and -limit < cell < limit else Decimal(repr(cell))
    return Decimal(cell)


def _codes(column):
    """``_code`` of each cell of the 统一社会信用代码 column; the usual column (plain letters and
    digits, all text) in C passes."""
    if set(map(type, column)) == {str} and all(map(str.isascii, column)) and all(map(str.isalnum, column)):
        return list(map(str.upper, column))
    return list(map(_code, column))


def _numbers(table, position, negative_ok, regular):
    """(the column's cells, whether some are empty): numbers kept, anything else None. A row
    whose cell is not a plain number (text, a blank string, a date) or is negative when the
    indicator does not allow it is not regular."""
    column = table[position]
    if set(map(type, column)) <= {float, int}:  # the usual column: numbers only
        if not negative_ok and column and min(column) < 0:
            for i, value in enumerate(column):
                if value < 0:
                    regular[i] = False
        return column, False
    cells = []
    for i, value in enumerate(column):
        kind = type(value)
        if kind is float or kind is int:
            cells.append(value)
            if value < 0 and not negative_ok:
                regular[i] = False
        else:
            cells.append(None)
            if value is not None and value != "":  # calamine's empty cell is "", blank as None
                regular[i] = False
    return cells, True


class NewValues(Sequence):
    """The changes of a new row, (column, "—", value), built when the preview shows the row:
    the preview lists a few hundred rows, a file has up to a hundred thousand."""

    __slots__ = ("labels", "columns", "index", "_items")

    def __init__(self, labels, columns, index):
        self.labels, self.columns, self.index, self._items = labels, columns, index, None

    def _list(self):
        if self._items is None:
            i, items = self.index, []
            for (month_label, ytd_label), (_, months, ytds) in zip(self.labels, self.columns, strict=True):
                if months[i] is not None:
                    items.append((month_label, "—", f"{_decimal(months[i]).normalize():f}"))
                if ytds[i] is not None:
                    items.append((ytd_label, "—", f"{_decimal(ytds[i]).normalize():f}"))
            self._items = items
        return self._items

    def __getitem__(self, index):
        return self._list()[index]

    def __len__(self):
        return len(self._list())

    def __eq__(self, other):
        return self._list() == list(other) if isinstance(other, Sequence) else NotImplemented

    def __repr__(self):
        return repr(self._list())


class NewRow(RowResult):
    """The RowResult of a row read by ``read_regular_rows`` (a new report): one object per
    row, where a RowResult and its NewValues made two; its ``changes`` (the NewValues) is made
    when the preview shows the row."""

    def __init__(self, row, key, label, labels, columns, index):
        self.row, self.status, self.key, self.label = row, "new", key, label
        self._labels, self._columns, self._index, self._changes = labels, columns, index, None

    @property
    def changes(self):
        if self._changes is None:
            self._changes = NewValues(self._labels, self._columns, self._index)
        return self._changes


def for_enterprise(enterprise):
    """The monthly importer of the enterprise portal: a row of another enterprise is an error."""
    return type("EnterpriseMonthlyImporter", (MonthlyImporter,), {"only_enterprise": enterprise})


def _insert(model, fields, rows):
    """INSERT the rows (tuples in the order of ``fields``): COPY on PostgreSQL, elsewhere
    statements of ``ROWS_PER_INSERT`` rows each. Inside the caller's transaction either way.

    Not one statement per row: on SQLite a table with a trigger that may abort (the change
    record's insert check, ``core.dbguard``) makes every statement open a statement journal
    and copy each page it changes into it, which cost twice the insert itself per row."""
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(model._meta.get_field(f).column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with (
                connection.wrap_database_errors,
                cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        per = rows_per_statement(len(fields))
        one = f"({', '.join(['%s'] * len(fields))})"
        head = f"INSERT INTO {table} ({columns}) VALUES "
        full = len(rows) - len(rows) % per
        flat = itertools.chain.from_iterable
        if full:
            sql = head + ", ".join([one] * per)
            cursor.executemany(sql, (tuple(flat(rows[s : s + per])) for s in range(0, full, per)))
        if full < len(rows):
            cursor.execute(head + ", ".join([one] * (len(rows) - full)), tuple(flat(rows[full:])))


def rows_per_statement(n_fields):
    """Rows of ``n_fields`` values in one INSERT: ``ROWS_PER_INSERT``, fewer when the
    database takes fewer parameters in a statement (SQLite's own limit where Python tells it,
    32,766 since SQLite 3.32; Django assumes 999)."""
    limit = connection.features.max_query_params
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        getlimit = getattr(connection.connection, "getlimit", None)  # Python 3.11+
        if getlimit is not None:
            limit = getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return ROWS_PER_INSERT if limit is None else max(1, min(ROWS_PER_INSERT, limit // n_fields))


@contextmanager
def _large_cache():
    """SQLite keeps 2 MB of pages by default: a transaction inserting hundreds of thousands of
    rows into indexed tables would spill dirty pages to the WAL over and over. 256 MB for the
    duration of the import, the previous size afterwards."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


def _logged(value):
    """``log_value`` of a 当月/累计 value: the field's four places, as a string (None stays)."""
    if value is None:
        return None
    try:
        return f"{value.quantize(QUANTUM)}"
    except InvalidOperation:  # too many digits to quantize: log_value keeps it as it is
        return log_value(MONTH_VALUE, value)


def row_groups(new) -> list[tuple[int, int]]:
    """(start, end) of each run of ``new`` with the same enterprise: the values of one row of
    the file, which get one change record together."""
    groups, start = [], 0
    for k in range(1, len(new) + 1):
        if k == len(new) or new[k][0] != new[start][0]:
            groups.append((start, k))
            start = k
    return groups


def slices_of(groups, size) -> list[list[tuple[int, int]]]:
    """``groups`` cut into runs of about ``size`` values each: a row is never split."""
    slices, part = [], []
    for group in groups:
        part.append(group)
        if group[1] - part[0][0] >= size:
            slices.append(part)
            part = []
    if part:
        slices.append(part)
    return slices


def insert_first_versions(new, period, user):
    """Version 1 of each (enterprise id, name, indicator, 当月, 累计) of ``period``, in bulk
    (multi-row INSERTs on SQLite, COPY on PostgreSQL), and one change-log record per row of
    the file: the enterprise's values of the month that the row created, each named by its id
    (``EnterpriseMonthlyValue.changelog_names`` finds a value's record; the change page lists
    every indicator's 当月 and 累计). A value saved one at a time still gets its own record.

    The change records are linked into the audit chain a slice (``chain.SLICE`` values, whole
    rows) at a time, each slice stamped with the database's time when the chain's head is
    locked for it. On PostgreSQL the value ids are drawn from the table's sequence up front,
    and each slice's values and then its change records are streamed into COPY as they are
    made and linked: the server inserts the rows already sent while this process works out
    the next ones, instead of one waiting for the other."""
    from django.contrib.contenttypes.models import ContentType

    from yuanqu.core import chain
    from yuanqu.core.context import current
    from yuanqu.core.models import ObjectChange

    if not connection.in_atomic_block:
        raise RuntimeError("first versions are inserted inside one transaction")
    ops = connection.ops
    now = timezone.now()
    sqlite = connection.vendor == "sqlite"
    # as text on PostgreSQL too: COPY formats a date-time object several times slower
    stamp = ops.adapt_datetimefield_value(now) if sqlite else now.isoformat()
    reported_by = user.pk if user is not None and user.is_authenticated else None
    fields = ["enterprise", "indicator", "period", "month_value", "ytd_value", "version", "is_current", "reason",
              "reported_by", "created", "last_updated"]  # fmt: skip
    day = period.isoformat()
    ctx = current()
    actor = ctx.acting_user()
    user_name = actor.get_username() if actor else {"cli": "命令行", "system": "系统"}.get(ctx.source, "")
    request_id = ctx.request_id
    if sqlite:
        request_id = ObjectChange._meta.get_field("request_id").get_db_prep_save(request_id, connection)
    own_type = ContentType.objects.get_for_model(EnterpriseMonthlyValue).pk
    parent_type = ContentType.objects.get_for_model(Enterprise).pk
    when = period_label(period)
    names = {}  # indicator id: name
    for _, _, indicator, _, _ in new:
        names.setdefault(indicator.id, str(indicator))
    actor_id, ip, source = (actor.pk if actor else None), ctx.ip, ctx.source
    # the time is the chain's (appended by ``link``: the database's, when the head is locked)
    change_fields = ["user_id", "user_name", "request_id", "ip", "source", "action", "content_type",
                     "object_id", "object_repr", "related_type", "related_id", "prechange_data",
                     "postchange_data", "message"]  # fmt: skip
    dumps, normal_form = json.JSONEncoder().encode, chain._ENCODER.encode
    slices = slices_of(row_groups(new), chain.SLICE)

    def change_rows(groups, ids):
        """The change records of ``groups`` (rows of the file, as (start, end) in ``new``;
        ``ids``: the value ids of all of ``new``, in order) and the normal form of each one's
        JSON (made alongside rather than parsed back from the text)."""
        rows, normal = [], []
        for first, last in groups:
            enterprise_id, name = new[first][0], new[first][1]
            data = {
                "enterprise": enterprise_id,
                "period": day,
                "version": 1,
                "is_current": True,
                "reason": "",
                "reported_by": reported_by,
                "values": [
                    {"id": ids[k], "indicator": new[k][2].id, "month_value": _logged(new[k][3]),
                     "ytd_value": _logged(new[k][4])}
                    for k in range(first, last)
                ],
            }  # fmt: skip
            normal.append(normal_form(data))
            indicators = "、".join(names[new[k][2].id] for k in range(first, last))
            rows.append(
                (actor_id, user_name, request_id, ip, source, "create", own_type, str(ids[first]),
                 f"{name} {indicators} {when}（第1版）"[:300], parent_type, str(enterprise_id), None,
                 dumps(data), "")
            )  # fmt: skip
        return rows, {"postchange_data": normal}

    if not sqlite:
        _copy_first_versions(new, fields, [reported_by, stamp, day], change_fields, change_rows, slices)
        return
    with _large_cache():
        _insert(
            EnterpriseMonthlyValue,
            fields,
            [(e, i.id, day, m, y, 1, True, "", reported_by, stamp, stamp) for e, _, i, m, y in new],
        )
        ids = _inserted_ids(new, period)
        for groups in slices:  # each slice stamped right before it is written
            rows, known = change_rows(groups, ids)
            _insert(
                ObjectChange, *chain.link_rows(ObjectChange, change_fields, rows, connection.alias, known)
            )


def _inserted_ids(new, period):
    """The ids SQLite gave the rows of ``new`` just inserted by ``_insert``, in order, without
    reading them back: consecutive, ending at ``last_insert_rowid()``. Safe because the rows
    were inserted one after another by this connection inside one transaction, which holds
    SQLite's write lock from its first insert to its commit (no other connection inserts in
    between), the value table has no trigger inserting into itself, and its AUTOINCREMENT
    key gives each new row the largest id yet + 1 (it fails rather than reuse a lower id).
    The first and the last row are read back and compared, so a broken assumption fails the
    import (and writes nothing) instead of logging the wrong ids."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT last_insert_rowid()")
        (last,) = cursor.fetchone()
    first = last - len(new) + 1
    ends = dict(
        (pk, (e, i))
        for pk, e, i in EnterpriseMonthlyValue.objects.filter(pk__in=(first, last), period=period, version=1)
        .order_by()
        .values_list("pk", "enterprise_id", "indicator_id")
    )  # fmt: skip
    if ends.get(first) != (new[0][0], new[0][2].pk) or ends.get(last) != (new[-1][0], new[-1][2].pk):
        raise RuntimeError("the values just inserted do not have consecutive ids")
    return range(first, last + 1)


def _copy_first_versions(new, fields, constants, change_fields, change_rows, slices):
    """PostgreSQL's part of ``insert_first_versions``: per slice, lock the chain's head (the
    slice's time), COPY the values (their ids drawn from the sequence beforehand) while the
    slice's change records and their canonical texts are made, then COPY the change records
    as each is linked. One connection runs one COPY at a time; within a COPY, psycopg sends
    what is written every 32 KB, so the server inserts while the client works."""
    from yuanqu.core import chain
    from yuanqu.core.models import ObjectChange

    reported_by, stamp, day = constants
    ops = connection.ops
    table = ops.quote_name(EnterpriseMonthlyValue._meta.db_table)
    columns = ", ".join(
        ops.quote_name(EnterpriseMonthlyValue._meta.get_field(f).column) for f in ["id", *fields]
    )
    # psycopg's errors in a COPY surface as Django's (as a statement's would)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        # the sequence looked up once: inside the per-id call its name cost the server eight
        # times the ids themselves
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        (sequence,) = cursor.fetchone()
        cursor.execute(
            "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)", [sequence, len(new)]
        )
        ids = sorted(cursor.fetchone()[0])
        change_table = ops.quote_name(ObjectChange._meta.db_table)
        for groups in slices:
            start, end = groups[0][0], groups[-1][1]
            part, part_ids = new[start:end], ids[start:end]
            with chain.appending(ObjectChange, connection.alias) as head:  # the slice's time
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    write = copy.write_row
                    for pk, (e, _, i, m, y) in zip(part_ids, part, strict=True):
                        write((pk, e, i.id, day, m, y, 1, True, "", reported_by, stamp, stamp))
                    # while the server inserts the values: the change records and their texts
                    linked_fields, linked = head.link(change_fields, *change_rows(groups, ids))
                linked_columns = ", ".join(
                    ops.quote_name(ObjectChange._meta.get_field(f).column) for f in linked_fields
                )
                with cursor.cursor.copy(f"COPY {change_table} ({linked_columns}) FROM STDIN") as copy:
                    write = copy.write_row
                    for row in linked:  # each sent as soon as it is linked
                        write(row)
