"""The leaders' cockpit (驾驶舱): one screen of headline figures, trends, breakdowns, the
top-20 enterprises and the early-warning list, over the records the user may see."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from yuanqu.core.changelog import audit
from yuanqu.enterprises.models import Enterprise, IndustryChain
from yuanqu.users.models import Zone
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.excel import rows_to_xlsx, xlsx_response

from .choices import IndicatorLevel, Unit
from .models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from .rollups import scope_for
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


def cards(period, zone, values, figures, indicators, scope=None) -> list[dict]:
    result = []
    rows = indicator_summary(period, zone, values=values, figures=figures, indicators=indicators, scope=scope)
    for row in rows:
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


def month_totals(values, scope, indicator, year) -> dict:
    """{month: sum of the month values} of ``year`` and the year before."""
    periods = [datetime.date(y, m, 1) for y in (year - 1, year) for m in range(1, 13)]
    if scope is not None:
        return scope.month_totals(indicator, periods)
    sums = values.filter(indicator=indicator, period__in=periods).values("period").annotate(total=Sum("month_value"))
    return {row["period"]: row["total"] for row in sums}


def trends(period, zone, values, indicators, scope=None) -> list[dict]:
    """Month values of this year against last year, in the cards' units."""
    result = []
    for indicator in indicators:
        if indicator.level != IndicatorLevel.ENTERPRISE:
            continue
        totals = month_totals(values, scope, indicator, period.year)
        by_period = {when: yi(value, indicator.unit) for when, value in totals.items()}
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


EXPORTS = {  # ?export=xlsx&table=…: the tables shown, with their columns
    "chains": ("按产业链", [("name", "产业链"), ("ytd", "累计（亿元）"), ("growth", "同比"), ("pull_pp", "拉动（百分点）")]),
    "zones": ("按片区", [("name", "片区"), ("ytd", "累计（亿元）"), ("growth", "同比"), ("pull_pp", "拉动（百分点）")]),
    "top": ("前20名企业", [("rank", "名次"), ("name", "企业"), ("ytd", "累计（亿元）"), ("growth", "同比")]),
    "warnings": ("预警企业", [("name", "企业"), ("reason", "预警原因"), ("growth", "同比")]),
}


class CockpitView(View):
    template_name = "economy/cockpit.html"

    def allows(self, **kwargs):
        """The zone's figures are for those who may see zone figures: not an enterprise user,
        whose cockpit would be one enterprise. Links to the cockpit ask this too."""
        user = self.request.user
        return has_perm(user, EnterpriseMonthlyValue, "view") and has_perm(user, ZoneMonthlyFigure, "view")

    def get(self, request):
        user = request.user
        if not self.allows():
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
        primary = Indicator.objects.filter(code=PRIMARY).first()
        if request.GET.get("export") == "xlsx":
            return self.export(request, period, zone, primary)

        values = restrict(EnterpriseMonthlyValue.objects.filter(is_current=True), user, "view")
        if zone is not None:
            values = values.filter(enterprise__zone_id__in=zone.subtree_ids())
        scope = scope_for(user, zone)
        figures = restrict(ZoneMonthlyFigure.objects.all(), user, "view")
        indicators = list(Indicator.objects.filter(code__in=HEADLINE, active=True))
        indicators.sort(key=lambda i: HEADLINE.index(i.code))
        data = {
            "period": f"{period:%Y-%m}",
            "cards": cards(period, zone, values, figures, indicators, scope),
            "trends": trends(period, zone, values, indicators, scope),
        }
        data.update(primary_figures(period, values, primary))
        query = f"period={period:%Y-%m}" + (f"&zone={zone.pk}" if zone else "")
        context = {
            "data": data,
            "period": period,
            "period_value": f"{period:%Y-%m}",
            "zone": zone,
            "zones": Zone.objects.all(),
            "primary": primary,
            "drop_pct": percent(Decimal(str(settings.YUANQU_WARNING_DROP))),
            "error": error,
            "export_query": query if has_perm(user, EnterpriseMonthlyValue, "export") else "",
        }
        return render(request, self.template_name, context)

    def export(self, request, period, zone, primary):
        """One of the cockpit's tables as Excel, over the records the user may export."""
        user = request.user
        name = request.GET.get("table", "")
        if name not in EXPORTS:
            return HttpResponseBadRequest(f"未知的表格“{name}”，应为 {'、'.join(EXPORTS)} 之一")
        if not has_perm(user, EnterpriseMonthlyValue, "export"):
            raise PermissionDenied("没有导出权限")
        values = restrict(EnterpriseMonthlyValue.objects.filter(is_current=True), user, "export")
        if zone is not None:
            values = values.filter(enterprise__zone_id__in=zone.subtree_ids())
        rows = primary_figures(period, values, primary)[name]
        label, columns = EXPORTS[name]
        title = f"驾驶舱{period.year}年{period.month}月{zone or ''}{primary.name if primary else ''}{label}"
        content, count = rows_to_xlsx(
            label, [header for _, header in columns], ([row.get(key) for key, _ in columns] for row in rows)
        )
        audit(
            "export",
            user=user,
            detail=f"导出{title}{count}行",
            data={"view": "economy:cockpit", "table": name, "rows": count, "period": f"{period:%Y-%m}",
                  "zone": zone.pk if zone else None},
            request=request,
        )  # fmt: skip
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return xlsx_response(content, f"{title}-{stamp}.xlsx")


def primary_figures(period, values, primary) -> dict:
    """Chains, 片区, the top 20 and the warnings of the primary indicator, from each visible
    enterprise's YTD this month, a year earlier and last month (one grouped query)."""
    if primary is None:
        return {"chains": [], "zones": [], "top": [], "warnings": []}
    earlier, before = last_year(period), add_months(period, -1)
    by_period: dict = {p: {} for p in (period, earlier, before)}
    rows = values.filter(indicator=primary, period__in=list(by_period)).order_by().values_list(
        "period", "enterprise_id", "ytd_value"
    )
    for when, pk, ytd in rows:
        by_period[when][pk] = ytd
    ids = set().union(*by_period.values())
    names, chain_of, zone_of = {}, {}, {}
    for pk, name, zone_pk, chain_pk in Enterprise.objects.filter(pk__in=ids).order_by().values_list(
        "pk", "name", "zone_id", "industry_chain_id"
    ):
        names[pk], zone_of[pk], chain_of[pk] = name, zone_pk, chain_pk
    zone_names = dict(Zone.objects.filter(pk__in=set(zone_of.values())).values_list("pk", "name"))
    chain_names = dict(IndustryChain.objects.filter(pk__in=set(chain_of.values())).values_list("pk", "name"))
    current, previous = by_period[period], by_period[earlier]
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
            current, previous, chain_of, lambda g: chain_names.get(g) or "未归链",
            lambda g: f"{enterprises}?industry_chain={g}" if g else None,
            unit,
        ),
        "zones": breakdown(
            current, previous, zone_of, lambda g: zone_names.get(g) or "未划片区",
            lambda g: _values_url(period=month, indicator=primary.pk, zone=g or ""),
            unit,
        ),
        "top": top,
        "warnings": warnings(
            current, previous, by_period[before], names, Decimal(str(settings.YUANQU_WARNING_DROP))
        ),
    }  # fmt: skip
