"""Computations of the key-project book: YTD, completion against 序时进度, lights from the
configured rules (REFERENCE §8, §4.5), versioned monthly reports and escalation."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone

from yuanqu.core.versioning import record_version
from yuanqu.utilities.periods import add_months, describe, month_end  # noqa: F401  (month_end: the app's filtersets)
from yuanqu.utilities.progress import completion_rate, gap_text, time_progress

from .choices import LEVEL_ORDER, LIGHT_RANK, Light, RuleKind

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
    from .models import LightRule

    if not LightRule.objects.exists():
        LightRule.objects.bulk_create(
            [LightRule(kind=k, lower=lo, upper=hi, light=light) for k, lo, hi, light in DEFAULT_RULES]
        )


# --- rules --------------------------------------------------------------------------------


def _bound(value) -> str:
    return "负无穷" if value is None else f"{value}"


def check_rules(bands, kind_label="亮灯规则") -> list:
    """The bands (objects with lower, upper, light) sorted, or a Chinese configuration error
    naming the range they leave uncovered or cover twice."""
    if not bands:
        raise ValidationError(f"{kind_label}未配置任何区间，无法亮灯")
    ordered = sorted(bands, key=lambda b: (b.lower is not None, b.lower or 0))
    if ordered[0].lower is not None:
        raise ValidationError(f"{kind_label}配置错误：小于{ordered[0].lower}的区间未覆盖")
    for band, following in zip(ordered, ordered[1:], strict=False):
        if band.upper is None:
            raise ValidationError(
                f"{kind_label}配置错误：[{_bound(band.lower)}, 正无穷)之后还有区间，区间重叠"
            )
        if following.lower is None or following.lower < band.upper:
            raise ValidationError(f"{kind_label}配置错误：{band.upper}附近的区间重叠")
        if following.lower > band.upper:
            raise ValidationError(f"{kind_label}配置错误：[{band.upper}, {following.lower})区间未覆盖")
    if ordered[-1].upper is not None:
        raise ValidationError(f"{kind_label}配置错误：大于等于{ordered[-1].upper}的区间未覆盖")
    return ordered


def band_light(bands, value: Decimal, kind_label="亮灯规则") -> str:
    """The light of the band holding ``value`` (bands checked first)."""
    for band in check_rules(bands, kind_label):
        if (band.lower is None or value >= band.lower) and (band.upper is None or value < band.upper):
            return band.light
    raise ValidationError(f"{kind_label}配置错误：{value}不在任何区间内")  # unreachable when checked


def load_rules() -> dict:
    """Rule bands by kind, each checked: a misconfigured kind raises here."""
    from .models import LightRule

    rules = {kind: [] for kind in RuleKind}
    for rule in LightRule.objects.all():
        rules.setdefault(rule.kind, []).append(rule)
    for kind, bands in rules.items():
        check_rules(bands, f"“{RuleKind(kind).label}”亮灯规则")
    return rules


# --- figures ------------------------------------------------------------------------------


def current_progress(project):
    from .models import MonthlyProgress

    return MonthlyProgress.objects.filter(project=project, is_current=True)


def ytd(project, period: datetime.date) -> Decimal:
    """1–N月累计完成投资: the sum of the current versions of January..period (never typed)."""
    total = (
        current_progress(project)
        .filter(period__year=period.year, period__lte=period)
        .aggregate(total=Sum("month_investment_wan"))["total"]
    )
    # SQLite sums decimals through floats: round back to the field's two places.
    return (total or Decimal(0)).quantize(Decimal("0.01"))


def ytd_by_project(projects, period: datetime.date) -> dict:
    """project id → 1–N月累计完成投资 for many projects in one query (as ``ytd`` for one)."""
    from .models import MonthlyProgress

    sums = (
        MonthlyProgress.objects.filter(
            project__in=[p.pk for p in projects], is_current=True, period__year=period.year, period__lte=period
        )
        .values("project")
        .annotate(total=Sum("month_investment_wan"))
    )
    found = {row["project"]: row["total"] for row in sums}
    return {p.pk: (found.get(p.pk) or Decimal(0)).quantize(Decimal("0.01")) for p in projects}


def primary_plan(project, year: int):
    """The project's plan of its highest list that year (省 before 市 before 区), or None."""
    plans = {p.level: p for p in project.plans.all() if p.year == year}
    for level in LEVEL_ORDER:
        if level in plans:
            return plans[level]
    return None


