"""The economy's figures for the catalogue: one per active indicator, its 1–N月累计 with the
comparable base and growth (the published growth where the bureau gives one) — the numbers
``yuanqu indicators`` prints, for the park or a 片区."""

from decimal import Decimal
from functools import partial

from django.urls import reverse

from yuanqu.figures.catalogue import Figure, Result
from yuanqu.users.permissions import restrict

from .choices import Unit

KIND_BY_UNIT = {
    Unit.ENTERPRISES: "count",
    Unit.ITEMS: "count",
    Unit.PIECES: "count",
    Unit.ENTRIES: "count",
    Unit.PERCENT: "ratio",
}


def _summary(query):
    """The indicator summary of the query's month and 片区, computed once per run."""

    def compute():
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
        return {row["code"]: row for row in rows}

    return query.cached("economy.summary", compute)


def _indicator(pk, code, query) -> Result:
    row = _summary(query).get(code)
    if row is None:
        return Result(None, note="该指标已停用")
    link = reverse("economy:indicator", args=[pk]) + f"?period={query.period:%Y-%m}"
    if query.scope == "zone":
        link += f"&zone={query.target.pk}"
    # The summary's notes about the value and its growth; targets are the target sheet's.
    note = row["value_note"] if row["ytd"] is None or row["growth"] is None else ""
    return Result(row["ytd"], base=row["base"], growth=row["growth"], link=link, note=note)


# Figures computed from two indicators: key → (name, numerator code, denominator code, note).
RATIOS = {
    "economy.rd_intensity": ("研发投入强度", "rd_expenditure", "gdp", "研发经费支出 ÷ 地区生产总值"),
}


def _ratio(numerator, denominator, query) -> Result:
    """numerator ÷ denominator in percent, each converted to 元 by the units catalogue."""
    from yuanqu.figures.units import UnitError, convert

    from .models import Indicator

    units = dict(Indicator.objects.filter(code__in=[numerator, denominator]).values_list("code", "unit"))
    rows = _summary(query)
    top, bottom = rows.get(numerator), rows.get(denominator)
    if top is None or bottom is None:
        return Result(None, note="所依据的指标未启用")

    def percent(field):
        if top[field] is None or not bottom[field]:
            return None
        try:
            a = convert(top[field], Unit(units[numerator]).label, "元")
            b = convert(bottom[field], Unit(units[denominator]).label, "元")
        except UnitError as exc:
            return str(exc)
        return (a / b * 100).quantize(Decimal("0.01"))

    value, base = percent("ytd"), percent("base")
    if isinstance(value, str):
        return Result(None, note=value)
    missing = [row["name"] for row in (top, bottom) if row["ytd"] is None]
    note = "缺少" + "、".join(missing) + "的数据" if value is None else ""
    return Result(value, base=base if not isinstance(base, str) else None, note=note)


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
    for key, (name, numerator, denominator, note) in RATIOS.items():
        yield Figure(key, name, "%", "ratio", partial(_ratio, numerator, denominator), ("park", "zone"),
                     "economy.enterprisemonthlyvalue", note)  # fmt: skip
