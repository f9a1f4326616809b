"""项目统计: the figures the reports quote for a year up to a month."""

import datetime
from decimal import Decimal

from yuanqu.utilities.periods import month_end

from ..choices import Light, ProjectLevel, ProjectType
from .lights import lights_by_project

BILLION_WAN = Decimal(10000)  # 亿元以上 = total investment ≥ 1 亿元 = 10 000 万元
DONE_KINDS = ("completed", "production")


def _rate(done, plan):
    return None if not plan else done / plan


def statistics(projects, period: datetime.date, today=None) -> dict:
    """The figures the reports quote for ``period``'s year up to ``period``: 开工亿元以上项目,
    竣工投产, annual plan, YTD and completion by level and by type, and the lights.

    A level row takes every project on that list with that list's plan; a type row and the
    total take each listed project once, with the plan of its highest list."""
    year, end = period.year, month_end(period)
    first = datetime.date(year, 1, 1)
    listed = list(projects.filter(plans__year=year).distinct().prefetch_related("plans", "milestones"))
    results = lights_by_project(listed, period, today=today)

    def actual_in_year(project, kinds):
        return any(
            m.kind in kinds and m.actual_on and first <= m.actual_on <= end for m in project.milestones.all()
        )

    started = [p for p in listed if p.total_investment_wan >= BILLION_WAN and actual_in_year(p, ("start",))]
    finished = [p for p in listed if actual_in_year(p, DONE_KINDS)]

    def row(label, members, plan_of, query):
        plan = sum((plan_of(p) for p in members), Decimal(0))
        done = sum((results[p.pk].ytd for p in members), Decimal(0))
        rate = _rate(done, plan)
        return {
            "rate_text": "—" if rate is None else f"{rate * 100:.1f}%",
            "label": label,
            "count": len(members),
            "plan": plan,
            "ytd": done,
            "rate": _rate(done, plan),
            "query": query,
        }

    def own_plan(p):
        return results[p.pk].annual_plan or Decimal(0)

    by_level = []
    for level in ProjectLevel:
        members = [p for p in listed if any(pl.year == year and pl.level == level for pl in p.plans.all())]

        def level_plan(p, level=level):
            return next(pl.annual_plan_wan for pl in p.plans.all() if pl.year == year and pl.level == level)

        by_level.append(row(level.label, members, level_plan, {"level": level.value}))
    by_type = [
        row(kind.label, [p for p in listed if p.type == kind], own_plan, {"type": kind.value})
        for kind in ProjectType
    ]
    lights = [
        {
            "label": value.label,
            "light": value.value,
            "count": sum(1 for r in results.values() if r.light == value),
            "query": {"light": value.value},
        }
        for value in Light
    ]
    return {
        "listed": len(listed),
        "started_billion": len(started),
        "finished": len(finished),
        "total": row("合计", listed, own_plan, {}),
        "by_level": by_level,
        "by_type": by_type,
        "lights": lights,
    }
