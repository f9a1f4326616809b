"""The demo zone's target sheet (目标责任书) and the city bureau's peer figures.

``generate_targets``: about 30 targets for the year of the last complete month (the year the
other demos' months have data for), of every kind the sheet holds: growth targets on the
economy's figures (one “左右”), totals in another unit than the figure's (亿元 for a figure in
万元), counts from the investment pipeline, the registry and the key projects, 诉求办结率 as a
total in %, reported targets with their departments' reports (民生支出, 粮食产量 with its own
phasing, 新增城镇就业), ``le`` targets (安全事故, 综合能耗增长) and a bare “新增企业” (eq). The
plan's values are set from what the catalogue computes for the month so that each target
shows the light the story wants whatever the demo's size and date: most departments are on
track, 企业服务中心 lags (its targets red or yellow).

``generate_peers``: the city bureau's monthly 通报 for the same months: five peer zones and 全市
for the headline economic figures, values and growth around the demo zone's, so that its rank
moves from month to month.

Both are deterministic, bulk-created like the other demos (seed data has no author for the
change log) and skip themselves when their data are there.
"""

import datetime
import math
import random
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from yuanqu.figures.catalogue import Query, evaluate, figures
from yuanqu.figures.models import PeerValue, Unit
from yuanqu.users.models import Department, Zone
from yuanqu.utilities.progress import time_progress

from .choices import Comparator, Light, TargetKind
from .models import Target, TargetReport
from .progress import ensure_default_bands, sheet, stand

SEED = 2026
LAGGING = "企业服务中心"
# The completion a total target is given against its 序时进度 for each light (default bands:
# green from −5 points, yellow from −15).
COMPLETION_OFFSET = {
    Light.GREEN: Decimal("0.03"),
    Light.YELLOW: Decimal("-0.10"),
    Light.RED: Decimal("-0.30"),
}
# The plan's growth against the actual growth for each light, in percentage points.
GROWTH_OFFSET = {Light.GREEN: Decimal("-0.3"), Light.YELLOW: Decimal("0.2"), Light.RED: Decimal("1.5")}
# A phasing for the grain harvest: the summer crop in June, the autumn crop in October.
GRAIN_PHASING = [0, 0, 0, 0, 0.05, 0.4, 0.45, 0.45, 0.5, 0.95, 1, 1]

# (指标, figure key or "" for a reported target, kind, unit, comparator, department, light
#  wanted, the plan's value when the figure gives nothing to set it from)
SHEET = [
    ("地区生产总值", "economy.gdp", "growth", "%", "ge", "经济发展局", Light.GREEN, 8),
    (
        "规上工业增加值",
        "economy.industrial_value_added",
        "growth",
        "%",
        "approx",
        "经济发展局",
        Light.GREEN,
        10,
    ),
    ("规上工业总产值", "economy.industrial_output", "total", "亿元", "ge", "经济发展局", Light.GREEN, 280),
    ("营业收入", "economy.revenue", "total", "亿元", "ge", "经济发展局", Light.YELLOW, 300),
    ("社会消费品零售总额", "economy.retail_sales", "growth", "%", "ge", "经济发展局", Light.YELLOW, 6.5),
    ("综合能耗增长", "", "growth", "%", "le", "经济发展局", Light.GREEN, 3),
    ("固定资产投资", "economy.fixed_asset_investment", "growth", "%", "ge", "规划国土局", Light.GREEN, 10),
    ("粮食产量", "", "total", "吨", "ge", "规划国土局", Light.GREEN, 12000),
    ("一般公共预算收入", "economy.general_budget_revenue", "growth", "%", "ge", "财政局", Light.GREEN, 8),
    ("全口径税收", "economy.tax_all_levels", "total", "亿元", "ge", "财政局", Light.GREEN, 12),
    ("利润总额", "economy.profit", "total", "亿元", "ge", "财政局", Light.GREEN, 15),
    ("民生支出", "", "total", "亿元", "ge", "财政局", Light.GREEN, 9.6),
    ("签约项目", "investment.signed", "total", "个", "ge", "招商局", Light.GREEN, 60),
    ("亿元以上签约项目", "investment.signed_100m", "total", "个", "ge", "招商局", Light.GREEN, 50),
    ("10亿元以上签约项目", "investment.signed_1000m", "total", "个", "ge", "招商局", Light.YELLOW, 8),
    ("招商项目开工", "investment.started", "total", "个", "ge", "招商局", Light.GREEN, 35),
    ("亿元以上招商项目竣工投产", "investment.producing_100m", "total", "个", "ge", "招商局", Light.GREEN, 12),
    ("到位资金", "investment.funds", "total", "亿元", "ge", "招商局", Light.GREEN, 100),
    ("新增高新技术企业", "enterprises.hnte_new", "total", "家", "ge", "科技创新局", Light.GREEN, 8),
    ("新增专精特新中小企业", "enterprises.srdi_sme_new", "total", "家", "ge", "科技创新局", Light.GREEN, 5),
    ("新增科技型中小企业", "enterprises.tech_sme_new", "total", "家", "ge", "科技创新局", Light.GREEN, 10),
    ("入库重点项目", "projects.listed", "total", "个", "ge", "建设局", Light.GREEN, 80),
    ("开工亿元以上项目", "projects.started_100m", "total", "个", "ge", "建设局", Light.GREEN, 20),
    ("竣工投产项目", "projects.finished", "total", "个", "ge", "建设局", Light.YELLOW, 10),
    ("重点项目完成投资", "projects.invested", "total", "亿元", "ge", "建设局", Light.GREEN, 280),
    ("诉求办结率", "demands.close_rate", "total", "%", "ge", "党政办公室", Light.GREEN, 95),
    ("安全生产事故", "", "total", "件", "le", "党政办公室", Light.GREEN, 3),
    ("新增企业", "enterprises.founded", "total", "家", "eq", LAGGING, Light.RED, 300),
    ("新增规上工业企业", "enterprises.scale_industry_new", "total", "家", "ge", LAGGING, Light.RED, 12),
    ("新增上市企业", "enterprises.listing_new", "total", "家", "ge", LAGGING, Light.RED, 2),
    ("新增城镇就业", "", "total", "人", "ge", LAGGING, Light.YELLOW, 3000),
]
# The growth (%) the departments report for the month; for 社会消费品零售总额 the report stands
# in while the bureau's figure is missing. Reported totals follow ``_reported_total``.
REPORTED_GROWTH = {"社会消费品零售总额": Decimal("6.2"), "综合能耗增长": Decimal("2.6")}


