"""The figure catalogue: every named figure a module can compute, for a month's 1–N月累计
and a scope (园区, 片区, 部门, 产业链).

Apps declare their figures in ``ready()`` with ``registry.register_figures(name, provider)``;
a provider is a function (or its dotted path) returning ``Figure`` objects — a function, so
that figures made from data (one per economy indicator) follow the data. Each figure's
``compute(query)`` returns a ``Result``: the value, last year's value for the same period,
the growth, the link to the records behind it, and a Chinese note when the value is missing.

A query carries the acting user: with a user, every figure counts only the records that user
may view (``restrict()``); without one (the console), everything.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.core.exceptions import ImproperlyConfigured

from yuanqu.registry import registry, resolve
from yuanqu.utilities.periods import describe_ytd, month_end, same_month_last_year

KINDS = {"total": "总量", "growth": "增速", "count": "个数", "ratio": "比率"}
SCOPES = {"park": "园区", "zone": "片区", "department": "部门", "chain": "产业链"}


@dataclass
class Query:
    """One month's 1–N月累计 for one scope. ``target`` is the Zone, Department or
    IndustryChain the scope names (None for the park); ``memo`` lets the figures of one
    provider share a computation within a run."""

    period: datetime.date
    scope: str = "park"
    target: object = None
    user: object = None
    memo: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def first_day(self) -> datetime.date:
        return self.period.replace(month=1, day=1)

    @property
    def last_day(self) -> datetime.date:
        return month_end(self.period)

    def last_year(self) -> "Query":
        return replace(self, period=same_month_last_year(self.period), memo=self.memo)

    def scope_label(self) -> str:
        return "园区" if self.target is None else str(self.target)

    def describe(self) -> str:
        return f"{describe_ytd(self.period)} · {self.scope_label()}"

    def records(self, queryset, *, zone=None, department=None, chain=None):
        """``queryset`` as the query counts it: what the user may view, within the scope.
        ``zone``, ``department``, ``chain`` name the lookup of each scope on the model (the
        片区 lookup reaches the zone, its subtree counting)."""
        from yuanqu.users.permissions import restrict

        if self.user is not None:
            queryset = restrict(queryset, self.user, "view")
        path = {"zone": zone, "department": department, "chain": chain}.get(self.scope)
        if path is None:
            return queryset
        if self.scope == "zone":
            return queryset.filter(**{f"{path}_id__in": self.target.subtree_ids()})
        return queryset.filter(**{path: self.target})

    def cached(self, name, compute):
        """``compute()`` once per run for this period, scope and user (figures sharing work)."""
        key = (
            name,
            self.period,
            self.scope,
            getattr(self.target, "pk", None),
            getattr(self.user, "pk", None),
        )
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]


@dataclass
class Result:
    value: Decimal | int | None
    base: Decimal | int | None = None
    growth: Decimal | None = None  # a fraction: 0.09 is 9%
    link: str = ""
    note: str = ""
    standing: object = None  # peers.Standing: the rank among the city's zones and the share


@dataclass(frozen=True)
class Figure:
    key: str  # "<app>.<name>", e.g. "enterprises.hnte_new"
    name: str
    unit: str
    kind: str  # one of KINDS
    compute: Callable[[Query], Result] = field(compare=False, repr=False)
    scopes: tuple = ("park",)
    source: str = ""  # "app_label.model" of the records counted: who may view them may see it
    description: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]


def growth_of(value, base) -> Decimal | None:
    if value is None or base in (None, 0):
        return None
    return Decimal(value) / Decimal(base) - 1


def figures() -> dict[str, Figure]:
    """Every registered figure by key, in the providers' registration order."""
    found: dict[str, Figure] = {}
    for name, provider in registry["figures"].items():
        for figure in resolve(provider)():
            if figure.kind not in KINDS:
                raise ImproperlyConfigured(
                    f"figure “{figure.key}” has kind “{figure.kind}”, not one of {list(KINDS)}"
                )
            if figure.key in found:
                raise ImproperlyConfigured(f"figure “{figure.key}” is provided twice (by “{name}”)")
            found[figure.key] = figure
    return found


def evaluate(figure: Figure, query: Query) -> Result:
    """The figure for the query, or a Result whose note says why there is none."""
    if query.scope not in figure.scopes:
        scopes = "、".join(SCOPES[s] for s in figure.scopes)
        return Result(None, note=f"该数据项只能按{scopes}计算，不能按{SCOPES[query.scope]}计算")
    if query.user is not None and figure.source and not _may_view(query.user, figure.source):
        return Result(None, note="无权查看该数据项所依据的记录")
    result = figure.compute(query)
    if result.growth is None and figure.kind in ("total", "count") and result.value is not None:
        result.growth = growth_of(result.value, result.base)
    if query.scope == "park":  # the city's 通报 compares whole zones
        from .peers import peer_rows, standing

        if "peers" not in query.memo:
            query.memo["peers"] = peer_rows(query.period)
        result.standing = standing(query.memo["peers"].get(figure.key, []), result.value, result.growth)
    return result


def visible(user, catalogue: Iterable[Figure]) -> list[Figure]:
    """The figures whose records the user may view."""
    allowed = {}
    shown = []
    for figure in catalogue:
        if figure.source and figure.source not in allowed:
            allowed[figure.source] = _may_view(user, figure.source)
        if not figure.source or allowed[figure.source]:
            shown.append(figure)
    return shown


_SOURCES: list[str] = []


def may_view_any(user) -> bool:
    """Whether the user may view the records of at least one figure: asked by the menu on
    every page, so it reads the providers' record models once per process (each provider
    yields figures whatever the data, so the set does not change) and no figure."""
    if not _SOURCES:
        _SOURCES.extend(sorted({f.source for f in figures().values() if f.source}))
    return any(_may_view(user, label) for label in _SOURCES)


def _may_view(user, label: str) -> bool:
    from django.apps import apps

    from yuanqu.users.permissions import has_perm

    return has_perm(user, apps.get_model(label), "view")


class _NoStanding:
    rank = rank_of = growth_rank = share = None


_NO_STANDING = _NoStanding()


def as_json(figure: Figure, query: Query, result: Result) -> dict:
    """One figure as ``yuanqu figures --json`` prints it: numbers as JSON numbers (values to
    2 decimals as `yuanqu indicators`, growth as a fraction to 4), ``source`` the page of the
    records behind it; ``rank``/``rank_of``/``growth_rank``/``share`` where peers' values of the
    month were entered (else null)."""

    def number(value, places):
        if value is None:
            return None
        if isinstance(value, int):
            return value
        rounded = round(float(value), places)
        return int(rounded) if figure.kind == "count" and rounded.is_integer() else rounded

    standing = result.standing or _NO_STANDING
    return {
        "key": figure.key,
        "name": figure.name,
        "unit": figure.unit,
        "kind": figure.kind,
        "period": f"{query.period:%Y-%m}",
        "scope": query.scope_label(),
        "value": number(result.value, 2),
        "base": number(result.base, 2),
        "growth": number(result.growth, 4),
        "source": result.link,
        "note": result.note,
        "rank": standing.rank,
        "rank_of": standing.rank_of,
        "growth_rank": standing.growth_rank,
        "share": number(standing.share, 4),
    }
