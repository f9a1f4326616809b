"""The demo zone's economic data: monthly reports of its 规上工业 enterprises and targets.

Two years of months up to the last complete one, for 规上工业总产值, 营业收入, 全口径税收 and
用电量; 规上工业总产值 of the last full year is about 259亿元 with growth around 10 %. The
enterprises that entered the 规上 population this year have no values last year and those
that left have none this year, so the comparable-set notes have something to show. Records
are bulk-created (seed data has no author for the change log).
"""

import datetime
import math
import random
from decimal import Decimal

from django.db import transaction

from yuanqu.enterprises.choices import ScaleKind
from yuanqu.enterprises.models import ScaleRecord
from yuanqu.users.models import Zone

from .models import AnnualTarget, EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from .services import add_months

SEED = 2024
PARK_OUTPUT_WAN = 2_590_000  # 259亿元 of 规上工业总产值 in the last full year
# Share of a year's output by month: the Spring Festival dip, the year-end push.
SEASON = [60, 65, 85, 83, 85, 88, 82, 83, 87, 86, 86, 110]
# indicator code → (ratio to output low, high)
RATIOS = {"revenue": (0.88, 1.12), "tax_all_levels": (0.02, 0.06), "electricity": (0.008, 0.035)}
CENT = Decimal("0.01")


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
    records = ScaleRecord.objects.filter(kind=ScaleKind.INDUSTRY, enterprise__zone_id__in=zone_ids)
    members = {y: set() for y in (year - 1, year)}
    for enterprise_id, record_year in records.values_list("enterprise_id", "year"):
        members.setdefault(record_year, set()).add(enterprise_id)
    for y in (year - 1, year):  # a year without records takes its neighbour's population
        members[y] = members[y] or members.get(y + 1) or members.get(y - 1) or set()
    everyone = sorted(members[year - 1] | members[year])
    if not everyone:
        return None
    mu = math.log(PARK_OUTPUT_WAN / max(len(members[year - 1]), 1)) - 0.5
    size = {e: rng.lognormvariate(mu, 1.0) for e in everyone}
    scale = PARK_OUTPUT_WAN / (sum(size[e] for e in members[year - 1]) or 1)
    growth = {e: rng.choice([rng.gauss(0.15, 0.08)] * 5 + [rng.uniform(-0.3, -0.05)]) for e in everyone}
    ratios = {code: {e: rng.uniform(*bounds) for e in everyone} for code, bounds in RATIOS.items()}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=["industrial_output", *RATIOS])}
    season_total = sum(SEASON)

    rows, totals = [], {}
    for y in (year - 1, year):
        months = 12 if y < year else last.month
        for enterprise in sorted(members[y]):
            annual = size[enterprise] * scale * (1 + growth[enterprise] if y == year else 1)
            ytd = {code: Decimal(0) for code in indicators}
            for month in range(1, months + 1):
                period = datetime.date(y, month, 1)
                output = annual * SEASON[month - 1] / season_total * rng.uniform(0.95, 1.05)
                for code, indicator in indicators.items():
                    value = output * ratios[code][enterprise] if code in RATIOS else output
                    month_value = Decimal(value).quantize(CENT)
                    ytd[code] += month_value
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
            for code, value in ytd.items():
                totals[(y, code)] = totals.get((y, code), Decimal(0)) + value
    EnterpriseMonthlyValue.objects.bulk_create(rows, batch_size=2000)

    targets = [
        AnnualTarget(
            indicator=indicator,
            year=year,
            target_value=(totals.get((year - 1, code), Decimal(0)) * Decimal("1.09")).quantize(Decimal(1)),
            target_growth=Decimal("0.09"),
        )
        for code, indicator in indicators.items()
    ]
    AnnualTarget.objects.bulk_create(targets)

    value_added = Indicator.objects.filter(code="industrial_value_added").first()
    figures = []
    if value_added is not None:
        for y in (year - 1, year):
            ytd = Decimal(0)
            for month in range(1, (12 if y < year else last.month) + 1):
                month_value = (
                    Decimal(PARK_OUTPUT_WAN) / 10000 * Decimal("0.26") * SEASON[month - 1] / season_total
                )
                month_value = (month_value * Decimal(1.1 if y == year else 1)).quantize(CENT)
                ytd += month_value
                figures.append(
                    ZoneMonthlyFigure(
                        zone=park,
                        indicator=value_added,
                        period=datetime.date(y, month, 1),
                        month_value=month_value,
                        ytd_value=ytd,
                        published_growth=Decimal(str(round(rng.uniform(0.085, 0.105), 3))),
                        reason="演示数据",
                    )
                )
        ZoneMonthlyFigure.objects.bulk_create(figures)
    return {"values": len(rows), "targets": len(targets), "figures": len(figures)}
