"""One indicator looked at closely: its series, its breakdowns and its enterprises.

Built on the public functions of ``services.py``; every queryset passed in is already
restricted to what the user may see (or export), so the figures never include a record the
user could not open. Values stay ``Decimal``; a figure that does not exist is None with a note.
"""

import datetime
from decimal import Decimal

from .choices import IndicatorLevel
from .indicators import display_unit
from .services import (
    add_months,
    comparable_growth,
    contributions,
    describe,
    enterprise_pulls,
    growth_from_sums,
    growth_rate,
    last_year,
    park_root,
    total,
)

SERIES_MONTHS = 24
ENTERED = "无上年同期数据（新纳统或新报），未计入增速"
LEFT = "上年同期有数据、本期无数据（退库或未报），未计入增速"
NO_MONTH = "缺少当月值"
STATUSES = {"entered": ENTERED, "left": LEFT, "missing": NO_MONTH}


def series_periods(period, months=SERIES_MONTHS) -> list[datetime.date]:
    """The ``months`` months ending with ``period``, oldest first."""
    return [add_months(period, -n) for n in range(months - 1, -1, -1)]


def _enterprise_rows(values, indicator, periods):
    rows = values.filter(indicator=indicator, is_current=True, period__in=periods).values_list(
        "period", "enterprise_id", "month_value", "ytd_value", "enterprise__name", "enterprise__uscc",
        "enterprise__zone__name", "enterprise__industry_chain__name",
    )  # fmt: skip
    month, ytd, info = {p: {} for p in periods}, {p: {} for p in periods}, {}
    for when, pk, month_value, ytd_value, name, uscc, zone, chain in rows:
        month[when][pk] = month_value
        ytd[when][pk] = ytd_value
        info[pk] = {"name": name, "uscc": uscc, "zone": zone or "未划片区", "chain": chain or "未归链"}
    return month, ytd, info


def enterprise_series(values, indicator, period, zone=None, scope=None) -> dict:
    """Series, breakdowns and the enterprise table of an enterprise-level indicator.

    With a rollup ``scope`` (``rollups.scope_for``: the whole park or a grid worker's 片区)
    the 24-month series comes from the rollups in one query and only the month and the same
    month a year earlier are read per enterprise; otherwise (other restrictions) every month
    of the series is read from the value table. The figures are the same either way."""
    if zone is not None:
        values = values.filter(enterprise__zone_id__in=zone.subtree_ids())
    months = series_periods(period)
    if scope is not None:
        month, ytd, info = _enterprise_rows(values, indicator, [period, last_year(period)])
        series = _rolled_up_series(scope, indicator, months)
    else:
        wanted = sorted(set(months) | {last_year(p) for p in months})
        month, ytd, info = _enterprise_rows(values, indicator, wanted)
        series = _series(month, ytd, months)
    current, previous = ytd[period], ytd[last_year(period)]
    enterprises = enterprise_table(month[period], current, previous, info)
    return {
        "series": series,
        "chains": breakdown(current, previous, {k: v["chain"] for k, v in info.items()}),
        "zones": breakdown(current, previous, {k: v["zone"] for k, v in info.items()}),
        "enterprises": enterprises,
        "drags": largest_drags(enterprises),
    }


def _series_row(when, month_value, ytd, last_month_value, last_ytd, growth) -> dict:
    return {
        "period": when,
        "label": describe(when),
        "month_value": month_value,
        "ytd": ytd,
        "last_month_value": last_month_value,
        "last_ytd": last_ytd,
        "growth": growth.value,
        "note": growth.note,
    }


def _series(month, ytd, months) -> list[dict]:
    """The series from every enterprise's values of each month and a year earlier."""
    series = []
    for when in months:
        before = last_year(when)
        series.append(
            _series_row(
                when,
                total(month[when].values()).value,
                total(ytd[when].values()).value,
                total(month[before].values()).value,
                total(ytd[before].values()).value,
                comparable_growth(ytd[when], ytd[before]),
            )
        )
    return series


def _rolled_up_series(scope, indicator, months) -> list[dict]:
    """The same series from the rollups: sums and counts per month, the comparable pairing
    kept with each month (``rollups.py``), read for the 48 months in one query."""
    scope.load([indicator], sorted(set(months) | {last_year(p) for p in months}))
    series = []
    for when in months:
        now, before = scope.sums(indicator, when), scope.sums(indicator, last_year(when))
        ytd = now.ytd_sum if now.ytd_count else None
        growth = growth_from_sums(  # as the summary's (``services._rolled_up``)
            ytd,
            now.paired_ytd,
            now.paired_base,
            paired=now.paired_count,
            entered=now.ytd_count - now.paired_count,
            left=before.ytd_count - now.paired_count,
        )
        series.append(
            _series_row(
                when,
                now.month_sum if now.month_count else None,
                ytd,
                before.month_sum if before.month_count else None,
                before.ytd_sum if before.ytd_count else None,
                growth,
            )
        )
    return series


def breakdown(current: dict, previous: dict, group_of: dict) -> list[dict]:
    """Per group: YTD of every enterprise, the comparable base, growth, 拉动 and share."""
    grand = total(current.values()).value
    ytd_of: dict = {}
    for key, value in current.items():
        if value is not None:
            ytd_of[group_of[key]] = ytd_of.get(group_of[key], Decimal(0)) + value
    pulls = {c.group: c for c in contributions(current, previous, group_of)}
    rows = []
    for group in sorted(set(ytd_of) | set(pulls), key=lambda g: -(ytd_of.get(g) or 0)):
        pull = pulls.get(group)
        ytd = ytd_of.get(group)
        rows.append(
            {
                "name": group,
                "ytd": ytd,
                "base": pull.base if pull else None,
                "growth": pull.growth.value if pull else None,
                "pull_pp": pull.pull_pp if pull else None,
                "share": ytd / grand if ytd is not None and grand else None,
                "note": (pull.growth.note if pull else "无两期均有数据的企业"),
            }
        )
    return rows


