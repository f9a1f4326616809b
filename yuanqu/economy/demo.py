"""The demo zone's economic data: monthly reports of its 规上工业 enterprises and the park's
zone-level figures.

Three years of months up to the last complete one, for 规上工业总产值, 营业收入, 利润总额,
全口径税收 and 用电量; 规上工业总产值 of the last full year is about 259亿元, about 10 % above the year
before, and the current year grows about as much again. Each year has its own 规上 population:
the registry's records for this year and last, and for the year before a population with a
few of last year's newcomers missing and a few enterprises that left since, so the
comparable-set notes have something to show. The park's zone-level figures (规上工业增加值
and 地区生产总值 with the bureau's published growth, 固定资产投资, 一般公共预算收入) follow the
enterprises' output and tax month by month; the months of the first year are locked. The
year's targets are the target sheet's demo (``yuanqu.targets``). Records are bulk-created
(seed data has no author for the change log) and the rollups rebuilt once.
"""

import datetime
import math
import random
from decimal import Decimal

from django.db import transaction

from yuanqu.enterprises.choices import ScaleKind
from yuanqu.enterprises.models import Enterprise, ScaleRecord
from yuanqu.users.models import Zone

from . import rollups
from .models import EnterpriseMonthlyValue, Indicator, PeriodLock, ZoneMonthlyFigure
from .services import add_months

SEED = 2024
PARK_OUTPUT_WAN = 2_590_000  # 259亿元 of 规上工业总产值 in the last full year
GROWTH = 0.10  # comparable growth of each year over the one before
# Share of a year's output by month: the Spring Festival dip, the year-end push.
SEASON = [60, 65, 85, 83, 85, 88, 82, 83, 87, 86, 86, 110]
# indicator code → (ratio to output low, high)
RATIOS = {
    "revenue": (0.88, 1.12),
    "profit": (0.03, 0.09),
    "tax_all_levels": (0.02, 0.06),
    "electricity": (0.008, 0.035),
}
CENT = Decimal("0.01")
# zone-level indicator → (enterprise indicator it follows, 亿元 per 万元 of it, published growth)
ZONE_FIGURES = {
    "industrial_value_added": ("industrial_output", Decimal("0.26"), (0.085, 0.105)),
    "gdp": ("industrial_output", Decimal("0.48"), (0.075, 0.095)),
    "fixed_asset_investment": ("industrial_output", Decimal("0.16"), None),
    "general_budget_revenue": ("tax_all_levels", Decimal("0.42"), None),
}


def generate_economy(today: datetime.date | None = None, park_name: str | None = None):
    """Add the economic data to the demo zone; None when there is no demo zone or it has
    its data already (a rerun changes nothing)."""
    from django.utils import timezone

    from yuanqu.enterprises.demo import PARK_NAME

    today = today or timezone.localdate()
    park = Zone.objects.filter(name=park_name or PARK_NAME, parent=None).first()
    if park is None:
        return None
    zone_ids = park.subtree_ids()
    if EnterpriseMonthlyValue.objects.filter(enterprise__zone_id__in=zone_ids).exists():
        return None
    with transaction.atomic():
        return _build(today, park, zone_ids, random.Random(SEED))


