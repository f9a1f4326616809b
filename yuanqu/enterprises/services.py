"""Qualification validity and the counts a report quotes."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone

from .choices import DEFAULT_VALIDITY_YEARS, QualificationKind


def default_valid_until(kind: str, granted_on: datetime.date | None) -> datetime.date | None:
    """有效期至 when the certificate gives none: N years from 认定日期 less a day; a 科技型
    中小企业 entry counts for its calendar year; listings have no end date."""
    if granted_on is None:
        return None
    if kind == QualificationKind.TECH_SME:
        return datetime.date(granted_on.year, 12, 31)
    years = DEFAULT_VALIDITY_YEARS.get(kind)
    if years is None:
        return None
    try:
        end = granted_on.replace(year=granted_on.year + years)
    except ValueError:  # 29 February
        end = granted_on.replace(year=granted_on.year + years, day=28)
    return end - datetime.timedelta(days=1)


def valid_on(qualification, on: datetime.date | None = None) -> bool:
    on = on or timezone.localdate()
    q = qualification
    if q.granted_on > on:
        return False
    if q.valid_until is not None and q.valid_until < on:
        return False
    return not (q.revoked_on is not None and q.revoked_on <= on)


def valid_on_q(on: datetime.date, prefix: str = "") -> Q:
    """The same rule as ``valid_on`` as a filter on qualifications (prefix for joins)."""
    p = prefix
    return (
        Q(**{f"{p}granted_on__lte": on})
        & (Q(**{f"{p}valid_until__isnull": True}) | Q(**{f"{p}valid_until__gte": on}))
        & (Q(**{f"{p}revoked_on__isnull": True}) | Q(**{f"{p}revoked_on__gt": on}))
    )


def qualification_counts(enterprises, on: datetime.date | None = None) -> list[tuple[str, str, int]]:
    """(kind, label, number of the given enterprises holding it on the date), every kind."""
    from .models import Qualification

    on = on or timezone.localdate()
    rows = (
        Qualification.objects.filter(valid_on_q(on), enterprise__in=enterprises.values("pk"))
        .values("kind")
        .annotate(n=Count("enterprise", distinct=True))
    )
    counts = {r["kind"]: r["n"] for r in rows}
    return [(kind, label, counts.get(kind, 0)) for kind, label in QualificationKind.choices]


def correct_land_area(enterprise, area_mu, message: str = ""):
    """Correct an enterprise's 用地面积 (亩) on another app's decision (an accepted 亩均 appeal):
    saved through the model, so the change log records it with ``message``."""
    enterprise.land_area_mu = area_mu
    enterprise._change_message = message
    enterprise.save()
    return enterprise
