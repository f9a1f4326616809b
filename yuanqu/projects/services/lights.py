"""Lights (REFERENCE §8, §4.5): the configured rule bands, checked to cover the line exactly
once, and a project's green/yellow/red for a month with the reason of every part."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Sum

from yuanqu.utilities.bands import band_light, check_rules
from yuanqu.utilities.progress import completion_rate, gap_text, time_progress

from ..choices import LEVEL_ORDER, LIGHT_RANK, Light, MilestoneKind, RuleKind
from .figures import (
    as_of_day,
    done_by,
    json_number,
    overdue_days,
    primary_plan,
    wan,
    ytd,
    ytd_by_project,
)

# Default bands (REFERENCE §8 lesson: total functions with explicit bands), lower inclusive.
DEFAULT_RULES = [
    (RuleKind.PROGRESS, None, Decimal(-15), Light.RED),
    (RuleKind.PROGRESS, Decimal(-15), Decimal(-5), Light.YELLOW),
    (RuleKind.PROGRESS, Decimal(-5), None, Light.GREEN),
    (RuleKind.MILESTONE, None, Decimal(1), Light.GREEN),
    (RuleKind.MILESTONE, Decimal(1), Decimal(90), Light.YELLOW),
    (RuleKind.MILESTONE, Decimal(90), None, Light.RED),
    (RuleKind.FAI_LAG, None, Decimal(31), Light.GREEN),
    (RuleKind.FAI_LAG, Decimal(31), Decimal(62), Light.YELLOW),
    (RuleKind.FAI_LAG, Decimal(62), None, Light.RED),
]


def ensure_default_light_rules(sender=None, **kwargs):
    """Seed the default bands once (an empty rule table only)."""
    from ..models import LightRule

    if not LightRule.objects.exists():
        LightRule.objects.bulk_create(
            [LightRule(kind=k, lower=lo, upper=hi, light=light) for k, lo, hi, light in DEFAULT_RULES]
        )


# --- rules ---------------------------------------------------------------------------------

# The band checks are shared with the target sheet's lights (``utilities/bands.py``).


def load_rules() -> dict:
    """Rule bands by kind, each checked: a misconfigured kind raises here."""
    from ..models import LightRule

    rules = {kind: [] for kind in RuleKind}
    for rule in LightRule.objects.all():
        rules.setdefault(rule.kind, []).append(rule)
    for kind, bands in rules.items():
        check_rules(bands, f"“{RuleKind(kind).label}”亮灯规则")
    return rules


@dataclass(frozen=True)
class Reason:
    """One check that lit the project yellow or red, with its Chinese explanation."""

    light: str
    text: str

    def __str__(self) -> str:
        return f"{Light(self.light).label}：{self.text}"


@dataclass
class LightResult:
    light: str
    parts: list = field(default_factory=list)  # Reason of each check that is not green
    notes: list = field(default_factory=list)  # what could not be judged (no plan …)
    annual_plan: Decimal | None = None
    ytd: Decimal = Decimal(0)
    completion: Decimal | None = None
    time_progress: Decimal = Decimal(0)
    gap_pp: Decimal | None = None
    as_of: datetime.date | None = None

    @property
    def label(self) -> str:
        return Light(self.light).label

    @property
    def reasons(self) -> list[str]:
        """Every part with its light, then the notes (the API's and the project page's list)."""
        return [str(part) for part in self.parts] + list(self.notes)

    @property
    def cause(self) -> str:
        """原因: why the light is yellow or red, worst check first ("" for green). The list,
        the project page, the scheduling meeting and the exports all show this text."""
        parts = sorted(self.parts, key=lambda p: -LIGHT_RANK[Light(p.light)])
        return "；".join(p.text for p in parts)

    @property
    def completion_pct(self) -> str:
        return "—" if self.completion is None else f"{self.completion * 100:.1f}%"

    @property
    def time_progress_pct(self) -> str:
        return f"{self.time_progress * 100:.1f}%"


def _worse(a: str, b: str) -> str:
    return a if LIGHT_RANK[Light(a)] >= LIGHT_RANK[Light(b)] else b


def light(project, period: datetime.date, plan=None, rules=None, ytd_wan=None, today=None) -> LightResult:
    """Green/yellow/red for the month, the worst of investment progress, overdue milestones
    and 入库 lag, with a Chinese reason for every non-green part. A list passes each
    project's ``ytd_wan`` from ``ytd_by_project`` rather than a query per project. Days are
    counted to ``as_of_day(period, today)``."""
    rules = rules if rules is not None else load_rules()
    plan = plan if plan is not None else primary_plan(project, period.year)
    done_wan = ytd_wan if ytd_wan is not None else ytd(project, period)
    milestones = [_Milestone(m.kind, m.planned_on, m.actual_on) for m in project.milestones.all()]
    registered_on = project.fai_registered_on if project.fai_registered else None
    return _judge(
        rules,
        period,
        None if plan is None else plan.annual_plan_wan,
        done_wan,
        milestones,
        registered_on,
        today,
    )


KIND_LABELS = dict(MilestoneKind.choices)


class _Milestone(NamedTuple):
    """What a light reads of a milestone (``overdue_days`` and ``done_by`` take it too)."""

    kind: str
    planned_on: datetime.date
    actual_on: datetime.date | None


def _judge(rules, period, plan_wan, done_wan, milestones, registered_on, today) -> LightResult:
    """The light from plain figures: the annual plan (None: no plan that year), 1–N月累计,
    the milestones in their list order, the day the project entered the FAI statistics (None:
    not registered). ``light`` and ``lights_by_project`` both judge here."""
    as_of = as_of_day(period, today)
    result = LightResult(Light.GREEN, ytd=done_wan, time_progress=time_progress(period), as_of=as_of)

    def judge(kind, value, label, text):
        part = band_light(rules[kind], value, label)
        if part != Light.GREEN:
            result.parts.append(Reason(part, text))
        result.light = _worse(result.light, part)

    if plan_wan is None:
        result.notes.append(f"无{period.year}年度计划投资，未计投资进度")
    else:
        result.annual_plan = plan_wan
        done = completion_rate(result.ytd, plan_wan)
        if done.value is None:
            result.notes.append(done.note)
        else:
            result.completion = done.value
            result.gap_pp = (done.value - result.time_progress) * 100
            due = (plan_wan * result.time_progress).quantize(Decimal("0.01"))
            judge(
                RuleKind.PROGRESS,
                result.gap_pp,
                "投资进度亮灯规则",
                f"完成投资{wan(result.ytd)}万元，序时应完成{wan(due)}万元，{gap_text(result.gap_pp)}",
            )
    for milestone in milestones:
        days = overdue_days(milestone, as_of)
        if days:
            judge(
                RuleKind.MILESTONE,
                Decimal(days),
                "节点逾期亮灯规则",
                f"{KIND_LABELS.get(milestone.kind, milestone.kind)}节点逾期{days}天（计划{milestone.planned_on:%Y-%m-%d}）",
            )
    started = next((m.actual_on for m in milestones if m.kind == "start" and done_by(m, as_of)), None)
    registered = registered_on is not None and registered_on <= as_of
    if started and not registered:
        days = (as_of - started).days
        judge(
            RuleKind.FAI_LAG, Decimal(days), "入库亮灯规则", f"开工{days}天未入库（{started:%Y-%m-%d}开工）"
        )
    return result


def book(projects, period: datetime.date, today=None) -> list[dict]:
    """One row per project and list (a project on two lists appears twice, each with its own
    plan); a project with no plan that year has one row without a level."""
    rules = load_rules()
    rows = []
    projects = list(projects.prefetch_related("plans", "milestones"))
    ytds = ytd_by_project(projects, period)
    for project in projects:
        plans = sorted(
            (p for p in project.plans.all() if p.year == period.year),
            key=lambda p: LEVEL_ORDER.index(p.level),
        )
        for plan in plans or [None]:
            result = light(project, period, plan=plan, rules=rules, ytd_wan=ytds[project.pk], today=today)
            rows.append({"project": project, "plan": plan, "result": result})
    return rows


def as_json_row(row: dict) -> dict:
    result, plan = row["result"], row["plan"]
    return {
        "code": row["project"].code,
        "name": row["project"].name,
        "level": plan.level if plan else None,
        "annual_plan": json_number(result.annual_plan),
        "ytd": json_number(result.ytd),
        "completion": json_number(result.completion, 4),
        "time_progress": json_number(result.time_progress, 4),
        "light": str(result.light),
        "reason": result.cause,
    }


def lights_by_project(projects, period, today=None) -> dict:
    """project id → LightResult for the month (each project's own plan), the same as
    ``light`` for each, in five queries whatever the number of projects (a list or a
    queryset): the rules, the projects' 入库 dates, that year's plans, the milestones and the
    YTD sums, read as rows, no model instance per project, plan or milestone."""
    from ..models import Milestone, MonthlyProgress, ProjectYearPlan

    rules = load_rules()
    if hasattr(projects, "values_list"):
        ids = projects.order_by().values("pk")  # a subquery: no IN list of every id
        registered = {
            pk: on if fai else None
            for pk, fai, on in projects.order_by().values_list("pk", "fai_registered", "fai_registered_on")
        }
    else:
        registered = {p.pk: p.fai_registered_on if p.fai_registered else None for p in projects}
        ids = list(registered)
    if not registered:
        return {}
    plans: dict = {}  # project id → {level: annual plan}
    for pk, level, plan_wan in ProjectYearPlan.objects.filter(project__in=ids, year=period.year).values_list(
        "project_id", "level", "annual_plan_wan"
    ):
        plans.setdefault(pk, {})[level] = plan_wan
    milestones: dict = {}  # in the milestones' own order, as ``project.milestones.all()``
    for pk, kind, planned_on, actual_on in Milestone.objects.filter(project__in=ids).values_list(
        "project_id", "kind", "planned_on", "actual_on"
    ):
        milestones.setdefault(pk, []).append(_Milestone(kind, planned_on, actual_on))
    sums = dict(
        MonthlyProgress.objects.filter(
            project__in=ids, is_current=True, period__year=period.year, period__lte=period
        )
        .order_by()
        .values("project")
        .annotate(total=Sum("month_investment_wan"))
        .values_list("project", "total")
    )
    result = {}
    for pk, registered_on in registered.items():
        levels = plans.get(pk, {})
        plan_wan = next((levels[level] for level in LEVEL_ORDER if level in levels), None)
        done = (sums.get(pk) or Decimal(0)).quantize(Decimal("0.01"))  # as ``ytd_by_project``
        result[pk] = _judge(rules, period, plan_wan, done, milestones.get(pk, []), registered_on, today)
    return result
