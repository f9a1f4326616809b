"""How each target of the sheet stands in a month (REFERENCE §4.5), as the plan states it.

* 总量/个数: the actual 1–N月累计 in the target's unit, 完成率 = actual / target, 序时进度
  (months/12 or the target's own phasing) and the gap in points (完成率 − 序时进度) × 100.
* 增速: the actual growth against the target growth, the gap in percentage points
  (实际 − 目标). Never turned into a value target: growth of 增加值 and GDP is published at
  comparable prices and is compared as growth.

The light comes from the *margin*, the gap turned so that more is better: for ``le`` targets
(能耗、安全事故) being under is good, so the margin is −gap; ``approx`` allows the tolerance
(percentage points of growth, or percent of a total's target) before a shortfall counts; ``eq``
reads as reaching the value, like ``ge``. The bands per kind are the user's (``LightBand``).

The actual comes from the catalogue figure the target points at; a reported target (no
figure), or a figure the catalogue cannot compute this month, takes the responsible
department's latest report of the year up to the month.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError

from yuanqu.utilities.bands import band_light
from yuanqu.utilities.periods import describe
from yuanqu.utilities.progress import time_progress

from .choices import BandKind, Comparator, Light, TargetKind

HUNDRED = Decimal(100)

# Default bands, lower bound inclusive: growth short by up to 1 point is yellow; a total
# behind its 序时进度 by 5–15 points is yellow, as the project lights.
DEFAULT_BANDS = [
    (BandKind.GROWTH, None, Decimal(-1), Light.RED),
    (BandKind.GROWTH, Decimal(-1), Decimal(0), Light.YELLOW),
    (BandKind.GROWTH, Decimal(0), None, Light.GREEN),
    (BandKind.TOTAL, None, Decimal(-15), Light.RED),
    (BandKind.TOTAL, Decimal(-15), Decimal(-5), Light.YELLOW),
    (BandKind.TOTAL, Decimal(-5), None, Light.GREEN),
]


def ensure_default_bands(sender=None, **kwargs):
    """Seed the default bands once (an empty band table only)."""
    from .models import LightBand

    if not LightBand.objects.exists():
        LightBand.objects.bulk_create(
            [LightBand(kind=k, lower=lo, upper=hi, light=light) for k, lo, hi, light in DEFAULT_BANDS]
        )


def load_bands() -> dict:
    from .models import LightBand

    bands = {kind: [] for kind in BandKind}
    for band in LightBand.objects.all():
        bands[band.kind].append(band)
    return bands


def default_tolerance(kind: str) -> Decimal:
    """The tolerance of an ``approx`` target without its own: percentage points of growth,
    or percent of a total target (settings ``YUANQU_TARGET_TOLERANCE_PP`` / ``_PERCENT``)."""
    if kind == TargetKind.GROWTH:
        return Decimal(str(settings.YUANQU_TARGET_TOLERANCE_PP))
    return Decimal(str(settings.YUANQU_TARGET_TOLERANCE_PERCENT))


@dataclass
class Standing:
    """One target in one month. ``actual`` is in the target's unit (growth in %)."""

    target: object
    period: datetime.date
    actual: Decimal | None = None
    completion: Decimal | None = None  # a fraction
    time_progress: Decimal | None = None  # a fraction
    gap_pp: Decimal | None = None
    margin: Decimal | None = None
    light: str = ""
    reported: bool = False  # the actual is a department's report, not a computed figure
    link: str = ""
    notes: list = field(default_factory=list)

    @property
    def note(self) -> str:
        return "；".join(n for n in self.notes if n)

    @property
    def light_label(self) -> str:
        return Light(self.light).label if self.light else "无法亮灯"

    def gap_text(self) -> str:
        """“低于目标0.2个百分点”, “落后序时进度5.7个百分点”; for a cap (``le``) the words of a
        cap: “在控制目标以内0.4个百分点”, “低于序时控制线25个百分点” …"""
        if self.gap_pp is None:
            return ""
        gap = round(self.gap_pp, 1)
        cap = self.target.comparator == Comparator.LE
        if self.target.kind == TargetKind.GROWTH:
            if gap == 0:
                return "与控制目标持平" if cap else "与目标持平"
            if cap:
                return f"{'超出' if gap > 0 else '在'}控制目标{'' if gap > 0 else '以内'}{abs(gap)}个百分点"
            return f"{'高于' if gap > 0 else '低于'}目标{abs(gap)}个百分点"
        if cap:
            if self.completion is not None and self.completion > 1:
                return f"已超出全年控制目标{round((self.completion - 1) * HUNDRED, 1)}%"
            if gap == 0:
                return "与序时控制线持平"
            return f"{'高于' if gap > 0 else '低于'}序时控制线{abs(gap)}个百分点"
        if gap == 0:
            return "与序时进度持平"
        return f"{'超' if gap > 0 else '落后'}序时进度{abs(gap)}个百分点"


def _scope(target):
    if target.zone_id and target.zone.parent_id is not None:
        return "zone", target.zone
    if target.scope_department_id:
        return "department", target.scope_department
    return "park", None


def _report(target, period):
    """The latest report of the target's year up to the month, from prefetched reports."""
    found = [r for r in target.reports.all() if r.period <= period and r.period.year == target.year]
    return max(found, key=lambda r: r.period) if found else None