def _build(today, park, zone_ids, rng):
    last = add_months(today.replace(day=1), -1)
    year = last.year
    years = (year - 2, year - 1, year)
    records = ScaleRecord.objects.filter(kind=ScaleKind.INDUSTRY, enterprise__zone_id__in=zone_ids)
    members = {y: set() for y in years}
    for enterprise_id, record_year in records.values_list("enterprise_id", "year"):
        if record_year in members:
            members[record_year].add(enterprise_id)
    for y in (year - 1, year):  # a year without records takes its neighbour's population
        members[y] = members[y] or members.get(y + 1) or members.get(y - 1) or set()
    known = sorted(members[year - 1] | members[year])
    if not known:
        return None
    # The year before last: without a few of last year's newcomers, with a few that left since.
    newcomers = rng.sample(sorted(members[year - 1]), len(members[year - 1]) // 15)
    others = sorted(
        Enterprise.objects.filter(zone_id__in=zone_ids).exclude(pk__in=known).values_list("pk", flat=True)
    )
    leavers = rng.sample(others, min(len(others), len(newcomers) // 2 + 1))
    members[year - 2] = (members[year - 1] - set(newcomers)) | set(leavers)
    everyone = sorted(members[year - 2] | members[year - 1] | members[year])

    mu = math.log(PARK_OUTPUT_WAN / max(len(members[year - 1]), 1)) - 0.5
    size = {e: rng.lognormvariate(mu, 1.0) for e in everyone}
    scale = PARK_OUTPUT_WAN / (sum(size[e] for e in members[year - 1]) or 1)

    def draw():  # most grow, one in six falls
        return rng.choice([rng.gauss(0.15, 0.08)] * 5 + [rng.uniform(-0.3, -0.05)])

    growth = {y: {e: draw() for e in everyone} for y in (year - 1, year)}
    level = {e: size[e] * scale for e in everyone}  # last full year's output
    before = {e: level[e] / (1 + growth[year - 1][e]) for e in everyone}
    after = {e: level[e] * (1 + growth[year][e]) for e in everyone}
    # Scale the years around so that the comparable set grows by GROWTH each year.
    paired = members[year - 2] & members[year - 1]
    before_factor = sum(level[e] for e in paired) / (sum(before[e] for e in paired) or 1) / (1 + GROWTH)
    paired = members[year - 1] & members[year]
    after_factor = (1 + GROWTH) * sum(level[e] for e in paired) / (sum(after[e] for e in paired) or 1)
    annual = {
        year - 2: {e: v * before_factor for e, v in before.items()},
        year - 1: level,
        year: {e: v * after_factor for e, v in after.items()},
    }
    ratios = {code: {e: rng.uniform(*bounds) for e in everyone} for code, bounds in RATIOS.items()}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=["industrial_output", *RATIOS])}
    season_total = sum(SEASON)

    rows, monthly = [], {}
    for y in years:
        months = 12 if y < year else last.month
        for enterprise in sorted(members[y]):
            ytd = {code: Decimal(0) for code in indicators}
            for month in range(1, months + 1):
                period = datetime.date(y, month, 1)
                output = annual[y][enterprise] * SEASON[month - 1] / season_total * rng.uniform(0.95, 1.05)
                for code, indicator in indicators.items():
                    value = output * ratios[code][enterprise] if code in RATIOS else output
                    month_value = Decimal(value).quantize(CENT)
                    ytd[code] += month_value
                    key = (code, y, month)
                    monthly[key] = monthly.get(key, Decimal(0)) + month_value
                    rows.append(
                        EnterpriseMonthlyValue(
                            enterprise_id=enterprise,
                            indicator=indicator,
                            period=period,
                            month_value=month_value,
                            ytd_value=ytd[code],
                            reason="演示数据",
                        )
                    )
    EnterpriseMonthlyValue.objects.bulk_create(rows, batch_size=2000)
    rollups.rebuild(set(zone_ids) | {None})

    figures = _zone_figures(park, monthly, years, last, rng)
    ZoneMonthlyFigure.objects.bulk_create(figures)
    locks = [
        PeriodLock(period=datetime.date(years[0], m, 1), comments="演示：年度数据已定稿")
        for m in range(1, 13)
    ]
    locks = [lock for lock in locks if not PeriodLock.objects.filter(period=lock.period).exists()]
    PeriodLock.objects.bulk_create(locks)
    return {"values": len(rows), "figures": len(figures), "locks": len(locks)}


def _zone_figures(park, monthly, years, last, rng):
    """The park's monthly figures of the zone-level indicators, derived from the enterprises'
    output and tax (亿元), with the bureau's published growth where it publishes one."""
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=ZONE_FIGURES)}
    figures = []
    for code, (source, factor, published) in ZONE_FIGURES.items():
        if code not in indicators:
            continue
        for y in years:
            ytd = Decimal(0)
            for month in range(1, (12 if y < last.year else last.month) + 1):
                month_value = (monthly.get((source, y, month), Decimal(0)) * factor / 10000).quantize(CENT)
                ytd += month_value
                growth = None
                if published and y > years[0]:
                    growth = Decimal(str(round(rng.uniform(*published), 3)))
                figures.append(
                    ZoneMonthlyFigure(
                        zone=park,
                        indicator=indicators[code],
                        period=datetime.date(y, month, 1),
                        month_value=month_value,
                        ytd_value=ytd,
                        published_growth=growth,
                        reason="演示数据",
                    )
                )
    return figures
