"""Computations of economic operations (REFERENCE §4), as plain functions.

Every figure that may not exist comes back as a result with a ``note`` saying why: a missing
month, a zero base, enterprises that entered or left the population. Nothing is turned into a
silent 0 or raises a division error. Values stay ``Decimal``; round only for display.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError

from yuanqu.core.versioning import record_version
from yuanqu.targets.choices import TargetKind
from yuanqu.utilities.periods import (  # noqa: F401  (the economy app's modules import them from here)
    add_months,
    describe,
    last_complete_month,
    parse_period,
)
from yuanqu.utilities.periods import same_month_last_year as last_year
from yuanqu.utilities.progress import (  # noqa: F401  (序时进度 and 完成率: the app and its tests import them from here)
    HUNDRED,
    Figure,
    completion_rate,
    gap_text,
    progress,
    time_progress,
)

from .choices import IndicatorKind

ONE = Decimal(1)


@dataclass
class Growth:
    """同比 over the comparable set (同口径): only units with values in both periods."""

    value: Decimal | None
    current: Decimal | None = None  # the comparable set's value this period
    base: Decimal | None = None  # the same set's value a year earlier
    total: Decimal | None = None  # every unit's value this period (the reported YTD)
    entered: list = field(default_factory=list)  # units with a value now but none a year earlier
    left: list = field(default_factory=list)  # units with a value a year earlier but none now
    note: str = ""


@dataclass
class Contribution:
    """A group's share of the growth: 拉动 ``pull_pp`` 个百分点."""

    group: object
    current: Decimal
    base: Decimal
    growth: Figure
    pull_pp: Decimal | None


# --- periods ------------------------------------------------------------------------------


# Month arithmetic and parsing live in ``utilities/periods.py`` (imported at the top).