def demo_month(today: datetime.date) -> datetime.date:
    """The last complete month: the month the other demos' figures run up to."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def generate_targets(today: datetime.date | None = None) -> int:
    """Add the demo year's target sheet; 0 when there is no zone yet or the year has targets
    (the demo zone is the only park of a demo database)."""
    month = demo_month(today or timezone.localdate())
    if not Zone.objects.filter(parent=None).exists():
        return 0
    if Target.objects.filter(year=month.year).exists():
        return 0
    with transaction.atomic():
        return _build_targets(month)


def _build_targets(month):
    ensure_default_bands()
    units = {u.name: u for u in Unit.objects.all()}
    departments = {d.name: d for d in Department.objects.all()}
    targets = []
    for order, (name, figure, kind, unit, comparator, department, _, fallback) in enumerate(SHEET, 1):
        targets.append(
            Target(
                year=month.year,
                name=name,
                figure=figure,
                kind=kind,
                value=Decimal(str(fallback)),
                unit=units[unit],
                comparator=comparator,
                department=departments.get(department),
                phasing=GRAIN_PHASING if name == "粮食产量" else None,
                order=order * 10,
                comments="演示数据",
            )
        )
    Target.objects.bulk_create(targets)
    # What the catalogue gives for the month, in each target's unit (growth in %).
    actuals = {s.target.name: s.actual for s in stand(sheet(month.year).exclude(figure=""), month)}
    reports = []
    for target, (name, _, kind, _, comparator, _, light, _) in zip(targets, SHEET, strict=True):
        actual = actuals.get(name)
        if actual is not None:
            target.value = _plan_value(target, actual, light, month)
            continue
        if kind == TargetKind.GROWTH:
            reports.append((target, month, REPORTED_GROWTH.get(name, target.value)))
            continue
        for back in (2, 1, 0):  # the last three months' 1–N月累计
            period = _add_months(month, -back)
            if period.year == month.year:
                reports.append((target, period, _reported_total(target, period, light, comparator)))
    Target.objects.bulk_update(targets, ["value"])
    TargetReport.objects.bulk_create(
        [
            TargetReport(target=target, period=period, actual=actual, comments="演示填报")
            for target, period, actual in reports
        ]
    )
    return len(targets)


def _add_months(month, n):
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def _whole(unit) -> bool:
    return unit.name in {"个", "家", "件", "项", "人", "吨"}


def _plan_value(target, actual: Decimal, light, month) -> Decimal:
    """The plan's value that gives ``light`` for ``actual`` (default bands)."""
    if target.kind == TargetKind.GROWTH:
        # Growth in steps of 0.5 point: green at least 0.3 above, yellow 0.2–0.7 below, red
        # 1.5 or more below; “左右” the nearest step (within its tolerance).
        if target.comparator == Comparator.APPROX:
            return _step(actual, ROUND_HALF_UP)
        offset = GROWTH_OFFSET[light]
        rounding = ROUND_FLOOR if light == Light.GREEN else ROUND_CEILING
        return _step(actual + offset, rounding)
    if target.unit.name == "%":
        return target.value  # a rate (办结率95%) is stated as the plan has it
    progress = time_progress(month, "months", target.phasing)
    completion = progress + COMPLETION_OFFSET[light]
    if actual <= 0 or completion <= Decimal("0.05"):
        return target.value  # nothing to set it from: the plan's own figure
    exact = actual / completion
    places = Decimal(1) if _whole(target.unit) or exact >= 100 else Decimal("0.1")
    candidates = [
        exact.quantize(places, rounding) for rounding in (ROUND_HALF_UP, ROUND_FLOOR, ROUND_CEILING)
    ]
    for value in candidates:  # a round figure that still gives the light
        if value > 0 and _total_light(actual / value - progress) == light:
            return value
    return exact.quantize(Decimal("0.01"))