def as_of_day(period: datetime.date, today: datetime.date | None = None) -> datetime.date:
    """The day a month's 逾期天数 (and 开工后未入库天数) are counted to, one rule for the
    light, the milestone timeline, the list, the statistics, the scheduling meeting and every
    export: today while ``period`` is the latest reported month (the last complete month, every
    page's default) or later, so that the figure is the one on the office calendar; the
    month's last day for an earlier month, so that a past month's light stays what it was."""
    today = today or timezone.localdate()
    if period >= add_months(today.replace(day=1), -1):
        return today
    return month_end(period)


def done_by(milestone, as_of: datetime.date) -> bool:
    return milestone.actual_on is not None and milestone.actual_on <= as_of


def overdue_days(milestone, as_of: datetime.date) -> int:
    """逾期天数 of a milestone not done by ``as_of``: calendar days after its planned date (the
    planned day itself is on time, the day after is 1 day overdue); 0 when it was done by then
    or is not due yet."""
    if done_by(milestone, as_of) or milestone.planned_on >= as_of:
        return 0
    return (as_of - milestone.planned_on).days


def late_days(milestone) -> int:
    """Calendar days a done milestone was finished after its planned date (0 when on time)."""
    return max((milestone.actual_on - milestone.planned_on).days, 0)


def wan(value: Decimal) -> str:
    """An amount in 万元 with thousands separators, to the cent unless whole, as the list's
    columns hold it: 1,200 / 1,486.95 / 7,435.30."""
    text = f"{Decimal(value):,.2f}"
    return text.removesuffix(".00")


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
    as_of = as_of_day(period, today)
    done_wan = ytd_wan if ytd_wan is not None else ytd(project, period)
    result = LightResult(Light.GREEN, ytd=done_wan, time_progress=time_progress(period), as_of=as_of)

    def judge(kind, value, label, text):
        part = band_light(rules[kind], value, label)
        if part != Light.GREEN:
            result.parts.append(Reason(part, text))
        result.light = _worse(result.light, part)

    if plan is None:
        result.notes.append(f"无{period.year}年度计划投资，未计投资进度")
    else:
        result.annual_plan = plan.annual_plan_wan
        done = completion_rate(result.ytd, plan.annual_plan_wan)
        if done.value is None:
            result.notes.append(done.note)
        else:
            result.completion = done.value
            result.gap_pp = (done.value - result.time_progress) * 100
            due = (plan.annual_plan_wan * result.time_progress).quantize(Decimal("0.01"))
            judge(
                RuleKind.PROGRESS,
                result.gap_pp,
                "投资进度亮灯规则",
                f"完成投资{wan(result.ytd)}万元，序时应完成{wan(due)}万元，{gap_text(result.gap_pp)}",
            )
    for milestone in project.milestones.all():
        days = overdue_days(milestone, as_of)
        if days:
            judge(
                RuleKind.MILESTONE,
                Decimal(days),
                "节点逾期亮灯规则",
                f"{milestone.get_kind_display()}节点逾期{days}天（计划{milestone.planned_on:%Y-%m-%d}）",
            )
    started = next(
        (m.actual_on for m in project.milestones.all() if m.kind == "start" and done_by(m, as_of)), None
    )
    registered = project.fai_registered and project.fai_registered_on and project.fai_registered_on <= as_of
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


def _number(value, digits=2):
    return None if value is None else round(float(value), digits)


def as_json_row(row: dict) -> dict:
    result, plan = row["result"], row["plan"]
    return {
        "code": row["project"].code,
        "name": row["project"].name,
        "level": plan.level if plan else None,
        "annual_plan": _number(result.annual_plan),
        "ytd": _number(result.ytd),
        "completion": _number(result.completion, 4),
        "time_progress": _number(result.time_progress, 4),
        "light": str(result.light),
        "reason": result.cause,
    }


def lights_by_project(projects, period, today=None) -> dict:
    """project id → LightResult for the month (each project's own plan), in a fixed number of
    queries whatever the number of projects (a list or a queryset)."""
    rules = load_rules()
    if hasattr(projects, "prefetch_related"):
        projects = projects.prefetch_related("plans", "milestones")
    projects = list(projects)
    ytds = ytd_by_project(projects, period)
    return {p.pk: light(p, period, rules=rules, ytd_wan=ytds[p.pk], today=today) for p in projects}


