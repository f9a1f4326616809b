"""The plain data each shipped report reads: lists of dicts made by the modules' own services
(the cockpit's breakdowns, the target sheet's standings, the project lights, the overdue
demands and tasks, the department ranking), never model instances. Every list counts only
the records the user may view (``restrict``); without a user (the console), everything."""

import datetime
from decimal import Decimal

from django.urls import reverse

from yuanqu.users.permissions import restrict
from yuanqu.utilities.periods import add_months, describe, describe_ytd

from .engine import ReportError, amount, plain

COMPARATOR_WORDS = {"ge": "以上", "approx": "左右", "le": "以内", "eq": ""}


def _visible(queryset, user):
    return queryset if user is None else restrict(queryset, user, "view")


def park_name() -> str:
    from yuanqu.users.models import Zone

    root = Zone.objects.filter(parent=None).order_by("pk").first()
    return root.name if root else "园区"


def zone_names() -> list[str]:
    """The park's 片区 (the root's children), by name."""
    from yuanqu.users.models import Zone

    root = Zone.objects.filter(parent=None).order_by("pk").first()
    if root is None:
        return []
    return list(Zone.objects.filter(parent=root).order_by("code", "name").values_list("name", flat=True))


def _number(value, unit) -> str:
    return "—" if value is None else amount(value, unit)[2]


def _pct(fraction) -> str:
    return "—" if fraction is None else plain(Decimal(str(fraction)) * 100, 1) + "%"


def economy_periods(user=None) -> list[datetime.date]:
    from yuanqu.economy.models import EnterpriseMonthlyValue

    values = _visible(EnterpriseMonthlyValue.objects.filter(is_current=True), user)
    return sorted(set(values.order_by().values_list("period", flat=True).distinct()))


def indicators(catalogue) -> list[dict]:
    """The economy's figures in the catalogue's order: {key, name, unit, kind}."""
    return [
        {"key": f.key, "name": f.name, "unit": f.unit, "kind": f.kind}
        for f in catalogue.values()
        if f.key.startswith("economy.")
    ]


def target_rows(year: int, period: datetime.date, user=None) -> list[dict]:
    """The target sheet at the end of ``period``, as ``yuanqu targets`` reads it, in words."""
    from yuanqu.targets.choices import TargetKind
    from yuanqu.targets.progress import sheet, stand

    rows = []
    for standing in stand(list(sheet(year, user).order_by("pk")), period, user):
        target = standing.target
        growth = target.kind == TargetKind.GROWTH
        unit = target.unit.name
        rows.append(
            {
                "name": target.name,
                "figure_key": target.figure or "",
                "kind": "增速" if growth else "总量",
                "growth": growth,
                "target": plan_text(target),
                "actual": "—"
                if standing.actual is None
                else (plain(standing.actual, 1) + "%" if growth else _number(standing.actual, unit)),
                "completion": _pct(standing.completion),
                "time_progress": _pct(standing.time_progress),
                "gap": standing.gap_text() or standing.note or "—",
                "gap_pp": None if standing.gap_pp is None else float(standing.gap_pp),
                "light": standing.light or "",
                "light_label": standing.light_label,
                "department": target.department.name if target.department_id else "",
                "reported": standing.reported,
                "note": standing.note,
                "completion_pct": None if standing.completion is None else float(standing.completion * 100),
            }
        )
    return rows


def plan_text(target) -> str:
    """The target as the plan words it: “增长8%以上”, “280亿元”, “3起以内”."""
    from yuanqu.targets.choices import TargetKind

    words = COMPARATOR_WORDS.get(target.comparator, "")
    value = plain(target.value, 2)
    if target.kind == TargetKind.GROWTH:
        return f"增长{value}%{words}"
    return f"{value}{target.unit.name}{words}"


def plan_rows(year: int, user=None) -> list[dict]:
    """Next year's target sheet as entered."""
    from yuanqu.targets.progress import sheet

    return [
        {
            "name": target.name,
            "kind": target.get_kind_display(),
            "target": plan_text(target),
            "department": target.department.name if target.department_id else "",
            "scope": str(target.zone or target.scope_department or "园区"),
            "figure_key": target.figure or "",
        }
        for target in sheet(year, user).order_by("pk")
    ]


def economy_breakdown(period: datetime.date, user=None) -> dict:
    """The cockpit's primary indicator by 产业链 and 片区, its top enterprises, those pulling
    it down and the early warnings (``cockpit.primary_figures``)."""
    from yuanqu.economy.cockpit import PRIMARY, primary_figures
    from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator

    primary = Indicator.objects.filter(code=PRIMARY).first()
    values = _visible(EnterpriseMonthlyValue.objects.filter(is_current=True), user)
    data = primary_figures(period, values, primary)
    data["primary_key"] = f"economy.{PRIMARY}" if primary else ""
    return data


