"""The demo key projects: about 80 on the 区/市/省 lists this year with monthly progress up
to the last complete month; most on schedule, some behind (yellow), a few red (far behind,
or the start of works overdue); some started or completed this year (the statistics page);
the red ones and a few more on the leader's weekly watch with five weeks of weekly reports,
two of them not yet reported this week. Records are bulk-created (seed data has no author)."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yuanqu.enterprises.models import Enterprise
from yuanqu.users.choices import Role
from yuanqu.users.models import Department, User, Zone
from yuanqu.utilities.periods import add_months

from .choices import BlockerKind, MilestoneKind, ProjectLevel, ProjectType
from .models import Blocker, KeyProject, Milestone, MonthlyProgress, ProjectYearPlan, WeeklyReport
from .services.weekly import week_of

SEED = 2025
TOTAL = 80
FAR_BEHIND = 4  # completion about half of 序时进度: red once the year is under way
START_OVERDUE = 3  # planned to start four months ago and not started: red
WATCHED_EVERY = 9  # besides the red ones, every ninth project is on weekly watch
UNREPORTED = 2  # watched projects without this week's report
WEEKS = 5
CENT = Decimal("0.01")
PRODUCTS = [
    "高纯多晶硅",
    "光伏组件",
    "锂电池正极材料",
    "电子级硅烷",
    "智能装备",
    "新能源汽车零部件",
    "生物医药",
    "精密铸件",
    "特种玻璃",
    "储能电站",
    "半导体封测",
    "工业机器人",
]
WORKS = ["产业园道路", "污水处理厂扩建", "220千伏变电站", "标准厂房", "综合管廊", "供热管网"]
LIVELIHOOD = ["人才公寓", "九年一贯制学校", "社区卫生服务中心", "邻里中心", "公交首末站"]
STAGES = ["土地平整", "桩基施工", "主体结构施工", "主体结构封顶", "设备安装", "设备调试", "试生产"]
BEFORE_START = "前期手续办理"  # the image progress of a project that has not started
FINISHED = "竣工投产"
MONTHS_PER_STAGE = 3


def stage_on(day, started_on, finished_on=None) -> str:
    """The image progress a project shows on ``day``: nothing built before its start, one
    stage per quarter after it, 竣工投产 once finished."""
    if started_on is None or day < started_on:
        return BEFORE_START
    if finished_on is not None and day >= finished_on:
        return FINISHED
    months = (day.year - started_on.year) * 12 + day.month - started_on.month
    return STAGES[min(len(STAGES) - 1, months // MONTHS_PER_STAGE)]


def weekly_text(stage: str, invested_wan) -> str:
    """A weekly report's progress line, quoting the project's own figures."""
    from yuanqu.utilities.templatetags.numbers import number

    if stage == BEFORE_START:
        return f"{BEFORE_START}，尚未开工，本年完成投资{number(invested_wan)}万元"
    return f"{stage}，本年累计完成投资约{number(invested_wan)}万元"


# type → (responsible department, weight)
TYPES = [
    (ProjectType.INDUSTRY, "招商局", 60),
    (ProjectType.INFRASTRUCTURE, "建设局", 25),
    (ProjectType.LIVELIHOOD, "经济发展局", 15),
]


def money(value) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


def generate_projects(today: datetime.date | None = None, park_name: str | None = None) -> int:
    """Build the demo key projects; 0 (nothing changed) without a demo zone or when key
    projects exist already."""
    from yuanqu.enterprises.demo import PARK_NAME

    today = today or timezone.localdate()
    park = Zone.objects.filter(name=park_name or PARK_NAME, parent=None).first()
    if park is None:
        return 0
    created = 0
    with transaction.atomic():
        if not KeyProject.objects.exists():
            created = _build(today, park, random.Random(SEED))
        _weekly(today, random.Random(SEED + 2))
    return created


def _weekly(today, rng):
    """The weekly watch and its reports; nothing when a project is on watch already."""
    if KeyProject.objects.filter(weekly_watch=True).exists():
        return
    year = add_months(today.replace(day=1), -1).year
    codes = [
        f"ZD{year}-{i:03d}"
        for i in range(1, TOTAL + 1)
        if i <= FAR_BEHIND + START_OVERDUE or i % WATCHED_EVERY == 0
    ]
    watched = list(KeyProject.objects.filter(code__in=codes).order_by("code"))
    leader = User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk").first()
    this_week = week_of(today)
    for project in watched:
        project.weekly_watch, project.watch_set_by = True, leader
        project.watch_set_on = this_week - datetime.timedelta(weeks=WEEKS)
    KeyProject.objects.bulk_update(watched, ["weekly_watch", "watch_set_by", "watch_set_on"])
    reports = []
    months = {}
    for row in MonthlyProgress.objects.filter(project__in=watched).values_list(
        "project_id", "period", "month_investment_wan"
    ):
        months.setdefault(row[0], []).append(row[1:])
    dates = {(m.project_id, m.kind): m.actual_on for m in Milestone.objects.filter(project__in=watched)}
    for n, project in enumerate(watched):
        for back in range(WEEKS - 1, -1, -1):
            if back == 0 and n < UNREPORTED:
                continue  # 本周未报
            week = this_week - datetime.timedelta(weeks=back)
            # what the monthly reports say by then: this year's months before the week's month
            invested = sum(
                (
                    v
                    for period, v in months.get(project.pk, [])
                    if period.year == week.year and period < week.replace(day=1)
                ),
                Decimal(0),
            )
            stage = stage_on(
                week,
                dates.get((project.pk, MilestoneKind.START)),
                dates.get((project.pk, MilestoneKind.COMPLETED)),
            )
            steps = (
                ["加快办理施工许可", "协调供电部门接电", "组织专项调度"] if stage == BEFORE_START else None
            )
            reports.append(
                WeeklyReport(
                    project=project,
                    week=week,
                    progress_text=weekly_text(stage, invested),
                    problems=rng.choice(["", "", "施工用电容量不足", "用地手续待办理", "设备到货延迟"]),
                    next_step=rng.choice(
                        steps or ["推进主体施工", "协调供电部门接电", "加快设备安装", "组织专项调度"]
                    ),
                )
            )
    WeeklyReport.objects.bulk_create(reports)


def _name(rng, kind, i):
    if kind == ProjectType.INDUSTRY:
        return f"年产{rng.choice([5, 10, 20, 30, 50])}万吨{rng.choice(PRODUCTS)}项目（{i}期）"
    if kind == ProjectType.INFRASTRUCTURE:
        return f"{rng.choice(WORKS)}工程（{i}标段）"
    return f"{rng.choice(LIVELIHOOD)}建设项目（{i}号）"


def _build(today, park, rng):
    last = add_months(today.replace(day=1), -1)
    year = last.year
    departments = {d.name: d for d in Department.objects.filter(name__in=[name for _, name, _ in TYPES])}
    leaders = list(User.objects.filter(role=Role.LEADER, is_active=True)[:3])
    enterprises = list(Enterprise.objects.filter(zone_id__in=park.subtree_ids()).order_by("pk")[:200])
    kinds = [kind for kind, _, weight in TYPES for _ in range(weight)]
    department_of = {kind: departments.get(name) for kind, name, _ in TYPES}
    projects, factors = [], []
    for i in range(1, TOTAL + 1):
        kind = rng.choice(kinds)
        total = money(rng.choice([1, 2, 3, 5, 8, 12, 20, 50]) * rng.uniform(5000, 10000))
        projects.append(
            KeyProject(
                code=f"ZD{year}-{i:03d}",
                name=_name(rng, kind, i),
                type=kind,
                enterprise=rng.choice(enterprises) if kind == ProjectType.INDUSTRY and enterprises else None,
                total_investment_wan=total,
                leader=rng.choice(leaders) if leaders else None,
                department=department_of[kind],
                liaison=rng.choice(["张伟", "李娜", "王强", "刘洋", "陈静", "杨帆"]),
                image_progress=rng.choice(STAGES),
            )
        )
        if i <= FAR_BEHIND:
            factors.append(rng.uniform(0.35, 0.5))
        elif i % 6 == 0:
            factors.append(rng.uniform(0.85, 0.92))
        else:
            factors.append(rng.uniform(0.97, 1.3))
    projects = KeyProject.objects.bulk_create(projects)
    this_year = random.Random(SEED + 1)
    plans, milestones, reports, blockers = [], [], [], []
    months = [datetime.date(year, m, 1) for m in range(1, last.month + 1)]
    for i, (project, factor) in enumerate(zip(projects, factors, strict=True), start=1):
        annual = money(project.total_investment_wan * Decimal(str(rng.uniform(0.25, 0.5))))
        plans.append(
            ProjectYearPlan(project=project, year=year, level=ProjectLevel.DISTRICT, annual_plan_wan=annual)
        )
        if i % 3 == 0 or i <= FAR_BEHIND:
            plans.append(
                ProjectYearPlan(project=project, year=year, level=ProjectLevel.CITY, annual_plan_wan=annual)
            )
        if i % 10 == 0:
            plans.append(
                ProjectYearPlan(
                    project=project, year=year, level=ProjectLevel.PROVINCE, annual_plan_wan=annual
                )
            )
        overdue = FAR_BEHIND < i <= FAR_BEHIND + START_OVERDUE
        registered = i % 15 != 7  # a few started a month ago and not yet in the FAI register: yellow
        if overdue:
            start = add_months(last, -4)
        elif not registered:
            start = last - datetime.timedelta(days=30)
        else:
            start = add_months(datetime.date(year, 1, 1), -rng.randint(1, 14))
            if i % 4 == 1 and last.month > 2:  # started this year: 开工 in the statistics
                start = datetime.date(year, this_year.randint(1, last.month - 2), 10)
        milestones.append(
            Milestone(
                project=project,
                kind=MilestoneKind.LAND,
                planned_on=start - datetime.timedelta(days=60),
                actual_on=start - datetime.timedelta(days=rng.randint(40, 80)),
            )
        )
        milestones.append(
            Milestone(
                project=project,
                kind=MilestoneKind.START,
                planned_on=start,
                actual_on=None if overdue else start + datetime.timedelta(days=rng.randint(0, 20)),
            )
        )
        completed = Milestone(
            project=project,
            kind=MilestoneKind.COMPLETED,
            planned_on=datetime.date(year + rng.randint(0, 2), 12, 31),
        )
        if i % 7 == 3 and start.year < year and not overdue:  # 竣工投产 this year
            completed.planned_on = datetime.date(year, last.month, 1)
            completed.actual_on = datetime.date(year, this_year.randint(1, last.month), 15)
        milestones.append(completed)
        if not overdue:
            project.fai_registered = registered
            project.fai_registered_on = start + datetime.timedelta(days=25) if registered else None
        started_on, finished_on = milestones[-2].actual_on, completed.actual_on
        project.image_progress = stage_on(today, started_on, finished_on)
        for period in months:
            share = Decimal(str(factor * rng.uniform(0.8, 1.2) / 12))
            month_end = add_months(period, 1) - datetime.timedelta(days=1)
            reports.append(
                MonthlyProgress(
                    project=project,
                    period=period,
                    month_investment_wan=money(annual * share) if started_on is not None else Decimal(0),
                    physical_progress=stage_on(month_end, started_on, finished_on),
                )
            )
        if factor < 0.95 or overdue:
            blockers.append(
                Blocker(
                    project=project,
                    kind=rng.choice(list(BlockerKind)),
                    description=rng.choice(
                        ["用地指标尚未落实", "施工用电未接入", "施工许可待办理", "项目贷款未到位"]
                    ),
                    owner_department=project.department,
                    deadline=last + datetime.timedelta(days=rng.randint(10, 40)),
                )
            )
    KeyProject.objects.bulk_update(projects, ["fai_registered", "fai_registered_on", "image_progress"])
    ProjectYearPlan.objects.bulk_create(plans)
    Milestone.objects.bulk_create(milestones)
    MonthlyProgress.objects.bulk_create(reports)
    Blocker.objects.bulk_create(blockers)
    return len(projects)
