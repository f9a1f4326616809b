"""The registry's figures for the catalogue: enterprises founded, qualifications held and
newly granted (a first grant, not a re-certification; 专精特新 by level), and enterprises new
to the 规上 population of the year, for the park, a 片区, a department or a 产业链."""

from functools import partial
from urllib.parse import urlencode

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse

from yuanqu.figures.catalogue import Figure, Result

from .choices import QualificationKind, QualificationLevel, ScaleKind
from .services import valid_on_q

SCOPES = ("park", "zone", "department", "chain")
COUNTED_KINDS = [k for k in QualificationKind if k != QualificationKind.OTHER]
LEVELLED_KINDS = {
    QualificationKind.SRDI_SME: [
        QualificationLevel.NATIONAL,
        QualificationLevel.PROVINCIAL,
        QualificationLevel.MUNICIPAL,
    ]
}
SCALE_NAMES = {
    ScaleKind.INDUSTRY: "新增规上工业企业",
    ScaleKind.TRADE: "新增限上批零住餐企业",
    ScaleKind.SERVICE: "新增规上服务业企业",
    ScaleKind.CONSTRUCTION: "新增资质内建筑业企业",
    ScaleKind.REAL_ESTATE: "新增房地产开发经营企业",
}


def enterprises(query):
    """The enterprises of the query's scope that the user may view."""
    from .models import Enterprise

    return query.records(
        Enterprise.objects.all(), zone="zone", department="department", chain="industry_chain"
    )


def qualifications(query):
    from .models import Qualification

    return query.records(Qualification.objects.filter(enterprise__in=enterprises(query).values("pk")))


def _scope_params(query) -> dict:
    return (
        {"zone": query.target.pk}
        if query.scope == "zone"
        else ({"industry_chain": query.target.pk} if query.scope == "chain" else {})
    )


def _link(name, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(params) if params else "")


def _both(count, query) -> Result:
    """A count for the query and for the same period a year earlier."""
    return Result(count(query), base=count(query.last_year()))


def founded(query, foreign=False) -> Result:
    def count(q):
        qs = enterprises(q).filter(founded_on__gte=q.first_day, founded_on__lte=q.last_day)
        return qs.filter(is_foreign_invested=True).count() if foreign else qs.count()

    result = _both(count, query)
    result.link = _link(
        "enterprises:enterprise_list",
        is_foreign_invested="true" if foreign else "",
        sort="-founded_on",
        **_scope_params(query),
    )
    return result


def _holders(query) -> dict:
    """{kind: number of enterprises holding it} at the end of the query's period, one query
    for every kind."""

    def fetch():
        held = qualifications(query).filter(valid_on_q(query.last_day)).order_by()
        return dict(
            held.values("kind").annotate(n=Count("enterprise", distinct=True)).values_list("kind", "n")
        )

    return query.cached("enterprises.holders", fetch)


def holders(kind, query) -> Result:
    def count(q):
        return _holders(q).get(kind, 0)

    result = _both(count, query)
    result.link = _link(
        "enterprises:enterprise_list",
        qualification=kind,
        qualified_on=query.last_day.isoformat(),
        **_scope_params(query),
    )
    return result


def _grants_within(query) -> list[tuple]:
    """(kind, level, enterprise id, granted before (same kind), granted before (same kind and
    level)) of every grant within the query's period, read once per run for all the kinds and
    levels the catalogue counts."""
    from .models import Qualification

    def fetch():
        before = Qualification.objects.filter(
            enterprise=OuterRef("enterprise"), kind=OuterRef("kind"), granted_on__lt=query.first_day
        )
        within = qualifications(query).filter(granted_on__gte=query.first_day, granted_on__lte=query.last_day)
        return list(
            within.annotate(again=Exists(before), again_level=Exists(before.filter(level=OuterRef("level"))))
            .order_by()
            .values_list("kind", "level", "enterprise_id", "again", "again_level")
        )

    return query.cached("enterprises.grants_within", fetch)


def first_grants(kind, query, level=None, renewed=False) -> Result:
    """Enterprises granted ``kind`` (at ``level``) within the period: for the first time, or
    (``renewed``) again after an earlier grant of the same kind (and level)."""

    def count(q):
        return len(
            {
                enterprise
                for grant_kind, grant_level, enterprise, again, again_level in _grants_within(q)
                if grant_kind == kind
                and (not level or grant_level == level)
                and (again_level if level else again) == renewed
            }
        )

    result = _both(count, query)
    result.link = _link("enterprises:qualification_list", kind=kind, level=level or "")
    return result


def scale_entrants(kind, query) -> Result:
    """Enterprises in the 规上 population of the period's year that were not in it the year
    before (the population is kept by year, so a month's figure is its year's)."""
    from .models import ScaleRecord

    def count(q):
        year = q.period.year
        records = q.records(ScaleRecord.objects.filter(enterprise__in=enterprises(q).values("pk"), kind=kind))
        before = ScaleRecord.objects.filter(enterprise=OuterRef("enterprise"), kind=kind, year=year - 1)
        return records.filter(year=year).exclude(Exists(before)).values("enterprise").distinct().count()

    result = _both(count, query)
    result.link = _link(
        "enterprises:enterprise_list",
        above_scale_year=query.period.year,
        above_scale_kind=kind,
        **_scope_params(query),
    )
    return result


def provide():
    yield Figure("enterprises.founded", "新增企业", "家", "count", founded, SCOPES, "enterprises.enterprise",
                 "成立日期在本年1月1日至本月末的企业")  # fmt: skip
    yield Figure("enterprises.foreign_founded", "新增外资企业", "家", "count", partial(founded, foreign=True), SCOPES,
                 "enterprises.enterprise", "成立日期在本年内的外资企业")  # fmt: skip
    for kind in COUNTED_KINDS:
        label = kind.label
        yield Figure(f"enterprises.{kind.value}_holders", f"{label}（有效）", "家", "count", partial(holders, kind),
                     SCOPES, "enterprises.qualification", "月末仍在有效期内的企业数")  # fmt: skip
        yield Figure(f"enterprises.{kind.value}_new", f"新增{label}", "家", "count", partial(first_grants, kind),
                     SCOPES, "enterprises.qualification", "本年首次认定（不含重新认定）")  # fmt: skip
        yield Figure(f"enterprises.{kind.value}_renewed", f"重新认定{label}", "家", "count",
                     partial(first_grants, kind, renewed=True), SCOPES, "enterprises.qualification",
                     "本年认定、此前已认定过的企业")  # fmt: skip
        for level in LEVELLED_KINDS.get(kind, []):
            yield Figure(f"enterprises.{kind.value}_{level.value}_new", f"新增{level.label}{label}", "家", "count",
                         partial(first_grants, kind, level=level), SCOPES, "enterprises.qualification",
                         f"本年首次认定为{level.label}")  # fmt: skip
    for kind, name in SCALE_NAMES.items():
        yield Figure(f"enterprises.scale_{kind.value}_new", name, "家", "count", partial(scale_entrants, kind), SCOPES,
                     "enterprises.scalerecord", "本年在规上（限上）名录、上年不在的企业")  # fmt: skip