# --- recording ----------------------------------------------------------------------------


def record_progress(
    project, period, *, month_investment_wan, physical_progress="", problems="", reason="", user=None
):
    """Save a month's report as a new version; a correction needs a reason, the old is kept."""
    from .models import MonthlyProgress

    return record_version(
        MonthlyProgress,
        {"project": project, "period": period},
        {
            "month_investment_wan": month_investment_wan,
            "physical_progress": physical_progress,
            "problems": problems,
        },
        reason=reason,
        user=user,
        what="月报",
        when=describe(period),
    )


def escalate(project, period, user, reason: str):
    """Put a red project on the scheduling-meeting list (提级调度)."""
    from .models import Escalation

    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写提级理由"})
    result = light(project, period)
    if result.light != Light.RED:
        raise ValidationError(f"{project}在{describe(period)}为{result.label}，只有红灯项目可以提级调度")
    if Escalation.objects.filter(project=project, decided_on=None).exists():
        raise ValidationError(f"{project}已在调度会议清单上，尚未作出决定")
    return Escalation.objects.create(project=project, period=period, raised_by=user, reason=reason.strip())


def decide(escalation, decision: str, on: datetime.date):
    """Record the scheduling meeting's decision on an escalation."""
    if not (decision or "").strip():
        raise ValidationError({"decision": "请填写调度决定"})
    escalation.decision = decision.strip()
    escalation.decided_on = on
    escalation.save()
    return escalation


# --- the project page: investment curve and milestone timeline -----------------------------


def investment_curve(project, period: datetime.date) -> dict:
    """Month by month of ``period``'s year: the planned cumulative investment (序时, the
    annual plan phased evenly) and the completed cumulative up to ``period`` (None after)."""
    plan = primary_plan(project, period.year)
    monthly = dict(
        current_progress(project)
        .filter(period__year=period.year, period__lte=period)
        .values_list("period__month", "month_investment_wan")
    )
    planned, done, total = [], [], Decimal(0)
    for month in range(1, 13):
        planned.append(None if plan is None else _number(plan.annual_plan_wan * month / 12))
        total += monthly.get(month, Decimal(0))
        done.append(_number(total) if month <= period.month else None)
    return {
        "months": [f"{m}月" for m in range(1, 13)],
        "planned": planned,
        "done": done,
        "plan": _number(plan.annual_plan_wan) if plan else None,
        "title": f"{period.year}年投资完成曲线（万元）",
    }


@dataclass
class TimelineEntry:
    milestone: object
    status: str  # done, late, overdue, pending
    days: int = 0

    @property
    def label(self) -> str:
        return {
            "done": "按期完成",
            "late": f"滞后{self.days}天完成",
            "overdue": f"逾期{self.days}天未完成",
            "pending": "未到计划日期",
        }[self.status]


def timeline(milestones, as_of: datetime.date) -> list[TimelineEntry]:
    """The milestones by planned date, each done on time, late, overdue (planned date passed,
    not done by ``as_of``: the light's ``as_of_day``, so both say the same 逾期天数) or
    pending. A milestone done after ``as_of`` is shown as it stood that day."""
    entries = []
    for m in sorted(milestones, key=lambda m: m.planned_on):
        if done_by(m, as_of):
            late = late_days(m)
            entries.append(TimelineEntry(m, "late" if late else "done", late))
        elif overdue_days(m, as_of):
            entries.append(TimelineEntry(m, "overdue", overdue_days(m, as_of)))
        else:
            entries.append(TimelineEntry(m, "pending"))
    return entries


# --- weekly watch and weekly reports -------------------------------------------------------


def week_of(day: datetime.date) -> datetime.date:
    """The Monday of the day's week (a weekly report is filed under it)."""
    return day - datetime.timedelta(days=day.weekday())


def set_watch(project, user, watched: bool, today: datetime.date | None = None):
    """Put a project on the leader's weekly watch (周调度) or take it off; who and when are
    kept on the project and the change log records it."""
    project.weekly_watch = watched
    project.watch_set_by = user if user is not None and user.is_authenticated else None
    project.watch_set_on = today or datetime.date.today()
    project.save()
    return project


