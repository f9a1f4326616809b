"""Key projects' figures for the catalogue — the numbers of the 项目统计 page for the year up to
the month: projects on a list (入库), 亿元以上 started, completed or in production, the year's
completed investment and the completion of the annual plan, overall and by list."""

from decimal import Decimal
from functools import partial

from django.urls import reverse

from yuanqu.figures.catalogue import Figure, Result

from .choices import ProjectLevel

SCOPES = ("park", "zone", "department")
YI = Decimal(10000)  # 万元


def _projects(query):
    from .models import KeyProject

    return query.records(KeyProject.objects.all(), zone="enterprise__zone", department="department")


def _statistics(query):
    from .services.statistics import statistics

    key = (
        "projects.statistics",
        query.period,
        query.scope,
        getattr(query.target, "pk", None),
        getattr(query.user, "pk", None),
    )
    if key not in query.memo:
        query.memo[key] = statistics(_projects(query), query.period, today=query.last_day)
    return query.memo[key]


def _link(query):
    return reverse("projects:statistics") + f"?period={query.period:%Y-%m}"


def count(name, query) -> Result:
    return Result(_statistics(query)[name], base=_statistics(query.last_year())[name], link=_link(query))


def invested(query) -> Result:
    def value(q):
        return (_statistics(q)["total"]["ytd"] / YI).quantize(Decimal("0.0001"))

    return Result(value(query), base=value(query.last_year()), link=_link(query))


def completion(level, query) -> Result:
    def rate(q):
        stats = _statistics(q)
        row = (
            stats["total"]
            if level is None
            else next(r for r in stats["by_level"] if r["query"].get("level") == level)
        )
        return None if row["rate"] is None else (row["rate"] * 100).quantize(Decimal("0.01"))

    value = rate(query)
    return Result(
        value,
        base=rate(query.last_year()),
        link=_link(query),
        note="" if value is not None else "没有年度计划投资",
    )


def provide():
    source = "projects.keyproject"
    yield Figure(
        "projects.listed",
        "入库重点项目",
        "个",
        "count",
        partial(count, "listed"),
        SCOPES,
        source,
        "列入本年省、市、区重点项目的项目",
    )
    yield Figure("projects.started_100m", "开工亿元以上项目", "个", "count", partial(count, "started_billion"), SCOPES, source,
                 "本年开工、总投资1亿元以上的入库项目")  # fmt: skip
    yield Figure(
        "projects.finished",
        "竣工投产项目",
        "个",
        "count",
        partial(count, "finished"),
        SCOPES,
        source,
        "本年竣工或投产的入库项目",
    )
    yield Figure(
        "projects.invested",
        "重点项目完成投资",
        "亿元",
        "total",
        invested,
        SCOPES,
        source,
        "入库项目本年1月至月末完成投资",
    )
    yield Figure("projects.completion", "重点项目年度计划完成率", "%", "ratio", partial(completion, None), SCOPES, source,
                 "本年完成投资 ÷ 年度计划投资")  # fmt: skip
    for level in ProjectLevel:
        yield Figure(f"projects.completion_{level.value}", f"{level.label}项目年度计划完成率", "%", "ratio",
                     partial(completion, level.value), SCOPES, source, f"{level.label}项目本年完成投资 ÷ 年度计划投资")  # fmt: skip
