"""The economy's figures for the catalogue: one per active indicator, its 1–N月累计 with the
comparable base and growth (the published growth where the bureau gives one) — the numbers
``yuanqu indicators`` prints, for the park or a 片区."""

from functools import partial

from django.urls import reverse

from yuanqu.figures.catalogue import Figure, Result
from yuanqu.users.permissions import restrict

from .choices import Unit

KIND_BY_UNIT = {Unit.ENTERPRISES: "count", Unit.ITEMS: "count", Unit.PERCENT: "ratio"}


def _summary(query):
    """The indicator summary of the query's month and 片区, computed once per run."""
    key = (
        "economy.summary",
        query.period,
        query.scope,
        getattr(query.target, "pk", None),
        getattr(query.user, "pk", None),
    )
    if key not in query.memo:
        from .models import EnterpriseMonthlyValue, ZoneMonthlyFigure
        from .rollups import scope_for
        from .services import indicator_summary

        zone = query.target if query.scope == "zone" else None
        if query.user is None:
            rows = indicator_summary(query.period, zone)
        else:
            rows = indicator_summary(
                query.period,
                zone,
                values=restrict(EnterpriseMonthlyValue.objects.all(), query.user, "view"),
                figures=restrict(ZoneMonthlyFigure.objects.all(), query.user, "view"),
                scope=scope_for(query.user, zone),
            )
        query.memo[key] = {row["code"]: row for row in rows}
    return query.memo[key]


def _indicator(pk, code, query) -> Result:
    row = _summary(query).get(code)
    if row is None:
        return Result(None, note="该指标已停用")
    link = reverse("economy:indicator", args=[pk]) + f"?period={query.period:%Y-%m}"
    if query.scope == "zone":
        link += f"&zone={query.target.pk}"
    # The summary's notes about the value and its growth; targets are the target sheet's.
    notes = [n for n in row["note"].split("；") if n and "目标" not in n and "进度" not in n]
    note = "；".join(notes) if row["ytd"] is None or row["growth"] is None else ""
    return Result(row["ytd"], base=row["base"], growth=row["growth"], link=link, note=note)


def provide():
    from .models import Indicator

    for indicator in Indicator.objects.filter(active=True).order_by("order", "code"):
        yield Figure(
            key=f"economy.{indicator.code}",
            name=indicator.name,
            unit=indicator.get_unit_display(),
            kind=KIND_BY_UNIT.get(indicator.unit, "total"),
            compute=partial(_indicator, indicator.pk, indicator.code),
            scopes=("park", "zone"),
            source="economy.enterprisemonthlyvalue",
            description="1–N月累计；增速为同口径增速，统计部门公布增速的指标取公布数",
        )