def record_weekly(project, week, *, progress_text, problems="", next_step="", reason="", user=None):
    """Save a week's report as a new version; a correction needs a reason, the old is kept."""
    from .models import WeeklyReport

    if not project.weekly_watch:
        raise ValidationError(f"{project}未列入周调度，无需报送周报")
    if not (progress_text or "").strip():
        raise ValidationError({"progress_text": "请填写本周进展"})
    week = week_of(week)
    return record_version(
        WeeklyReport,
        {"project": project, "week": week},
        {"progress_text": progress_text.strip(), "problems": problems, "next_step": next_step},
        reason=reason,
        user=user,
        what="周报",
        when=f"{week:%Y-%m-%d}所在周",
    )


def weekly_board(projects, week: datetime.date) -> list[dict]:
    """The watched projects with the current report of ``week`` (None: 本周未报)."""
    from .models import WeeklyReport

    watched = list(projects.filter(weekly_watch=True))
    reports = {
        r.project_id: r
        for r in WeeklyReport.objects.filter(project__in=watched, week=week_of(week), is_current=True)
    }
    return [{"project": p, "report": reports.get(p.pk)} for p in watched]


# --- statistics ----------------------------------------------------------------------------

BILLION_WAN = Decimal(10000)  # 亿元以上 = total investment ≥ 1 亿元 = 10 000 万元
DONE_KINDS = ("completed", "production")


def _rate(done, plan):
    return None if not plan else done / plan


def statistics(projects, period: datetime.date, today=None) -> dict:
    """The figures the reports quote for ``period``'s year up to ``period``: 开工亿元以上项目,
    竣工投产, annual plan, YTD and completion by level and by type, and the lights.

    A level row takes every project on that list with that list's plan; a type row and the
    total take each listed project once, with the plan of its highest list."""
    from .choices import ProjectLevel, ProjectType

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


# --- blockers become demands or supervision tasks ------------------------------------------

# The demand category a blocker of each kind becomes by default (demands' seeded categories).
DEMAND_CATEGORY = {
    "land": "用地",
    "power": "用电",
    "approval": "审批手续",
    "funding": "融资",
    "other": "其他",
}


def _check_unconverted(blocker):
    if blocker.demand_id:
        raise ValidationError(f"该堵点已转为企业诉求{blocker.demand.number}，不能重复转办")
    if blocker.task_id:
        raise ValidationError(f"该堵点已转为督办任务{blocker.task.number}，不能重复转办")


def blocker_to_demand(blocker, user, category, at=None):
    """受理 the blocker as a demand of the project's owner enterprise and link it."""
    from django.db import transaction

    from yuanqu.demands.choices import Channel
    from yuanqu.demands.services import receive

    _check_unconverted(blocker)
    project = blocker.project
    if project.enterprise_id is None:
        raise ValidationError(f"项目“{project}”没有业主企业，不能转为企业诉求，可转为督办任务")
    with transaction.atomic():
        demand = receive(
            user,
            enterprise=project.enterprise,
            category=category,
            channel=Channel.VISIT,
            title=f"重点项目{project.code}{blocker.get_kind_display()}问题"[:200],
            description=f"由重点项目“{project}”的堵点转入：{blocker.description}",
            received_at=at,
            text="由重点项目堵点转为诉求",
        )
        blocker.demand = demand
        blocker.save()
    return demand


def blocker_to_task(blocker, user, work_point, due_on, today=None):
    """Open a supervision task (weekly reports) for the blocker's owner department and link it."""
    from django.db import transaction

    from yuanqu.supervision.choices import ReportCycle
    from yuanqu.supervision.services import open_task

    _check_unconverted(blocker)
    today = today or datetime.date.today()
    if due_on < today:
        raise ValidationError({"due_on": "完成时限不能早于今天"})
    project = blocker.project
    with transaction.atomic():
        task = open_task(
            work_point=work_point,
            text=f"协调解决重点项目“{project}”的{blocker.get_kind_display()}问题：{blocker.description}",
            department=blocker.owner_department or project.department,
            leader=project.leader,
            report_cycle=ReportCycle.WEEKLY,
            start_on=today,
            due_on=due_on,
            message="由重点项目堵点转为督办任务",
        )
        blocker.task = task
        blocker.save()
    return task