def _total_light(gap: Decimal) -> str:
    """The default bands of a total target (see ``progress.DEFAULT_BANDS``)."""
    if gap < Decimal("-0.15"):
        return Light.RED
    return Light.YELLOW if gap < Decimal("-0.05") else Light.GREEN


def _step(value: Decimal, rounding) -> Decimal:
    return (value * 2).quantize(Decimal(1), rounding) / 2


def _reported_total(target, period, light, comparator) -> Decimal:
    """A department's 1–N月累计 for a reported total: on track, behind, or (for ``le``
    targets) well within the limit."""
    progress = time_progress(period, "months", target.phasing)
    if comparator == Comparator.LE:
        share = progress * Decimal("0.7")
    else:
        share = progress + COMPLETION_OFFSET[light]
    actual = max(Decimal(0), Decimal(target.value) * share)
    rounding = ROUND_FLOOR if comparator == Comparator.LE or light != Light.GREEN else ROUND_CEILING
    if _whole(target.unit):
        return actual.quantize(Decimal(1), rounding)
    return actual.quantize(Decimal("0.01"), rounding)


# --- peers ---------------------------------------------------------------------------------------

PEERS = ["滨江经济开发区", "临港产业园", "城北高新区", "南湖科技园", "西山工业园"]
# figure → (each peer's size against the demo zone, the city's total against the zone and its peers)
PEER_FIGURES = {
    "economy.gdp": ([1.32, 1.06, 0.94, 0.71, 0.55], 2.1),
    "economy.industrial_value_added": ([1.18, 1.12, 0.86, 0.64, 0.58], 1.9),
    "economy.fixed_asset_investment": ([1.4, 0.97, 1.03, 0.8, 0.62], 2.3),
    "economy.general_budget_revenue": ([1.25, 0.9, 1.08, 0.75, 0.5], 2.6),
    "economy.industrial_output": ([1.1, 1.02, 0.96, 0.7, 0.66], 1.8),
}


def generate_peers(today: datetime.date | None = None) -> int:
    """Add the bureau's 通报 for the demo year's months; 0 when the zone has no figures or
    the peers are there."""
    month = demo_month(today or timezone.localdate())
    if PeerValue.objects.filter(period__year=month.year).exists():
        return 0
    with transaction.atomic():
        return _build_peers(month)


def _build_peers(last):
    catalogue = figures()
    rng = random.Random(SEED)
    memo: dict = {}
    rows = []
    for key, (sizes, city_factor) in PEER_FIGURES.items():
        figure = catalogue.get(key)
        if figure is None:
            continue
        for m in range(1, last.month + 1):
            period = datetime.date(last.year, m, 1)
            own = evaluate(figure, Query(period, "park", None, None, memo))
            if own.value is None:
                continue
            value = float(own.value)
            growth = float(own.growth) if own.growth is not None else 0.08
            values = []
            for i, (peer, size) in enumerate(zip(PEERS, sizes, strict=True)):
                # Sizes drift a little month to month so the ranks close to the zone change.
                drift = 1 + 0.08 * math.sin(m + i * 1.7) + rng.uniform(-0.03, 0.03)
                peer_value = value * size * drift
                peer_growth = growth + rng.uniform(-0.025, 0.025) + 0.01 * (2 - i) / 2
                values.append(peer_value)
                rows.append(_peer(key, period, peer, peer_value, peer_growth))
            city = (value + sum(values)) * city_factor
            rows.append(_peer(key, period, PeerValue.CITY, city, growth + rng.uniform(-0.01, 0.005)))
    PeerValue.objects.bulk_create(rows)
    return len(rows)


def _peer(key, period, peer, value, growth):
    return PeerValue(
        figure=key,
        period=period,
        peer=peer,
        value=Decimal(str(round(value, 4))),
        growth=Decimal(str(round(growth, 6))),
        source=f"市统计局{period.year}年{period.month}月通报（演示）",
    )
