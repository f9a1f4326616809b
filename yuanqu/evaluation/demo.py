"""The demo zone's 亩均 evaluation: land areas, the evaluation data the monthly reports lack,
and two evaluated years (the last full one and the one before), so the change from last year
shows. 评价税收 and 营业收入 of the last full year come from the demo monthly reports where
they exist. A rerun adds nothing."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yuanqu.core.context import acting_as
from yuanqu.enterprises.choices import ScaleKind
from yuanqu.enterprises.models import Enterprise, ScaleRecord
from yuanqu.users.models import Department, Zone

from .choices import SchemeStatus
from .models import EvaluationInput, EvaluationScheme, SchemeIndicator
from .services import annual_inputs, default_rules, evaluate

SEED = 2022
LAND_THRESHOLD_MU = Decimal(5)  # 规下 enterprises using 5 亩 or more are evaluated too (合肥, REFERENCE §6.4)
CENT = Decimal("0.01")


def _d(value) -> Decimal:
    return Decimal(value).quantize(CENT)


def generate_evaluation(today: datetime.date | None = None, park_name: str | None = None):
    """Evaluate the last full year and the one before in the demo zone; None when there is
    no demo zone or the last full year has a scheme already."""
    from yuanqu.enterprises.demo import PARK_NAME

    today = today or timezone.localdate()
    year = today.year - 1
    park = Zone.objects.filter(name=park_name or PARK_NAME, parent=None).first()
    if park is None or EvaluationScheme.objects.filter(year=year).exists():
        return None
    with transaction.atomic(), acting_as(None, source="system"):
        return _build(year, park.subtree_ids(), random.Random(SEED))


def _build(year, zone_ids, rng):
    scale_ids = set(
        ScaleRecord.objects.filter(
            kind=ScaleKind.INDUSTRY, year__in=[year - 1, year], enterprise__zone_id__in=zone_ids
        ).values_list("enterprise_id", flat=True)
    )
    if not scale_ids:
        return None
    enterprises = list(Enterprise.objects.filter(pk__in=scale_ids).order_by("pk"))
    # Land: most 规上 enterprises have it recorded; a few do not (shown as not evaluated).
    for enterprise in enterprises:
        if enterprise.land_area_mu is None and rng.random() < 0.95:
            enterprise.land_area_mu = _d(rng.lognormvariate(3.3, 0.7) + 5)
    Enterprise.objects.bulk_update(enterprises, ["land_area_mu"])
    reports = annual_inputs(enterprises, year)
    inputs = []
    for enterprise in enterprises:
        revenue = reports[enterprise.pk]["revenue_wan"][0] or Decimal(rng.lognormvariate(9.5, 1.0))
        tax = reports[enterprise.pk]["tax_wan"][0] or revenue * Decimal(rng.uniform(0.02, 0.06))
        growth = Decimal(1 + rng.gauss(0.08, 0.12))
        for y, factor in ((year, Decimal(1)), (year - 1, 1 / growth)):
            value_added = revenue * factor * Decimal(rng.uniform(0.18, 0.32))
            inputs.append(
                EvaluationInput(
                    enterprise=enterprise,
                    year=y,
                    # the year before has no monthly reports: its tax and revenue are entered
                    tax_wan=None if y == year else _d(tax * factor),
                    revenue_wan=None if y == year else _d(revenue * factor),
                    value_added_wan=_d(value_added),
                    energy_tce=_d(value_added / Decimal(rng.uniform(1.5, 4.5))),
                    emissions_t=_d(value_added / Decimal(rng.uniform(2500, 8000)))
                    if rng.random() < 0.85
                    else None,
                    employees=Decimal(max(20, int(value_added / Decimal(rng.uniform(12, 26))))),
                    rd_wan=_d(revenue * factor * Decimal(rng.uniform(0.005, 0.05))),
                    source="演示数据",
                )
            )
    existing = set(
        EvaluationInput.objects.filter(year__in=[year - 1, year]).values_list("enterprise_id", "year")
    )
    EvaluationInput.objects.bulk_create([i for i in inputs if (i.enterprise_id, i.year) not in existing])
    department = Department.objects.filter(name="经济发展局").first()
    counts = {}
    for y in (year - 1, year):
        scheme = EvaluationScheme.objects.filter(year=y).first() or _scheme(y, department)
        counts[y] = evaluate(scheme)
    return {"enterprises": len(enterprises), "inputs": len(inputs), "results": counts}


def _scheme(year, department):
    scheme = EvaluationScheme.objects.create(
        year=year,
        land_threshold_mu=LAND_THRESHOLD_MU,
        department=department,
        status=SchemeStatus.PUBLISHED,
        published_on=datetime.date(year + 1, 5, 20),
        comments="演示方案：权重和基准值取黄岩区2022年规上企业口径（REFERENCE §6.3）",
    )
    SchemeIndicator.objects.bulk_create(
        SchemeIndicator(
            scheme=scheme, code=r.code, weight=r.weight, benchmark=r.benchmark, when_missing=r.when_missing
        )
        for r in default_rules()
    )
    return scheme