def _from_catalogue(standing, target, catalogue, memo, user):
    """Fill ``standing.actual`` from the catalogue; False when it gives nothing."""
    from yuanqu.figures.catalogue import Query, evaluate
    from yuanqu.figures.units import UnitError, convert

    figure = catalogue.get(target.figure)
    if figure is None:
        standing.notes.append(f"数据项“{target.figure}”不在数据目录中")
        return False
    scope, scope_target = _scope(target)
    result = evaluate(figure, Query(standing.period, scope, scope_target, user, memo))
    standing.link = result.link
    if target.kind == TargetKind.GROWTH:
        growth = result.value if figure.kind == "growth" else result.growth
        if growth is None:
            standing.notes.append(result.note or f"{figure.name}无法计算增速")
            return False
        standing.actual = Decimal(growth) * HUNDRED
        return True
    if result.value is None:
        standing.notes.append(result.note or f"{figure.name}本期无数据")
        return False
    try:
        standing.actual = convert(result.value, figure.unit, target.unit.name, target.year)
    except UnitError as exc:
        standing.notes.append(str(exc))
        return False
    return True


def _judge(standing, target, bands, basis):
    """完成率, 序时进度, gap, margin and light from the actual."""
    if standing.actual is None:
        return
    value = Decimal(target.value)
    tolerance = target.tolerance if target.tolerance is not None else default_tolerance(target.kind)
    if target.kind == TargetKind.GROWTH:
        standing.gap_pp = standing.actual - value
    else:
        standing.time_progress = time_progress(standing.period, basis, target.phasing)
        if value <= 0:
            standing.notes.append("目标值不大于0，完成率无意义")
            return
        standing.completion = standing.actual / value
        standing.gap_pp = (standing.completion - standing.time_progress) * HUNDRED
    margin = standing.gap_pp
    if target.comparator == Comparator.LE:
        margin = -margin
    elif target.comparator == Comparator.APPROX:
        margin = margin + tolerance
    standing.margin = margin
    kind = BandKind.GROWTH if target.kind == TargetKind.GROWTH else BandKind.TOTAL
    try:
        standing.light = band_light(bands[kind], margin, f"“{BandKind(kind).label}”亮灯规则")
    except ValidationError as exc:
        standing.notes.append(exc.messages[0])
    if standing.gap_pp is not None:
        standing.notes.append(standing.gap_text())


def stand(targets, period: datetime.date, user=None, basis: str = "months") -> list[Standing]:
    """Each target's standing at the end of ``period`` (a month of the targets' year).
    ``user``: figures count only the records that user may view (None: the console)."""
    return _stand(targets, period, user, basis, _Rules())


def stand_by_month(target, months, user=None, basis: str = "months") -> list[Standing]:
    """One target's standing at the end of each of ``months`` (its page's table), reading the
    catalogue and the bands once."""
    rules = _Rules()
    return [_stand([target], month, user, basis, rules)[0] for month in months]


class _Rules:
    """What judging reads once per call: the figure catalogue and the light bands."""

    def __init__(self):
        from yuanqu.figures.catalogue import figures

        self.catalogue = figures()
        self.bands = load_bands()


def _stand(targets, period, user, basis, rules) -> list[Standing]:
    catalogue, bands = rules.catalogue, rules.bands
    memo: dict = {}
    result = []
    for target in targets:
        standing = Standing(target, period)
        if period.year != target.year:
            standing.notes.append(f"目标属于{target.year}年，不能按{describe(period)}计算")
            result.append(standing)
            continue
        found = bool(target.figure) and _from_catalogue(standing, target, catalogue, memo, user)
        if not found:
            report = _report(target, period)
            if report is not None:
                standing.actual = report.actual
                standing.reported = True
                if target.figure:
                    standing.notes.append("取责任单位填报数")
                if report.period != period:
                    standing.notes.append(f"取{describe(report.period)}填报数")
            elif target.reported:
                standing.reported = True
                standing.notes.append(f"责任单位尚未填报{describe(period)}完成情况")
        _judge(standing, target, bands, basis)
        result.append(standing)
    return result


def sheet(year: int, user=None):
    """The year's targets the user may view, with what ``stand`` reads."""
    from .models import Target

    targets = Target.objects.filter(year=year)
    if user is not None:
        targets = targets.restrict(user, "view")
    return targets.select_related("unit", "department", "zone", "scope_department").prefetch_related(
        "reports"
    )


def _number(value, places):
    return None if value is None else round(float(value), places)


def as_json(standing: Standing) -> dict:
    """One target as ``yuanqu targets --json`` prints it: ``target`` and ``actual`` in the
    target's unit, growth as a fraction (a 9% target is 0.09, as ``yuanqu indicators``);
    ``completion`` and ``time_progress`` fractions; ``gap_pp`` percentage points."""
    target = standing.target
    growth = target.kind == TargetKind.GROWTH
    scale = HUNDRED if growth else Decimal(1)
    actual = None if standing.actual is None else standing.actual / scale
    return {
        "indicator": target.name,
        "figure_key": target.figure or None,
        "kind": target.kind,
        "comparator": target.comparator,
        "target": _number(Decimal(target.value) / scale, 4 if growth else 2),
        "unit": target.unit.name,
        "actual": _number(actual, 4 if growth else 2),
        "completion": _number(standing.completion, 4),
        "time_progress": _number(standing.time_progress, 4),
        "gap_pp": _number(standing.gap_pp, 2),
        "light": standing.light or None,
        "department": target.department.name if target.department_id else None,
        "scope": str(target.zone or target.scope_department or "园区"),
        "reported": standing.reported,
        "note": standing.note,
    }