def monthly_trend(period: datetime.date, user=None) -> dict:
    """The primary indicator's month values of this year and last year and the growth of each
    month, from the cockpit's trends (its rollups where the user's view allows)."""
    from yuanqu.economy.cockpit import PRIMARY, trends
    from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator
    from yuanqu.economy.rollups import Scope, scope_for

    empty = {"labels": [], "this_year": [], "last_year": [], "rates": [], "unit": "", "name": ""}
    indicator = Indicator.objects.filter(code=PRIMARY, active=True).first()
    if indicator is None:
        return empty
    values = _visible(EnterpriseMonthlyValue.objects.filter(is_current=True), user)
    scope = Scope(None) if user is None else scope_for(user)
    found = trends(period, None, values, [indicator], scope)
    if not found:
        return empty
    row = found[0]
    last = row["last_year"][: period.month]
    rates = [
        None if now is None or not before else round((now / before - 1) * 100, 1)
        for now, before in zip(row["this_year"], last, strict=True)
    ]
    return {
        "labels": [f"{m}月" for m in range(1, period.month + 1)],
        "this_year": row["this_year"],
        "last_year": last,
        "rates": rates,
        "unit": row["unit"],
        "name": row["name"],
    }


def projects_behind(day: datetime.date, user=None) -> list[dict]:
    """Key projects lit red or yellow for the month of ``day``, red first."""
    from yuanqu.projects.models import KeyProject
    from yuanqu.projects.services.lights import lights_by_project

    projects = _visible(KeyProject.objects.select_related("enterprise"), user)
    projects = {p.pk: p for p in projects}
    lights = lights_by_project(list(projects.values()), day.replace(day=1), today=day)
    rows = []
    for pk, result in lights.items():
        if result.light not in ("red", "yellow"):
            continue
        project = projects[pk]
        rows.append(
            {
                "code": project.code,
                "name": project.name,
                "enterprise": str(project.enterprise) if project.enterprise_id else "",
                "light": result.label,
                "red": result.light == "red",
                "cause": result.cause,
                "completion": _pct(result.completion),
                "link": reverse("projects:keyproject", args=[pk]),
            }
        )
    return sorted(rows, key=lambda r: (not r["red"], r["code"]))


def demands_overdue(day: datetime.date, user=None) -> list[dict]:
    from yuanqu.demands.choices import Light
    from yuanqu.demands.models import Demand
    from yuanqu.demands.services import light_q

    demands = _visible(Demand.objects.select_related("enterprise", "holder_department", "holder_user"), user)
    return [
        {
            "number": d.number,
            "title": d.title,
            "enterprise": str(d.enterprise),
            "holder": d.holder_display,
            "due_on": f"{d.due_on.month}月{d.due_on.day}日",
            "days": (day - d.due_on).days,
            "link": d.get_absolute_url(),
        }
        for d in demands.filter(light_q(Light.RED, today=day)).order_by("due_on", "number")
    ]


def tasks_overdue(day: datetime.date, user=None) -> list[dict]:
    from yuanqu.supervision.models import Task
    from yuanqu.supervision.services import overdue

    tasks = _visible(Task.objects.select_related("department"), user)
    return [
        {
            "number": t.number,
            "text": t.text,
            "department": str(t.department) if t.department_id else "（未指定）",
            "due_on": f"{t.due_on.year}年{t.due_on.month}月{t.due_on.day}日",
            "days": (day - t.due_on).days,
            "link": reverse("supervision:task", args=[t.pk]),
        }
        for t in overdue(list(tasks), today=day)
    ]


def department_ranking(day: datetime.date, user=None) -> dict:
    """目标管理考核: the latest computed period ended by ``day`` and its ranking with the change
    of rank; without one, the supervision board's counts per department."""
    from yuanqu.supervision.assessment import ranking
    from yuanqu.supervision.models import AssessmentPeriod, Task
    from yuanqu.supervision.services import board

    periods = _visible(AssessmentPeriod.objects.exclude(computed_at=None), user)
    period = periods.filter(end_on__lte=day).order_by("-end_on").first()
    if period is not None:
        scores = period.scores.select_related("department").order_by("rank", "department__name")
        rows = [
            {
                "rank": row["score"].rank,
                "department": str(row["score"].department),
                "total": float(row["score"].total),
                "overdue": row["score"].overdue_count,
                "change": "—"
                if row["change"] is None
                else (
                    "持平"
                    if row["change"] == 0
                    else f"{'上升' if row['change'] > 0 else '下降'}{abs(row['change'])}位"
                ),
            }
            for row in ranking(period, scores)
        ]
        return {"period": str(period), "rows": rows, "board": []}
    tasks = _visible(Task.objects.select_related("department"), user)
    return {"period": "", "rows": [], "board": board(list(tasks), today=day)}


def check_month_has_data(period: datetime.date, user=None):
    from yuanqu.economy.models import EnterpriseMonthlyValue, ZoneMonthlyFigure

    values = _visible(EnterpriseMonthlyValue.objects.filter(is_current=True, period=period), user)
    figures = _visible(ZoneMonthlyFigure.objects.filter(period=period), user)
    if not values.exists() and not figures.exists():
        raise ReportError(f"{describe(period)}没有经济运行数据，不能生成报告")


def month_words(period: datetime.date) -> dict:
    return {
        "period": f"{period:%Y-%m}",
        "year": period.year,
        "month": period.month,
        "period_label": describe(period),
        "ytd_label": describe_ytd(period).replace("–", "—"),
        "last_year": period.year - 1,
        "previous_month": f"{add_months(period, -1):%Y-%m}",
    }