def enterprise_table(month: dict, current: dict, previous: dict, info: dict) -> list[dict]:
    """Every enterprise with a value now or a year earlier, largest YTD first, with its change
    on a year earlier and its 拉动 (percentage points of the comparable growth of the
    enterprises given)."""
    pulls = enterprise_pulls(current, previous)
    rows = []
    for pk in set(current) | set(previous):
        now, before = current.get(pk), previous.get(pk)
        notes, status = [], ""
        if now is None and before is not None:
            notes.append(LEFT)
            status = "left"
        elif now is not None and before is None:
            notes.append(ENTERED)
            status = "entered"
        growth = growth_rate(now, before) if now is not None and before is not None else None
        if growth is not None and growth.note:
            notes.append(growth.note)
        if now is not None and month.get(pk) is None:
            notes.append(NO_MONTH)
            status = status or "missing"
        rows.append(
            {
                "id": pk,
                **info[pk],
                "month_value": month.get(pk),
                "ytd": now,
                "last_ytd": before,
                "growth": growth.value if growth else None,
                "change": now - before if now is not None and before is not None else None,
                "pull_pp": pulls.get(pk),
                "status": status,
                "note": "；".join(notes),
            }
        )
    rows.sort(key=lambda r: (r["ytd"] is None, -(r["ytd"] or 0), r["name"]))
    return rows


# The enterprise table's sortable columns: ?sort=<key> ascending, ?sort=-<key> descending.
SORT_KEYS = ("name", "zone", "chain", "month_value", "ytd", "last_ytd", "growth", "change", "pull_pp")
DEFAULT_SORT = "-ytd"


def sort_enterprises(rows: list[dict], sort: str) -> tuple[list[dict], str]:
    """The rows in the order asked for (an unknown key falls back to ``DEFAULT_SORT``), rows
    without that figure last either way, then by name; and the sort applied."""
    key = sort.removeprefix("-")
    if key not in SORT_KEYS:
        sort, key = DEFAULT_SORT, DEFAULT_SORT.removeprefix("-")
    descending = sort.startswith("-")
    present = [r for r in rows if r[key] is not None]
    absent = sorted((r for r in rows if r[key] is None), key=lambda r: r["name"])
    present.sort(key=lambda r: r["name"])  # ties by name (a stable sort keeps it)
    present.sort(key=lambda r: r[key], reverse=descending)
    return present + absent, sort


DRAGS = 10


def largest_drags(rows: list[dict], count: int = DRAGS) -> list[dict]:
    """The enterprises that pull the growth down most: negative 拉动, the largest first."""
    negative = [r for r in rows if r["pull_pp"] is not None and r["pull_pp"] < 0]
    return sorted(negative, key=lambda r: (r["pull_pp"], r["name"]))[:count]


def zone_series(figures, indicator, period, zone=None) -> dict:
    """The series of a zone-level indicator (GDP, 固定资产投资 …) for the park or a 片区."""
    figure_zone = park_root(zone)
    months = series_periods(period)
    wanted = set(months) | {last_year(p) for p in months}
    rows = {}
    if figure_zone is not None:
        rows = {
            f.period: f
            for f in figures.filter(indicator=indicator, zone=figure_zone, is_current=True, period__in=wanted)
        }
    series = []
    for when in months:
        now, before = rows.get(when), rows.get(last_year(when))
        ytd = now.ytd_value if now else None
        last_ytd = before.ytd_value if before else None
        if now is not None and now.published_growth is not None:
            growth, note = now.published_growth, "增速采用统计部门公布数"
        elif indicator.growth_published:
            growth, note = None, "增速由统计部门公布，尚未录入"
        else:
            derived = growth_rate(ytd, last_ytd)
            growth, note = derived.value, derived.note or "增速按上年同期园区数推算"
        series.append(
            {
                "period": when,
                "label": describe(when),
                "month_value": now.month_value if now else None,
                "ytd": ytd,
                "last_month_value": before.month_value if before else None,
                "last_ytd": last_ytd,
                "growth": growth,
                "note": note if now is not None else f"{describe(when)}园区数据未录入",
            }
        )
    return {
        "series": series,
        "chains": [],
        "zones": [],
        "enterprises": [],
        "drags": [],
        "figure_zone": figure_zone,
    }


def indicator_detail(indicator, period, zone=None, *, values, figures, scope=None) -> dict:
    """Everything the indicator page shows, over the (restricted) values and figures; the
    rollup ``scope`` of the same records when the user's restriction is by 片区 or none."""
    if indicator.level == IndicatorLevel.ENTERPRISE:
        return enterprise_series(values, indicator, period, zone, scope)
    return zone_series(figures, indicator, period, zone)


def chart_data(indicator, series: list[dict], shown=None) -> dict:
    """The series as JSON numbers for the ECharts line charts, in the indicator's display unit."""
    shown = shown or display_unit(indicator)
    return {
        "name": indicator.name,
        "unit": shown.label,
        "labels": [f"{row['period']:%Y-%m}" for row in series],
        **{
            key: [shown.number(row[key]) for row in series]
            for key in ("month_value", "last_month_value", "ytd", "last_ytd")
        },
    }
