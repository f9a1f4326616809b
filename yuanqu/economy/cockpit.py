"""The leaders' cockpit (驾驶舱): one screen of headline figures, trends, breakdowns, the
top-20 enterprises and the early-warning list, over the records the user may see."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from yuanqu.users.models import Zone
from yuanqu.users.permissions import has_perm, restrict

from .choices import IndicatorLevel, Unit
from .models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from .services import (
    add_months,
    comparable_growth,
    contributions,
    gap_text,
    growth_rate,
    indicator_summary,
    last_year,
    parse_period,
    ranking,
)
from .views import _latest_period, percent

HEADLINE = ("industrial_output", "revenue", "tax_all_levels", "profit")
PRIMARY = "industrial_output"  # breakdowns, ranking and warnings are about this indicator
YELLOW_PP = Decimal(5)  # completion up to this many points behind 序时进度 is yellow, beyond red
LIGHTS = {
    "green": "绿灯：达到序时进度",
    "yellow": "黄灯：略落后序时进度",
    "red": "红灯：明显落后序时进度",
    "grey": "无目标或无数据",
}
TOP = 20
WAN_PER_YI = Decimal(10000)


def light(completion, time_progress) -> str:
    """green: completion ≥ 序时进度; yellow: within YELLOW_PP points behind; red: beyond;
    grey when there is no completion (no target or no data)."""
    if completion is None:
        return "grey"
    gap = (completion - time_progress) * 100
    if gap >= 0:
        return "green"
    return "yellow" if gap >= -YELLOW_PP else "red"


def yi(value, unit) -> float | None:
    """A value in 亿元 (from 万元) to 2 decimals; other units keep theirs."""
    if value is None:
        return None
    if unit == Unit.WAN_YUAN:
        value = value / WAN_PER_YI
    return round(float(value), 2)


def display_unit(unit) -> str:
    return "亿元" if unit in (Unit.WAN_YUAN, Unit.YI_YUAN) else Unit(unit).label


def _rate(value):
    return None if value is None else round(float(value), 4)


def _values_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items() if v not in (None, ""))
    return reverse("economy:enterprisemonthlyvalue_list") + "?" + query


def cards(period, zone, values, figures, indicators) -> list[dict]:
    result = []
    for row in indicator_summary(period, zone, values=values, figures=figures, indicators=indicators):
        indicator = row["indicator"]
        if indicator.level == IndicatorLevel.ENTERPRISE:
            url = _values_url(period=f"{period:%Y-%m}", indicator=indicator.pk, zone=zone.pk if zone else "")
        else:
            url = reverse("economy:summary") + f"?period={period:%Y-%m}"
        result.append(
            {
                "code": row["code"],
                "name": row["name"],
                "unit": display_unit(indicator.unit),
                "ytd": yi(row["ytd"], indicator.unit),
                "growth": _rate(row["growth"]),
                "growth_pct": percent(row["growth"]),
                "completion": _rate(row["completion"]),
                "completion_pct": percent(row["completion"]),
                "time_progress": _rate(row["time_progress"]),
                "time_progress_pct": percent(row["time_progress"]),
                "gap_text": gap_text(row["gap_pp"]),
                "light": light(row["completion"], row["time_progress"]),
                "light_label": LIGHTS[light(row["completion"], row["time_progress"])],
                "note": row["note"],
                "url": url,
            }
        )
    return result


def trends(period, zone, values, indicators) -> list[dict]:
    """Month values of this year against last year, in the cards' units."""
    result = []
    for indicator in indicators:
        if indicator.level != IndicatorLevel.ENTERPRISE:
            continue
        sums = (
            values.filter(indicator=indicator, period__year__in=(period.year, period.year - 1))
            .values("period")
            .annotate(total=Sum("month_value"))
        )
        by_period = {row["period"]: yi(row["total"], indicator.unit) for row in sums}
        result.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": display_unit(indicator.unit),
                "this_year": [
                    by_period.get(datetime.date(period.year, m, 1)) for m in range(1, period.month + 1)
                ],
                "last_year": [by_period.get(datetime.date(period.year - 1, m, 1)) for m in range(1, 13)],
                "urls": [
                    _values_url(
                        period=f"{period.year}-{m:02d}", indicator=indicator.pk, zone=zone.pk if zone else ""
                    )
                    for m in range(1, 13)
                ],
            }
        )
    return result


def breakdown(current, previous, group_of, label_of, url_of, unit) -> list[dict]:
    """YTD per group (every enterprise) with the group's comparable growth and 拉动."""
    totals: dict = {}
    for key, value in current.items():
        if value is not None:
            totals[group_of.get(key)] = totals.get(group_of.get(key), Decimal(0)) + value
    pulls = {c.group: c for c in contributions(current, previous, group_of)}
    rows = []
    for group, value in sorted(totals.items(), key=lambda kv: -kv[1]):
        pull = pulls.get(group)
        growth = pull.growth.value if pull else None
        rows.append(
            {
                "name": label_of(group),
                "ytd": yi(value, unit),
                "growth": _rate(growth),
                "growth_pct": percent(growth),
                "pull_pp": round(float(pull.pull_pp), 2) if pull and pull.pull_pp is not None else None,
                "url": url_of(group),
            }
        )
    return rows