def latest_period() -> datetime.date:
    """The month pages open on: the latest month with a current value, else the last complete
    month."""
    from .models import EnterpriseMonthlyValue

    period = (
        EnterpriseMonthlyValue.objects.filter(is_current=True)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    return period if period is not None else last_complete_month()


def percent(fraction) -> str:
    """0.0769 → “7.7%”; rates are shown with one decimal (REFERENCE §4.8)."""
    return "—" if fraction is None else f"{fraction * 100:.1f}%"


# --- 当月值 and 1–N月累计 ----------------------------------------------------------------


def ytd_from_months(months: dict[int, Decimal | None], month: int) -> Figure:
    """1–N月累计 as the sum of the month values 1..N; missing months make it unknown."""
    missing = [m for m in range(1, month + 1) if months.get(m) is None]
    if missing:
        listed = "、".join(f"{m}月" for m in missing)
        return Figure(None, f"缺少{listed}当月值，无法推算1–{month}月累计")
    return Figure(sum((months[m] for m in range(1, month + 1)), Decimal(0)))


def month_from_ytd(ytd: Decimal | None, previous_ytd: Decimal | None, month: int) -> Figure:
    """当月值 = ytd(N) − ytd(N−1) of the same unit; January's is its YTD."""
    if ytd is None:
        return Figure(None, f"缺少1–{month}月累计值")
    if month == 1:
        return Figure(ytd)
    if previous_ytd is None:
        return Figure(None, f"缺少1–{month - 1}月累计值，无法推算{month}月当月值")
    return Figure(ytd - previous_ytd)


def total(values) -> Figure:
    """The sum of the values present; None (with why) when there is none."""
    present = [v for v in values if v is not None]
    if not present:
        return Figure(None, "无数据")
    return Figure(sum(present, Decimal(0)))


# --- growth -------------------------------------------------------------------------------


def growth_rate(current: Decimal | None, base: Decimal | None) -> Figure:
    """current / base − 1, with the reason when it does not exist."""
    if current is None:
        return Figure(None, "本期无数据")
    if base is None:
        return Figure(None, "无基期数据")
    if base == 0:
        return Figure(None, "基期为0，增速无意义")
    if base < 0:
        return Figure(None, "基期为负数，增速无意义")
    return Figure(current / base - ONE)


def comparable_growth(current: dict, previous: dict) -> Growth:
    """同比 over the units with a value in both periods (keys: enterprise ids).

    REFERENCE §4.3: 112 / 104 − 1 = 7.7 % over the same enterprises, not the naive
    112 / 100 − 1 = 12.0 % of this year's total over last year's published total.
    """
    now = {k: v for k, v in current.items() if v is not None}
    before = {k: v for k, v in previous.items() if v is not None}
    both = now.keys() & before.keys()
    result = growth_from_sums(
        total(now.values()).value,
        sum((now[k] for k in both), Decimal(0)),
        sum((before[k] for k in both), Decimal(0)),
        paired=len(both),
        entered=len(now.keys() - before.keys()),
        left=len(before.keys() - now.keys()),
    )
    result.entered = sorted(now.keys() - before.keys())
    result.left = sorted(before.keys() - now.keys())
    return result


def growth_from_sums(total_now, current, base, *, paired: int, entered: int, left: int) -> Growth:
    """``comparable_growth`` from sums and counts (the rollups): ``current`` and ``base`` are
    the sums of the ``paired`` units with values in both periods, ``total_now`` of every unit
    now (None when none reported); ``entered``/``left`` count the units in one period only."""
    result = Growth(value=None, total=total_now)
    notes = []
    if not paired:
        notes.append("无两期均有数据的企业，不能计算同口径增速" if total_now is not None else "本期无数据")
    else:
        result.current, result.base = current, base
        rate = growth_rate(current, base)
        result.value = rate.value
        if rate.note:
            notes.append(rate.note)
    if entered:
        notes.append(f"{entered}家企业无上年同期数据（新纳统或新报），未计入增速")
    if left:
        notes.append(f"{left}家企业上年同期有数据、本期无数据（退库或未报），未计入增速")
    result.note = "；".join(notes)
    return result


def month_on_month(this_month: Decimal | None, previous_month: Decimal | None) -> Figure:
    """环比: this month's value over last month's."""
    return growth_rate(this_month, previous_month)


def two_year_average_growth(first: Decimal | None, second: Decimal | None) -> Figure:
    """两年平均增速, geometric (水平法): sqrt((1 + g1)(1 + g2)) − 1 (REFERENCE §4.4)."""
    if first is None or second is None:
        return Figure(None, "缺少其中一年的增速")
    product = (ONE + Decimal(first)) * (ONE + Decimal(second))
    if product < 0:
        return Figure(None, "两年累计降幅超过100%，平均增速无意义")
    return Figure(product.sqrt() - ONE)


# --- targets ------------------------------------------------------------------------------

# 序时进度, 完成率 and the gap wording live in ``utilities/progress.py`` (imported at the top).


def sheet_targets(year: int) -> dict:
    """The year's targets of the target sheet (目标责任书) for the economy's figures, by
    indicator code: the park's and the 片区' totals and growths, in the order a lookup
    prefers them (a target without a responsible department first, then the sheet's order)."""
    from django.db.models import F

    from yuanqu.targets.models import Target

    rows = (
        Target.objects.filter(year=year, figure__startswith="economy.", scope_department=None)
        .select_related("unit")
        .order_by(F("department").asc(nulls_first=True), "order", "pk")
    )
    result: dict = defaultdict(list)
    for target in rows:
        result[target.figure.removeprefix("economy.")].append(target)
    return result


def sheet_target(targets, kind, zone):
    """The target of that kind for a summary of ``zone``: a 片区's own target for a 片区;
    for the park the park's (no 片区, or the park's own zone)."""
    found = [t for t in targets if t.kind == kind]
    if zone is not None and zone.parent_id is not None:
        return next((t for t in found if t.zone_id == zone.pk), None)
    park = [t for t in found if t.zone_id is None] + [t for t in found if zone and t.zone_id == zone.pk]
    return park[0] if park else None


def target_value(target, indicator) -> Figure:
    """A total target's value in the indicator's unit (a target of 30亿元 for an indicator in
    万元 is 300000). Only a total target has a value: a growth target is compared as growth."""
    from yuanqu.figures.units import UnitError, convert

    if target is None:
        return Figure(None, "未设定年度目标")
    unit = str(indicator.get_unit_display())
    try:
        return Figure(convert(target.value, target.unit.name, unit, target.year))
    except UnitError as exc:
        return Figure(None, f"目标单位无法换算：{exc}")


# --- breakdowns ---------------------------------------------------------------------------


def contributions(current: dict, previous: dict, group_of: dict) -> list[Contribution]:
    """Each group's 拉动 in percentage points of the comparable growth: (its current − its
    base) / the whole comparable base × 100; the pulls add up to the total growth."""
    both = {k for k, v in current.items() if v is not None} & {
        k for k, v in previous.items() if v is not None
    }
    base_total = sum((previous[k] for k in both), Decimal(0))
    groups = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for key in both:
        sums = groups[group_of.get(key)]
        sums[0] += current[key]
        sums[1] += previous[key]
    result = []
    for group, (now, before) in groups.items():
        pull = (now - before) / base_total * HUNDRED if base_total > 0 else None
        result.append(Contribution(group, now, before, growth_rate(now, before), pull))
    result.sort(key=lambda c: (c.pull_pp is None, -(c.pull_pp or 0)))
    return result


def enterprise_pulls(current: dict, previous: dict) -> dict:
    """Each unit's own 拉动: (its YTD − its YTD a year earlier) / the comparable base of all
    units × 100 (``contributions`` with every unit its own group); units without both
    values are left out."""
    return {c.group: c.pull_pp for c in contributions(current, previous, {k: k for k in current})}


def growth_against_target(growth: Decimal | None, target_growth: Decimal | None) -> str:
    """“增长8.2%，目标9%，低于目标0.8个百分点” (or 高于, 与目标持平), as the target sheet words a
    growth target's gap; “” without a target growth."""
    if target_growth is None:
        return ""
    target = f"目标{target_growth * HUNDRED:.1f}".removesuffix(".0") + "%"
    if growth is None:
        return f"增速暂无，{target}"
    now = f"{'增长' if growth >= 0 else '下降'}{abs(growth) * HUNDRED:.1f}%"
    gap = round((growth - target_growth) * HUNDRED, 1)
    if gap == 0:
        return f"{now}，{target}，与目标持平"
    return f"{now}，{target}，{'高于' if gap > 0 else '低于'}目标{abs(gap)}个百分点"


def ranking(values: dict, top: int | None = None) -> list[tuple[int, object, Decimal]]:
    """(rank, key, value), largest first; equal values share a rank (1, 2, 2, 4); units
    without a value are not ranked."""
    ordered = sorted(((k, v) for k, v in values.items() if v is not None), key=lambda kv: -kv[1])
    result, rank, previous = [], 0, None
    for position, (key, value) in enumerate(ordered, 1):
        if value != previous:
            rank, previous = position, value
        result.append((rank, key, value))
    return result[:top] if top else result


def count_above(values: dict, threshold: Decimal) -> int:
    """How many units reach the threshold (“产值超10亿元企业12家”)."""
    return sum(1 for v in values.values() if v is not None and v >= threshold)


# --- recording values ---------------------------------------------------------------------


def check_unlocked(period: datetime.date):
    from .models import PeriodLock

    if PeriodLock.objects.filter(period=period).exists():
        raise ValidationError({"period": f"{describe(period)}数据已发布并锁定，不能再新增或更正"})


def complete_values(model, owner: dict, indicator, period, month_value, ytd_value, strict=True):
    """The (month, ytd) pair of a report that gives one or both; the other is derived from the
    same unit's earlier months. Raises a ValidationError naming the field otherwise, or with
    ``strict=False`` (zone figures such as quarterly GDP) leaves the month value empty."""
    earlier = model.objects.filter(
        **owner, indicator=indicator, is_current=True, period__year=period.year, period__lt=period
    ).order_by()
    return complete_pair(
        indicator,
        period,
        month_value,
        ytd_value,
        earlier_months=lambda: dict(earlier.values_list("period__month", "month_value")),
        previous_ytd=lambda: (
            earlier.filter(period=add_months(period, -1)).values_list("ytd_value", flat=True).first()
        ),
        strict=strict,
    )


def complete_pair(indicator, period, month_value, ytd_value, *, earlier_months, previous_ytd, strict=True):
    """``complete_values`` over the unit's earlier reports given as functions (called only when
    needed): ``earlier_months()`` → {month: 当月值} of this year before ``period``,
    ``previous_ytd()`` → last month's 1–N月累计 (the importer passes its pre-fetched maps)."""
    if month_value is None and ytd_value is None:
        raise ValidationError({"month_value": "当月值和1–N月累计值至少填写一项"})
    if indicator.kind == IndicatorKind.STOCK:  # a level at month end: both are the level
        value = ytd_value if ytd_value is not None else month_value
        return value, value
    if month_value is not None and ytd_value is not None:
        return month_value, ytd_value
    if ytd_value is None:
        months = dict(earlier_months())
        months[period.month] = month_value
        derived = ytd_from_months(months, period.month)
        if derived.value is None:
            raise ValidationError({"ytd_value": derived.note + "，请填写1–N月累计值"})
        return month_value, derived.value
    derived = month_from_ytd(ytd_value, previous_ytd() if period.month > 1 else None, period.month)
    if derived.value is None and strict:
        raise ValidationError({"month_value": derived.note + "，请填写当月值"})
    return derived.value, ytd_value


def record_value(
    model,
    owner: dict,
    indicator,
    period,
    *,
    month_value=None,
    ytd_value=None,
    reason="",
    user=None,
    strict=True,
    **extra,
):
    """Save a report as a new version; the previous version is kept and no longer current.

    ``owner`` is ``{"enterprise": e}`` or ``{"zone": z}``. A correction needs a reason; a
    locked month refuses.
    """
    check_unlocked(period)
    month_value, ytd_value = complete_values(model, owner, indicator, period, month_value, ytd_value, strict)
    return record_version(
        model,
        {**owner, "indicator": indicator, "period": period},
        {**extra, "month_value": month_value, "ytd_value": ytd_value},
        reason=reason,
        user=user,
        what="数据",
        when=describe(period),
    )


def record_enterprise_value(enterprise, indicator, period, **kwargs):
    from .models import EnterpriseMonthlyValue

    return record_value(EnterpriseMonthlyValue, {"enterprise": enterprise}, indicator, period, **kwargs)


def record_zone_figure(zone, indicator, period, published_growth=None, **kwargs):
    from .models import ZoneMonthlyFigure

    return record_value(
        ZoneMonthlyFigure,
        {"zone": zone},
        indicator,
        period,
        published_growth=published_growth,
        strict=False,
        **kwargs,
    )


# --- the per-indicator summary (the ``indicators`` command and the summary page) ----------


def park_root(zone=None):
    """The zone a summary is about: the one given, or the only top-level park."""
    from yuanqu.users.models import Zone

    if zone is not None:
        return zone
    roots = list(Zone.objects.filter(parent=None)[:2])
    return roots[0] if len(roots) == 1 else None


def no_park_note() -> str:
    from yuanqu.users.models import Zone

    return "有多个园区，请用片区参数指定" if Zone.objects.filter(parent=None).exists() else "尚未建立园区"


def _values_by_enterprise(values, indicator, period, field_name):
    rows = values.filter(indicator=indicator, period=period, is_current=True)
    return dict(rows.order_by().values_list("enterprise_id", field_name))


def _zone_figures(figures, periods, zone) -> dict:
    """The current zone figures of ``zone`` for these months, by (indicator id, month): one
    query for every indicator of the summary."""
    if zone is None:
        return {}
    rows = figures.filter(period__in=periods, zone=zone, is_current=True).order_by("pk")
    return {(row.indicator_id, row.period): row for row in rows}


def _from_values(values, indicator, period):
    """(month, YTD, comparable growth) from the value rows."""
    ytd_map = _values_by_enterprise(values, indicator, period, "ytd_value")
    month = total(_values_by_enterprise(values, indicator, period, "month_value").values())
    growth = comparable_growth(
        ytd_map, _values_by_enterprise(values, indicator, last_year(period), "ytd_value")
    )
    return month, total(ytd_map.values()), growth


def _rolled_up(scope, indicator, period):
    """The same three from the rollups."""
    now, before = scope.sums(indicator, period), scope.sums(indicator, last_year(period))
    ytd = now.ytd_sum if now.ytd_count else None
    growth = growth_from_sums(
        ytd,
        now.paired_ytd,
        now.paired_base,
        paired=now.paired_count,
        entered=now.ytd_count - now.paired_count,
        left=before.ytd_count - now.paired_count,
    )
    return (
        Figure(now.month_sum if now.month_count else None),
        Figure(ytd),
        growth,
    )


def indicator_summary(
    period, zone=None, *, values=None, figures=None, basis="months", indicators=None, scope=None
) -> list[dict]:
    """For every active indicator: month value, YTD, comparable base, growth, target,
    completion, time progress and gap, each None with a note when it does not exist.

    ``values``/``figures`` are the EnterpriseMonthlyValue/ZoneMonthlyFigure rows to use
    (already restricted to what the user may see); ``zone`` limits enterprises to its subtree.
    Without ``values`` the enterprise totals come from the rollups (``economy.rollups``), as
    they do with a ``scope`` (``rollups.scope_for(user, zone)``); the figures are the same.

    Targets are the target sheet's (``targets.Target`` of the figure ``economy.<code>``): a
    total target gives ``target`` (in the indicator's unit), 完成率, 序时进度 and the gap; a
    growth target gives ``target_growth`` (a fraction) and is compared as growth only, so an
    indicator with a growth target alone has no 完成率.
    """
    from .choices import IndicatorLevel
    from .models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
    from .rollups import Scope

    if scope is None and values is None:
        scope = Scope(zone.subtree_ids() if zone is not None else None)
    values = EnterpriseMonthlyValue.objects.all() if values is None else values
    figures = ZoneMonthlyFigure.objects.all() if figures is None else figures
    if zone is not None:
        values = values.filter(enterprise__zone_id__in=zone.subtree_ids())
    figure_zone = park_root(zone)
    indicators = list(indicators or Indicator.objects.filter(active=True))
    targets = sheet_targets(period.year)
    if scope is not None:
        scope.load(indicators, {period, last_year(period)})
    zone_figures = _zone_figures(figures, [period, last_year(period)], figure_zone)
    rows = []
    for indicator in indicators:
        notes = []
        figure = zone_figures.get((indicator.pk, period))
        if indicator.level == IndicatorLevel.ENTERPRISE:
            if scope is not None:
                month, ytd, growth = _rolled_up(scope, indicator, period)
            else:
                month, ytd, growth = _from_values(values, indicator, period)
            if ytd.value is None:
                notes.append(f"{describe(period)}无企业填报数据")
            elif month.value is None:
                notes.append("缺少当月值")
            elif growth.note:
                notes.append(growth.note)
            base, rate = growth.base, growth.value
        else:
            previous = zone_figures.get((indicator.pk, last_year(period)))
            ytd = Figure(figure.ytd_value if figure else None)
            month = Figure(figure.month_value if figure else None)
            base = previous.ytd_value if previous else None
            if figure is None:
                notes.append(f"{describe(period)}园区数据未录入" if figure_zone else no_park_note())
            elif month.value is None:
                notes.append("当月值未录入，且无上月累计值可推算")
            rate = None
            if not indicator.growth_published and ytd.value is not None:
                derived = growth_rate(ytd.value, base)
                rate = derived.value
                notes.append(derived.note or "增速按上年同期园区数推算")
        published = figure is not None and figure.published_growth is not None
        if published:
            rate = figure.published_growth
            notes.append("增速采用统计部门公布数")
        elif indicator.growth_published:
            rate = None
            notes.append("增速由统计部门公布，尚未录入")
        value_notes = list(notes)  # about the value and its growth; what follows is about the target
        total_target = sheet_target(targets[indicator.code], TargetKind.TOTAL, zone)
        growth_target = sheet_target(targets[indicator.code], TargetKind.GROWTH, zone)
        target_growth = growth_target.value / HUNDRED if growth_target else None
        target = target_value(total_target, indicator)
        if total_target is None and target_growth is not None:
            notes.append(f"目标为增速，按增速比较：{growth_against_target(rate, target_growth)}")
        elif target.note:
            notes.append(target.note)
        phasing = total_target.phasing if total_target else None
        status = progress(ytd.value, target.value, period, basis, phasing)
        if status.note and target.value is not None:
            notes.append(status.note)
        if status.gap_pp is not None:
            notes.append(gap_text(status.gap_pp))
        rows.append(
            {
                "indicator": indicator,
                "code": indicator.code,
                "name": indicator.name,
                "unit": indicator.get_unit_display(),
                "month_value": month.value,
                "ytd": ytd.value,
                "base": base,
                "growth": rate,
                "published_growth": published,
                "target": target.value,
                "target_growth": target_growth,
                "completion": status.completion,
                "time_progress": status.time_progress,
                "gap_pp": status.gap_pp,
                "note": "；".join(n for n in notes if n),
                "value_note": "；".join(n for n in value_notes if n),
            }
        )
    return rows


KEYS = (
    "code",
    "name",
    "unit",
    "month_value",
    "ytd",
    "base",
    "growth",
    "published_growth",
    "target",
    "completion",
    "time_progress",
    "gap_pp",
    "note",
)
DIGITS = {"growth": 4, "completion": 4, "time_progress": 4, "gap_pp": 2}


def as_json_row(row: dict) -> dict:
    """A summary row with JSON numbers: values to 2 decimals, fractions to 4, gaps to 2."""
    result = {}
    for key in KEYS:
        value = row[key]
        if isinstance(value, Decimal):
            value = round(float(value), DIGITS.get(key, 2))
        result[key] = value
    return result
