"""The leaders' cockpit (驾驶舱): one screen of headline figures, trends, breakdowns, the
top-20 enterprises and the early-warning list, over the records the user may see."""

import datetime
import heapq
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import EmptyResultSet, PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from yuanqu.enterprises.models import Enterprise, IndustryChain
from yuanqu.users.models import Zone
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.excel import export_xlsx
from yuanqu.utilities.periods import add_months, describe, period_param, zone_param
from yuanqu.utilities.periods import same_month_last_year as last_year

from .choices import IndicatorLevel
from .indicators import display_unit
from .models import EnterpriseMonthlyValue, Indicator, ZoneMonthlyFigure
from .pagecache import cached_part
from .rollups import scope_for
from .services import (
    HUNDRED,
    gap_text,
    growth_against_target,
    growth_rate,
    indicator_summary,
    latest_period,
    percent,
)

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
DRAGS = 5  # the cockpit's share of the indicator page's list of the largest negative 拉动


def light(completion, time_progress) -> str:
    """green: completion ≥ 序时进度; yellow: within YELLOW_PP points behind; red: beyond;
    grey when there is no completion (no target or no data)."""
    if completion is None:
        return "grey"
    gap = (completion - time_progress) * 100
    if gap >= 0:
        return "green"
    return "yellow" if gap >= -YELLOW_PP else "red"


GROWTH_LIGHTS = {
    "green": "绿灯：增速达到目标",
    "yellow": "黄灯：增速略低于目标",
    "red": "红灯：增速明显低于目标",
}


def card_light(row, bands=None) -> tuple[str, str]:
    """The card's light and its words: by 完成率 against 序时进度 when the indicator has a
    value target; else, for a growth target, the growth against the target growth judged by
    the target sheet's growth bands (never a value made from the growth)."""
    if row["completion"] is not None or row["growth"] is None or row["target_growth"] is None:
        lit = light(row["completion"], row["time_progress"])
        return lit, LIGHTS[lit]
    from django.core.exceptions import ValidationError

    from yuanqu.targets.choices import BandKind
    from yuanqu.targets.progress import load_bands
    from yuanqu.utilities.bands import band_light

    bands = bands if bands is not None else load_bands()
    try:
        lit = band_light(bands[BandKind.GROWTH], (row["growth"] - row["target_growth"]) * 100)
    except ValidationError:
        return "grey", LIGHTS["grey"]
    return lit, GROWTH_LIGHTS[lit]


def _rate(value):
    return None if value is None else round(float(value), 4)


def _values_url(**params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items() if v not in (None, ""))
    return reverse("economy:enterprisemonthlyvalue_list") + "?" + query