def warnings(current, previous, last_month, names, drop) -> list[dict]:
    """Enterprises whose YTD fell by more than ``drop`` year on year, and those that reported
    last month or a year earlier but not this period."""
    rows = []
    for pk in sorted(set(previous) | set(last_month) | set(current), key=lambda k: names.get(k, "")):
        now, before = current.get(pk), previous.get(pk)
        if now is None and (before is not None or last_month.get(pk) is not None):
            reason = "本期未报（上月或上年同期有数据）"
            rate = None
        elif now is not None and before is not None:
            rate = growth_rate(now, before).value
            if rate is None or rate >= -drop:
                continue
            reason = f"累计同比下降{percent(-rate)}"
        else:
            continue
        rows.append(
            {
                "id": pk,
                "name": names.get(pk, ""),
                "reason": reason,
                "growth": _rate(rate),
                "url": reverse("enterprises:enterprise", args=[pk]),
            }
        )
    return rows


class CockpitView(View):
    template_name = "economy/cockpit.html"

    def get(self, request):
        user = request.user
        if not has_perm(user, EnterpriseMonthlyValue, "view"):
            raise PermissionDenied("没有查看权限")
        error = ""
        try:
            period = parse_period(request.GET["period"]) if request.GET.get("period") else _latest_period()
        except ValidationError as exc:
            error, period = exc.messages[0], _latest_period()
        zone = None
        zone_id = request.GET.get("zone") or ""
        if zone_id.isdigit():
            zone = Zone.objects.filter(pk=zone_id).first()

        values = restrict(EnterpriseMonthlyValue.objects.filter(is_current=True), user, "view")
        if zone is not None:
            values = values.filter(enterprise__zone_id__in=zone.subtree_ids())
        figures = restrict(ZoneMonthlyFigure.objects.all(), user, "view")
        indicators = list(Indicator.objects.filter(code__in=HEADLINE, active=True))
        indicators.sort(key=lambda i: HEADLINE.index(i.code))
        data = {
            "period": f"{period:%Y-%m}",
            "cards": cards(period, zone, values, figures, indicators),
            "trends": trends(period, zone, values, indicators),
        }
        primary = Indicator.objects.filter(code=PRIMARY).first()
        data.update(self.primary_figures(period, zone, values, primary))
        context = {
            "data": data,
            "period": period,
            "period_value": f"{period:%Y-%m}",
            "zone": zone,
            "zones": Zone.objects.all(),
            "primary": primary,
            "drop_pct": percent(Decimal(str(settings.YUANQU_WARNING_DROP))),
            "error": error,
        }
        return render(request, self.template_name, context)

    def primary_figures(self, period, zone, values, primary) -> dict:
        if primary is None:
            return {"chains": [], "zones": [], "top": [], "warnings": []}
        periods = (period, last_year(period), add_months(period, -1))
        rows = values.filter(indicator=primary, period__in=periods).values_list(
            "period", "enterprise_id", "ytd_value", "enterprise__name", "enterprise__zone_id",
            "enterprise__zone__name", "enterprise__industry_chain_id", "enterprise__industry_chain__name",
        )  # fmt: skip
        by_period: dict = {p: {} for p in periods}
        names, chain_of, zone_of, labels = {}, {}, {}, {"chain": {}, "zone": {}}
        for when, pk, ytd, name, zone_pk, zone_name, chain_pk, chain_name in rows:
            by_period[when][pk] = ytd
            names[pk], zone_of[pk], chain_of[pk] = name, zone_pk, chain_pk
            labels["zone"][zone_pk] = zone_name or "未划片区"
            labels["chain"][chain_pk] = chain_name or "未归链"
        current, previous = by_period[period], by_period[last_year(period)]
        unit = primary.unit
        month = f"{period:%Y-%m}"
        enterprises = reverse("enterprises:enterprise_list")
        growth = comparable_growth(current, previous)
        top = []
        for rank, pk, value in ranking(current, TOP):
            rate = growth_rate(value, previous.get(pk)).value
            top.append(
                {
                    "rank": rank,
                    "name": names[pk],
                    "ytd": yi(value, unit),
                    "growth": _rate(rate),
                    "growth_pct": percent(rate),
                    "url": reverse("enterprises:enterprise", args=[pk]),
                }
            )
        return {
            "primary": {"name": primary.name, "unit": display_unit(unit), "growth": _rate(growth.value)},
            "chains": breakdown(
                current, previous, chain_of, lambda g: labels["chain"][g],
                lambda g: f"{enterprises}?industry_chain={g}" if g else None,
                unit,
            ),
            "zones": breakdown(
                current, previous, zone_of, lambda g: labels["zone"][g],
                lambda g: _values_url(period=month, indicator=primary.pk, zone=g or ""),
                unit,
            ),
            "top": top,
            "warnings": warnings(
                current,
                previous,
                by_period[add_months(period, -1)],
                names,
                Decimal(str(settings.YUANQU_WARNING_DROP)),
            ),
        }  # fmt: skip
