"""``generate(kind, …)``: one report of a kind for its period, date or year.

Kinds and what they take:

* ``weekly`` 周通报, ``date``: projects behind schedule, overdue demands and supervision tasks,
  the department ranking;
* ``monthly`` 月度经济运行分析, ``period`` (a month): each indicator's 1–N月累计 and 同比, the
  target sheet, the breakdowns by 产业链 and 片区, top enterprises, those pulling down, warnings;
* ``annual`` 年度工作总结, ``year``: the year's figures of every module with charts;
* ``plan`` 年度工作要点, ``year``: that year's target sheet as entered.

``template_text`` replaces the shipped template (a zone's edited one); ``user`` limits every
figure and list to the records that user may view.
"""

import datetime
from pathlib import Path

from django.core.exceptions import ValidationError

from yuanqu.utilities.periods import parse_period

from . import data
from .engine import Helpers, Report, ReportError, render

TEMPLATES = Path(__file__).parent / "templates"
NEEDS = {"date": "日期（--date）", "period": "月份（--period）", "year": "年份（--year）"}
KINDS = {
    "weekly": "周通报",
    "monthly": "月度经济运行分析",
    "annual": "年度工作总结",
    "plan": "年度工作要点",
}


def shipped_template(kind: str) -> str:
    """The text of the shipped template of ``kind`` (what a page offers for editing)."""
    if kind not in KINDS:
        raise ReportError(f"报告类型“{kind}”不存在，应为 {'、'.join(KINDS)} 之一")
    return (TEMPLATES / f"{kind}.j2").read_text(encoding="utf-8")


def _month(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    try:
        return parse_period(value)
    except ValidationError as exc:
        raise ReportError(exc.messages[0]) from None


def _day(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ReportError(f"日期“{value}”格式不对，应为“2026-10-30”这样的年-月-日") from None


def _year(value) -> int:
    from yuanqu.utilities.periods import parse_year

    try:
        return parse_year(value)
    except ValidationError as exc:
        raise ReportError(exc.messages[0]) from None


def generate(kind, *, period=None, date=None, year=None, user=None, template_text=None) -> Report:
    """The report of ``kind``; a ReportError (Chinese, one line) when it cannot be made."""
    if kind not in KINDS:
        raise ReportError(f"报告类型“{kind}”不存在，应为 {'、'.join(KINDS)} 之一")
    needs = {"weekly": ("date", date), "monthly": ("period", period)}.get(kind, ("year", year))
    if needs[1] in (None, ""):
        raise ReportError(f"{KINDS[kind]}需要指定{NEEDS[needs[0]]}")
    text = template_text if template_text is not None else shipped_template(kind)
    build = {"weekly": _weekly, "monthly": _monthly, "annual": _annual, "plan": _plan}[kind]
    context, helpers, params, title = build(user, period=period, date=date, year=year)
    context.update({"title": title, "park": data.park_name(), "kind": KINDS[kind]})
    blocks = render(text, context, helpers)
    titles = [b.text for b in blocks if b.kind == "title"]
    return Report(kind, titles[0] if titles else title, params, blocks, helpers.figures)


def _monthly(user, *, period, **_):
    month = _month(period)
    data.check_month_has_data(month, user)
    helpers = Helpers(month, user)
    context = data.month_words(month)
    context["indicators"] = data.indicators(helpers.catalogue)
    context["targets"] = data.target_rows(month.year, month, user)
    context["economy"] = data.economy_breakdown(month, user)
    context["trend"] = data.monthly_trend(month, user)
    title = f"{data.park_name()}{context['ytd_label']}经济运行分析"
    return context, helpers, {"period": f"{month:%Y-%m}"}, title


def _weekly(user, *, date, **_):
    day = _day(date)
    month = day.replace(day=1)
    helpers = Helpers(month, user)
    context = {
        "date": day.isoformat(),
        "date_label": f"{day.year}年{day.month}月{day.day}日",
        "year": day.year,
        "month": day.month,
        "projects": data.projects_behind(day, user),
        "demands": data.demands_overdue(day, user),
        "tasks": data.tasks_overdue(day, user),
        "ranking": data.department_ranking(day, user),
    }
    title = f"{data.park_name()}重点工作周通报"
    return context, helpers, {"date": day.isoformat()}, title


def _year_month(year: int, user) -> datetime.date:
    """The month an annual report reads: December, or the year's latest month with data."""
    months = [p for p in data.economy_periods(user) if p.year == year]
    if not months:
        raise ReportError(f"{year}年没有经济运行数据，不能生成年度工作总结")
    return max(months)


def _annual(user, *, year, **_):
    year = _year(year)
    month = _year_month(year, user)
    helpers = Helpers(month, user)
    context = data.month_words(month)
    context.update(
        {
            "year": year,
            "next_year": year + 1,
            "full_year": month.month == 12,
            "indicators": data.indicators(helpers.catalogue),
            "targets": data.target_rows(year, month, user),
            "economy": data.economy_breakdown(month, user),
            "next_targets": data.plan_rows(year + 1, user),
            "zones": data.zone_names(),
        }
    )
    context["trend"] = data.monthly_trend(month, user)
    day = min(datetime.date(year, 12, 31), datetime.date.today())
    context["projects"] = data.projects_behind(day, user)
    context["demands"] = data.demands_overdue(day, user)
    context["tasks"] = data.tasks_overdue(day, user)
    context["ranking"] = data.department_ranking(day, user)
    title = f"{data.park_name()}{year}年工作总结"
    return context, helpers, {"year": year}, title


def _plan(user, *, year, **_):
    year = _year(year)
    rows = data.plan_rows(year, user)
    if not rows:
        raise ReportError(f"{year}年的目标责任书尚未录入，不能生成工作要点")
    helpers = Helpers(datetime.date(year, 1, 1), user)
    context = {"year": year, "last_year": year - 1, "targets": rows}
    departments: dict = {}
    for row in rows:
        departments.setdefault(row["department"] or "未指定责任单位", []).append(row)
    context["by_department"] = [{"department": k, "targets": v} for k, v in departments.items()]
    title = f"{data.park_name()}{year}年工作要点"
    return context, helpers, {"year": year}, title