def cards(period, zone, values, figures, indicators, scope=None) -> list[dict]:
    from yuanqu.targets.progress import load_bands

    result = []
    rows = indicator_summary(period, zone, values=values, figures=figures, indicators=indicators, scope=scope)
    bands = load_bands()
    for row in rows:
        lit, lit_label = card_light(row, bands)
        indicator = row["indicator"]
        shown = display_unit(indicator)
        if indicator.level == IndicatorLevel.ENTERPRISE:
            url = _values_url(period=f"{period:%Y-%m}", indicator=indicator.pk, zone=zone.pk if zone else "")
        else:
            url = reverse("economy:summary") + f"?period={period:%Y-%m}"
        result.append(
            {
                "code": row["code"],
                "name": row["name"],
                "unit": shown.label,
                "ytd": shown.number(row["ytd"]),
                "ytd_text": shown.text(row["ytd"]),
                "growth": _rate(row["growth"]),
                "growth_pct": percent(row["growth"]),
                "target_growth": _rate(row["target_growth"]),
                "target_text": growth_against_target(row["growth"], row["target_growth"]),
                "completion": _rate(row["completion"]),
                "completion_pct": percent(row["completion"]),
                "time_progress": _rate(row["time_progress"]),
                "time_progress_pct": percent(row["time_progress"]),
                "gap_text": gap_text(row["gap_pp"]),
                "light": lit,
                "light_label": lit_label,
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
    sums = (
        values.filter(indicator=indicator, period__in=periods)
        .values("period")
        .annotate(total=Sum("month_value"))
    )
    return {row["period"]: row["total"] for row in sums}


def trends(period, zone, values, indicators, scope=None) -> list[dict]:
    """Month values of this year against last year, in the cards' units."""
    result = []
    reported = [i for i in indicators if i.level == IndicatorLevel.ENTERPRISE]
    if scope is not None:  # every indicator's 24 months in one query
        months = [datetime.date(y, m, 1) for y in (period.year - 1, period.year) for m in range(1, 13)]
        rolled = scope.month_totals_of(reported, months)
    for indicator in reported:
        totals = (
            rolled[indicator.pk] if scope is not None else month_totals(values, None, indicator, period.year)
        )
        shown = display_unit(indicator)
        by_period = {when: shown.number(value) for when, value in totals.items()}
        result.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "unit": shown.label,
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


@dataclass
class GroupSums:
    """One group's (产业链, 片区) sums of the primary indicator's YTD: ``total`` of every
    enterprise with a YTD now (``reported`` of them); ``now`` and ``base`` of the ``paired``
    enterprises with a YTD both now and a year earlier (the comparable set)."""

    total: Decimal = Decimal(0)
    reported: int = 0
    paired: int = 0
    now: Decimal = Decimal(0)
    base: Decimal = Decimal(0)


def group_sums(current, previous, group_of) -> dict:
    """{group: GroupSums} from each enterprise's YTD now and a year earlier."""
    groups: dict = {}
    for key, value in current.items():
        if value is None:
            continue
        sums = groups.setdefault(group_of.get(key), GroupSums())
        sums.total += value
        sums.reported += 1
        before = previous.get(key)
        if before is not None:
            sums.paired += 1
            sums.now += value
            sums.base += before
    return groups


def cell_sums(cells, key) -> dict:
    """{group: GroupSums} from the rollups' cells (``Scope.cells``), grouped by ``key``."""
    groups: dict = {}
    for cell in cells:
        if not cell["ytd_count"]:
            continue
        sums = groups.setdefault(cell[key], GroupSums())
        sums.total += cell["ytd_sum"]
        sums.reported += cell["ytd_count"]
        if cell["paired_count"]:
            sums.paired += cell["paired_count"]
            sums.now += cell["paired_ytd"]
            sums.base += cell["paired_base"]
    return groups


def breakdown(groups, base_total, label_of, url_of, shown) -> list[dict]:
    """YTD per group (``group_sums`` or ``cell_sums``), the largest first, with the group's
    comparable growth and 拉动 (``services.contributions``: its change over the comparable base
    of all groups, ``base_total``)."""
    rows = []
    for group, sums in sorted(groups.items(), key=lambda kv: (-kv[1].total, label_of(kv[0]))):
        growth = growth_rate(sums.now, sums.base).value if sums.paired else None
        pull = (sums.now - sums.base) / base_total * HUNDRED if sums.paired and base_total > 0 else None
        rows.append(
            {
                "name": label_of(group),
                "ytd": shown.number(sums.total),
                "growth": _rate(growth),
                "growth_pct": percent(growth),
                "pull_pp": round(float(pull), 2) if pull is not None else None,
                "url": url_of(group),
            }
        )
    return rows


def warnings(current, previous, last_month, names, drop, pulls, shown) -> list[dict]:
    """Enterprises whose YTD fell by more than ``drop`` year on year, the largest fall (in the
    indicator's unit, the one that costs the zone most growth) first; then those that reported
    last month or a year earlier but not this period, the largest a year earlier first.
    ``names`` (pks → {pk: name}) and ``pulls`` (pk → 拉动 or None) are asked only for the
    enterprises listed."""
    fallen, silent = [], []
    for pk in set(previous) | set(last_month) | set(current):
        now, before = current.get(pk), previous.get(pk)
        change = None
        if now is None and (before is not None or last_month.get(pk) is not None):
            reason = "本期未报（上月或上年同期有数据）"
            rate = None
        elif now is not None and before is not None:
            if now >= before:  # no fall (or a base ≤ 0, which has no rate): most enterprises
                continue
            rate = growth_rate(now, before).value
            if rate is None or rate >= -drop:
                continue
            change = now - before
            reason = None
        else:
            continue
        if change is None:
            silent.append((-(before or last_month.get(pk) or 0), pk, rate, reason, change))
        else:
            fallen.append((change, pk, rate, reason, change))
    pks = [pk for _, pk, *_ in fallen + silent]
    names = names(pks)
    rows = []
    for group in (fallen, silent):
        ordered = sorted(group, key=lambda t: (t[0], names.get(t[1], "")))
        for _, pk, rate, reason, change in ordered:
            pull = pulls(pk)
            rows.append(
                {
                    "id": pk,
                    "name": names.get(pk, ""),
                    "reason": reason or f"累计同比下降{percent(-rate)}",
                    "growth": _rate(rate),
                    "change": shown.number(change),
                    "change_text": shown.text(change, detail=True),
                    "pull_pp": None if pull is None else round(float(pull), 2),
                    "url": _enterprise_url(pk),
                }
            )
    return rows


def drags(current, previous, pulls, names, shown, count=DRAGS) -> list[dict]:
    """The enterprises whose 拉动 is most negative: who pulls the zone's growth down most.
    Every pull shares the comparable base, so the most negative pulls are the largest falls:
    ``pulls`` (pk → 拉动) and ``names`` (pks → {pk: name}) are asked for those only."""
    falls = [(current[pk] - previous[pk], pk) for pk in current.keys() & previous.keys()
             if current[pk] is not None and previous[pk] is not None and current[pk] < previous[pk]]  # fmt: skip
    if not falls:
        return []
    falls.sort()
    cutoff = falls[min(count, len(falls)) - 1][0]
    candidates = [pk for change, pk in falls if change <= cutoff]  # ties at the cut stay in
    named = names(candidates)
    negative = sorted((pulls(pk), named.get(pk, ""), pk) for pk in candidates)[:count]
    return [
        {
            "name": name,
            "change": shown.number(current[pk] - previous[pk]),
            "change_text": shown.text(current[pk] - previous[pk], detail=True),
            "pull_pp": round(float(pull), 2),
            "url": _enterprise_url(pk),
        }
        for pull, name, pk in negative
        if pull is not None and pull < 0
    ]


def _ytd_by_enterprise(queryset, groups=None) -> dict:
    """{enterprise id: YTD} of a value queryset: the database's rows converted by the same
    converters the ORM applies (Decimal, quantized on SQLite), in one tight loop; at 5,000
    enterprises the ORM's per-row machinery costs more than the query. ``groups`` (a dict)
    receives each enterprise's (片区, chain), read in the same query."""
    fields = ["enterprise_id", "ytd_value"]
    if groups is not None:
        fields += ["enterprise__zone_id", "enterprise__industry_chain_id"]
    query = queryset.order_by().values_list(*fields).query
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # restrict() found no grant that applies
        return {}
    expression = compiler.select[1][0]
    converters = compiler.get_converters([expression]).get(0, ([], None))[0]
    connection = compiler.connection
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    result = {}
    for row in rows:
        value = row[1]
        for convert in converters:
            value = convert(value, expression, connection)
        result[row[0]] = value
        if groups is not None:
            groups[row[0]] = row[2:]
    return result


def _ranking(values: dict, top: int) -> list[tuple[int, object, Decimal]]:
    """``services.ranking(values, top)`` without sorting every enterprise: the ``top`` largest
    (ties by key, as ``_top`` orders them), ranked alike (1, 2, 2, 4)."""
    largest = heapq.nlargest(
        top, ((k, v) for k, v in values.items() if v is not None), key=lambda kv: (kv[1], -kv[0])
    )
    return _ranked(largest)


def _ranked(largest) -> list[tuple[int, object, Decimal]]:
    """(rank, key, value) of (key, value) pairs already in order, equal values ranked alike."""
    result, rank, previous = [], 0, None
    for position, (key, value) in enumerate(largest, 1):
        if value != previous:
            rank, previous = position, value
        result.append((rank, key, value))
    return result


def _enterprise_url(pk) -> str:
    return reverse("enterprises:enterprise", args=[pk])


def work_figures(user, period, zone=None) -> list[dict]:
    """The cockpit's other half (SPEC: projects behind schedule, overdue demands and tasks):
    each a count over the records the user may view, by the owning app's own rule, with the
    link to that app's list filtered to exactly those records (the list's total is the count).
    A kind of record the user may not view is left out. A chosen 片区 narrows projects and
    demands to those of its enterprises (the lists' ``zone`` filter does the same); tasks
    belong to departments, so their number stays the park's and says so."""
    from yuanqu.demands.choices import Light as DemandLight
    from yuanqu.demands.models import Demand
    from yuanqu.demands.services import light_q as demand_light_q
    from yuanqu.projects.models import KeyProject
    from yuanqu.projects.services import lights_by_project
    from yuanqu.supervision.filtersets import light_q as task_light_q
    from yuanqu.supervision.models import Task

    items = []
    in_zone = {"enterprise__zone_id__in": zone.subtree_ids()} if zone is not None else {}
    zone_query = f"&zone={zone.pk}" if zone is not None else ""
    if has_perm(user, KeyProject, "view"):
        month = f"{period:%Y-%m}"
        projects = reverse("projects:keyproject_list")
        try:
            viewable = restrict(KeyProject.objects.filter(**in_zone), user, "view")
            lights = [r.light for r in lights_by_project(viewable, period).values()]
        except ValidationError as exc:  # the light rules are misconfigured: say so, count nothing
            items.append(
                {"key": "projects", "label": "重点项目亮灯", "error": exc.messages[0], "url": projects}
            )
        else:
            for colour, label in (("red", "红灯"), ("yellow", "黄灯")):
                items.append({
                    "key": f"projects_{colour}", "label": f"重点项目{label}", "unit": "个", "light": colour,
                    "count": lights.count(colour), "note": f"{describe(period)}进度落后或节点逾期",
                    "url": f"{projects}?period={month}&light={colour}{zone_query}",
                })  # fmt: skip
    if has_perm(user, Demand, "view"):
        demands = restrict(Demand.objects.filter(**in_zone), user, "view")
        items.append({
            "key": "demands_overdue", "label": "逾期诉求", "unit": "件", "light": "red",
            "count": demands.filter(demand_light_q(DemandLight.RED)).count(), "note": "办理期限已过仍未办结",
            "url": reverse("demands:demand_list") + "?light=red" + zone_query,
        })  # fmt: skip
    if has_perm(user, Task, "view"):
        tasks = restrict(Task.objects.all(), user, "view")
        items.append({
            "key": "tasks_overdue", "label": "逾期督办任务", "unit": "项", "light": "red",
            "count": tasks.filter(task_light_q("red", timezone.localdate())).count(),
            "note": "完成时限已过仍未完成" if zone is None else "督办任务按部门，不分片区",
            "url": reverse("supervision:task_list") + "?light=red",
        })  # fmt: skip
    return items


EXPORTS = {  # ?export=xlsx&table=…: the tables shown, with their columns ({unit}: the display unit)
    "chains": (
        "按产业链",
        [("name", "产业链"), ("ytd", "累计（{unit}）"), ("growth", "同比"), ("pull_pp", "拉动（百分点）")],
    ),
    "zones": (
        "按片区",
        [("name", "片区"), ("ytd", "累计（{unit}）"), ("growth", "同比"), ("pull_pp", "拉动（百分点）")],
    ),
    "top": (
        "前20名企业",
        [("rank", "名次"), ("name", "企业"), ("ytd", "累计（{unit}）"), ("growth", "同比")],
    ),
    "warnings": (
        "预警企业",
        [
            ("name", "企业"),
            ("reason", "预警原因"),
            ("change", "增减（{unit}）"),
            ("growth", "同比"),
            ("pull_pp", "拉动（百分点）"),
        ],
    ),
    "drags": (
        "拉低增速最多的企业",
        [("name", "企业"), ("change", "增减（{unit}）"), ("pull_pp", "拉动（百分点）")],
    ),
}


class CockpitView(View):
    template_name = "economy/cockpit.html"

    def allows(self, **kwargs):
        """The zone's figures are for those who may see zone figures: not an enterprise user,
        whose cockpit would be one enterprise. Links to the cockpit ask this too."""
        user = self.request.user
        return has_perm(user, EnterpriseMonthlyValue, "view") and has_perm(user, ZoneMonthlyFigure, "view")

    def get(self, request):
        if not self.allows():
            raise PermissionDenied("没有查看权限")
        if request.GET.get("export") == "xlsx":
            period, _error = period_param(request, latest_period)
            return self.export(
                request, period, zone_param(request), Indicator.objects.filter(code=PRIMARY).first()
            )
        # The figures and their HTML are built once per (what the user may see, data version,
        # day, query) and then read from the cache (``pagecache``); the page around them
        # (menu, user, messages) is rendered for each request.
        context, body = cached_part(
            request,
            "cockpit",
            sorted(request.GET.lists()),
            lambda: self.figures(request),
            "economy/cockpit_body.html",
        )
        return render(request, self.template_name, {**context, "body": body})

    def figures(self, request) -> dict:
        """The cockpit's context: every figure it shows, over the records the user may see."""
        user = request.user
        period, error = period_param(request, latest_period)
        zone = zone_param(request)
        primary = Indicator.objects.filter(code=PRIMARY).first()
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
        data.update(primary_figures(period, values, primary, scope))
        query = f"period={period:%Y-%m}" + (f"&zone={zone.pk}" if zone else "")
        return {
            "data": data,
            "period": period,
            "period_value": f"{period:%Y-%m}",
            "zone": zone,
            "zones": list(Zone.objects.all()),
            "primary": primary,
            "drop_pct": percent(Decimal(str(settings.YUANQU_WARNING_DROP))),
            "error": error,
            "export_query": query if has_perm(user, EnterpriseMonthlyValue, "export") else "",
            "work": work_figures(user, period, zone),
            "drags_url": _drags_url(user, primary, query),
        }

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
        unit = display_unit(primary).label if primary else ""
        columns = [(key, header.format(unit=unit)) for key, header in columns]
        title = f"驾驶舱{period.year}年{period.month}月{zone or ''}{primary.name if primary else ''}{label}"
        return export_xlsx(
            request,
            title=title,
            model=EnterpriseMonthlyValue,
            header=[header for _, header in columns],
            rows=([row.get(key) for key, _ in columns] for row in rows),
            filters={"period": f"{period:%Y-%m}", "zone": zone.pk if zone else None, "table": name},
            data={"view": "economy:cockpit", "table": name, "period": f"{period:%Y-%m}",
                  "zone": zone.pk if zone else None},
        )  # fmt: skip


def _drags_url(user, primary, query) -> str:
    """The indicator page's list of the largest negative 拉动, when the user may open it."""
    if primary is None or not restrict(Indicator.objects.filter(pk=primary.pk), user, "view").exists():
        return ""
    return reverse("economy:indicator", args=[primary.pk]) + f"?{query}#drags"


def primary_figures(period, values, primary, scope=None) -> dict:
    """Chains, 片区, the top 20, the warnings and the drags of the primary indicator over the
    visible enterprise values ``values``; names are read only for the enterprises listed, and
    the 拉动 only for the rows shown (at 5,000 enterprises the cockpit lists a few dozen).

    With ``scope`` (the user's rollups, ``rollups.scope_for``, over the same enterprises as
    ``values``) the breakdowns, the growth and the comparable base are the rollups' cells, and
    the lists come from two small queries: the top 20, and the enterprises that fell year on
    year or stopped reporting (``_listed``). Without it, every visible enterprise's YTD of this
    month, a year earlier and last month is read from the value table. Both say the same."""
    if primary is None:
        return {"chains": [], "zones": [], "top": [], "warnings": [], "drags": []}
    earlier, before = last_year(period), add_months(period, -1)
    primary_values = values.filter(indicator=primary)
    if scope is None:
        groups: dict = {}  # enterprise → (片区, chain), for the breakdowns
        current = _ytd_by_enterprise(primary_values.filter(period=period), groups)
        previous = _ytd_by_enterprise(primary_values.filter(period=earlier), groups)
        # Last month matters only for who did not report this month (the warnings).
        reported = primary_values.filter(period=period).values("enterprise_id")
        last_month = _ytd_by_enterprise(
            primary_values.filter(period=before).exclude(enterprise_id__in=reported)
        )
        by_chain = group_sums(current, previous, {pk: chain_pk for pk, (_, chain_pk) in groups.items()})
        by_zone = group_sums(current, previous, {pk: zone_pk for pk, (zone_pk, _) in groups.items()})
        leaders, top_base = _ranking(current, TOP), previous
    else:
        cells = scope.cells(primary, period)
        by_chain, by_zone = cell_sums(cells, "industry_chain_id"), cell_sums(cells, "zone_id")
        current, previous, last_month = _listed(primary_values, period, earlier, before)
        leaders, top_base = _top(primary_values, period, earlier)
    known: dict = {}

    def names(pks) -> dict:
        missing = [pk for pk in pks if pk not in known]
        if missing:
            known.update(Enterprise.objects.filter(pk__in=missing).order_by().values_list("pk", "name"))
        return known

    zone_names = dict(Zone.objects.filter(pk__in=set(by_zone)).values_list("pk", "name"))
    chain_names = dict(IndustryChain.objects.filter(pk__in=set(by_chain)).values_list("pk", "name"))
    shown = display_unit(primary)
    month = f"{period:%Y-%m}"
    enterprises = reverse("enterprises:enterprise_list")
    paired = sum(g.paired for g in by_chain.values())
    base_total = sum((g.base for g in by_chain.values()), Decimal(0))
    now_total = sum((g.now for g in by_chain.values()), Decimal(0))
    growth = growth_rate(now_total, base_total).value if paired else None

    def pull(pk):
        """The enterprise's own 拉动 (``services.enterprise_pulls``, for one enterprise)."""
        now, then = current.get(pk), previous.get(pk)
        if now is None or then is None or base_total <= 0:
            return None
        return (now - then) / base_total * HUNDRED

    names([pk for _, pk, _ in leaders])
    top = []
    for rank, pk, value in leaders:
        rate = growth_rate(value, top_base.get(pk)).value
        top.append(
            {
                "rank": rank,
                "name": known[pk],
                "ytd": shown.number(value),
                "ytd_text": shown.text(value),
                "growth": _rate(rate),
                "growth_pct": percent(rate),
                "url": _enterprise_url(pk),
            }
        )
    return {
        "primary": {"name": primary.name, "unit": shown.label, "growth": _rate(growth)},
        "chains": breakdown(
            by_chain, base_total, lambda g: chain_names.get(g) or "未归链",
            lambda g: f"{enterprises}?industry_chain={g}" if g else None,
            shown,
        ),
        "zones": breakdown(
            by_zone, base_total, lambda g: zone_names.get(g) or "未划片区",
            lambda g: _values_url(period=month, indicator=primary.pk, zone=g or ""),
            shown,
        ),
        "top": top,
        "warnings": warnings(
            current, previous, last_month, names, Decimal(str(settings.YUANQU_WARNING_DROP)), pull, shown
        ),
        "drags": drags(current, previous, pull, names, shown),
    }  # fmt: skip


def _listed(values, period, earlier, before) -> tuple[dict, dict, dict]:
    """(current, previous, last_month) YTDs, as the value-table path reads them, of only the
    enterprises ``warnings`` and ``drags`` can list: those whose YTD fell year on year, and
    those without a YTD this month that had one a year earlier, or had one last month and did
    not report this month (both skip the others, as they skip them in the value-table path's
    dicts of every enterprise).

    One grouped query over the three months of ``values`` (the user's restriction compiled
    in), converted by the ORM's own converters of the YTD, as ``_ytd_by_enterprise`` does:
    built through the ORM, the grouped query cost twice what SQLite takes to run it. Each
    enterprise has one current value a month, so MAX picks it (PostgreSQL adds numerics far
    more slowly than it compares them). On SQLite the comparisons run on the stored floats,
    so the exact ones are made again on the Decimals (``warnings``)."""
    rows = values.filter(period__in=[period, earlier, before]).order_by()
    compiler = rows.values_list("enterprise_id", "period", "ytd_value").query.get_compiler(using=rows.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # restrict() found no grant that applies
        return {}, {}, {}
    expression = compiler.select[2][0]
    converters = compiler.get_converters([expression]).get(0, ([], None))[0]
    connection = compiler.connection
    now, then, last = (connection.ops.adapt_datefield_value(when) for when in (period, earlier, before))
    # Grouped by an expression, not the column: SQLite would otherwise group along the unique
    # index (enterprise, indicator, period, version), one table row per value, instead of
    # reading the three months from the covering index (8 times slower at 5,000 enterprises).
    grouped = f"""
        SELECT g.enterprise, g.ytd_now, g.ytd_then, g.ytd_last, g.reported FROM (
            SELECT v.enterprise_id + 0 AS enterprise,
                MAX(CASE WHEN v.period = %s THEN v.ytd_value END) AS ytd_now,
                MAX(CASE WHEN v.period = %s THEN v.ytd_value END) AS ytd_then,
                MAX(CASE WHEN v.period = %s THEN v.ytd_value END) AS ytd_last,
                COUNT(CASE WHEN v.period = %s THEN 1 END) AS reported
            FROM ({sql}) v
            GROUP BY v.enterprise_id + 0
        ) g
        WHERE g.ytd_now < g.ytd_then OR (g.ytd_now IS NULL AND g.ytd_then IS NOT NULL)
            OR (g.reported = 0 AND g.ytd_last IS NOT NULL)"""
    with connection.cursor() as cursor:
        cursor.execute(grouped, [now, then, last, now, *params])
        rows = cursor.fetchall()

    def decimal(value):
        for convert in converters:
            value = convert(value, expression, connection)
        return value

    current, previous, last_month = {}, {}, {}
    for pk, ytd, base, last_ytd, reported in rows:
        if reported:
            current[pk] = decimal(ytd)
        else:
            last_month[pk] = decimal(last_ytd)
        previous[pk] = decimal(base)
    return current, previous, last_month


def _top(values, period, earlier) -> tuple[list, dict]:
    """The ``TOP`` largest YTDs this month ranked as ``_ranking`` ranks them (ties by
    enterprise), and {enterprise: YTD a year earlier} of those enterprises."""
    largest = list(
        values.filter(period=period, ytd_value__isnull=False)
        .order_by("-ytd_value", "enterprise_id")
        .values_list("enterprise_id", "ytd_value")[:TOP]
    )
    base = dict(
        values.filter(period=earlier, enterprise_id__in=[pk for pk, _ in largest])
        .order_by()
        .values_list("enterprise_id", "ytd_value")
    )
    return _ranked(largest), base
