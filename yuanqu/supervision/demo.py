"""The demo supervision: about 60 tasks decomposed from this year's 工作要点 with reports on
their cycles (a few tasks behind on reports, a few overdue), each with a supporting department,
one rectification list of 15 items (most closed with evidence, one reopened by 回头看), and the
last two months' 月小结 computed with the default rules (so the ranking shows a change).
Tasks are bulk-created (seed data has no author); a rerun adds nothing."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from yuanqu.users.choices import Role
from yuanqu.users.models import Department, User, Zone

from . import assessment
from .choices import PeriodKind, ReportCycle, ReviewResult, TaskStatus, WorkPointSource
from .models import (
    AssessmentNotice,
    AssessmentPeriod,
    LookbackReview,
    RectificationItem,
    Task,
    TaskMilestone,
    TaskReport,
    WorkPoint,
)
from .services import next_report_due

SEED = 2026
WORK_POINTS = [
    ("优化营商环境", WorkPointSource.WORK_POINT),
    ("扩大有效投资", WorkPointSource.WORK_POINT),
    ("招大引强", WorkPointSource.WORK_POINT),
    ("产业链强链补链", WorkPointSource.WORK_POINT),
    ("科技创新", WorkPointSource.WORK_POINT),
    ("安全生产", WorkPointSource.WORK_POINT),
    ("生态环保", WorkPointSource.WORK_POINT),
    ("民生实事", WorkPointSource.WORK_POINT),
    ("党工委会议决定事项", WorkPointSource.MEETING),
    ("主要领导批示事项", WorkPointSource.INSTRUCTION),
]
TASK_TEXTS = [
    ("推进{n}项审批事项“一网通办”", "办理时限压缩{p}%"),
    ("新签约亿元以上项目{n}个", "全年完成{n}个"),
    ("新开工重点项目{n}个", "年度投资完成率{p}%"),
    ("培育规上工业企业{n}家", "新增规上企业{n}家"),
    ("建设标准厂房{n}万平方米", "年底前竣工{n}万平方米"),
    ("开展安全隐患排查整治{n}轮", "隐患整改率{p}%"),
    ("实施污水管网改造{n}公里", "年底前完成{n}公里"),
    ("新增高新技术企业{n}家", "认定{n}家"),
]
PROBLEMS = [
    ("涉企检查多头重复", "检查频次下降30%", "推行“综合查一次”"),
    ("项目审批材料重复提交", "材料精简40%", "建立材料共享库"),
    ("园区道路照明缺失", "主干道亮灯率100%", "增设路灯并纳入日常巡查"),
    ("企业诉求办理超期", "按时办结率95%以上", "实行周调度、月通报"),
    ("危化品企业隐患整改不到位", "重大隐患清零", "挂牌督办、逐项销号"),
]


def generate_supervision(today: datetime.date | None = None) -> int:
    """Build the demo tasks and rectification list; 0 (nothing changed) without a demo zone
    or when tasks exist already."""
    from yuanqu.enterprises.demo import PARK_NAME

    today = today or timezone.localdate()
    if not Zone.objects.filter(name=PARK_NAME, parent=None).exists():
        return 0
    with transaction.atomic():
        _inspector()
        built = 0 if Task.objects.exists() else _build(today, random.Random(SEED))
        _assessments(today)
    return built


def _inspector():
    """The demo login of the 督查室 (督查人员), created once."""
    from yuanqu.enterprises.demo import DEMO_PASSWORD

    office = Department.objects.filter(name="督查室").first()
    if office is None or User.objects.filter(username="inspector").exists():
        return
    user = User(username="inspector", name="郑督查", role=Role.INSPECTOR, department=office)
    user.set_password(DEMO_PASSWORD)
    user.save()


def _month_period(first: datetime.date) -> AssessmentPeriod:
    """The 月小结 of the month starting ``first``, with the default rules (created once)."""
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    period, _ = AssessmentPeriod.objects.get_or_create(
        name=f"{first.year}年{first.month}月",
        defaults={"kind": PeriodKind.MONTH, "start_on": first, "end_on": last},
    )
    return period


def _assessments(today):
    """The last two months' 月小结, computed, so the ranking shows a change of rank."""
    this_month = today.replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    before = (last_month - datetime.timedelta(days=1)).replace(day=1)
    for first in (before, last_month):
        period = _month_period(first)
        if period.scores.exists():
            continue
        if first == last_month and not period.notices.exists():
            department = (
                Task.objects.exclude(department=None)
                .order_by("number")
                .values_list("department", flat=True)
                .first()
            )
            if department:
                AssessmentNotice.objects.create(
                    period=period,
                    department_id=department,
                    issued_on=min(today, period.end_on),
                    text="重点任务进展滞后，周报连续两次迟报",
                )
        assessment.save(period, assessment.compute(period, today=today))


def _build(today, rng):
    year = today.year
    start = datetime.date(year, 1, 2)
    departments = list(Department.objects.exclude(name="督查室").order_by("pk")) or [None]
    leaders = list(User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk")[:3]) or [None]
    reporters = {}
    for user in User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk"):
        reporters.setdefault(user.department_id, user)
    points = WorkPoint.objects.bulk_create(
        WorkPoint(year=year, number=f"{i:02d}", title=title, source=source)
        for i, (title, source) in enumerate(WORK_POINTS, 1)
    )
    tasks = []
    for i in range(60):
        text, target = rng.choice(TASK_TEXTS)
        n, p = rng.randint(3, 30), rng.choice([20, 30, 50, 95, 100])
        due_on = datetime.date(year, rng.choice([3, 6, 9, 12]), 28 if i % 7 else 15)
        if i < 4:  # overdue now
            due_on = today - datetime.timedelta(days=5 + 7 * i)
        cycle = (
            ReportCycle.WEEKLY if i % 8 == 0 else ReportCycle.QUARTERLY if i % 5 == 0 else ReportCycle.MONTHLY
        )
        if i < 4:
            status = TaskStatus.OVERDUE
        elif i == 4:
            status = TaskStatus.CANCELLED
        elif due_on < today:
            status = TaskStatus.DONE
        elif i % 9 == 0:
            status = TaskStatus.AT_RISK
        else:
            status = TaskStatus.ON_TRACK
        tasks.append(
            Task(
                number=f"DB{year}-{i + 1:03d}",
                work_point=points[i % len(points)],
                text=text.format(n=n, p=p),
                target=target.format(n=n, p=p),
                department=departments[i % len(departments)],
                leader=rng.choice(leaders),
                report_cycle=cycle,
                start_on=start,
                due_on=due_on,
                status=status,
                # A few done late (every sixth), the rest a few days early.
                done_on=min(today, due_on + datetime.timedelta(days=3 if i % 6 == 0 else -2))
                if status == TaskStatus.DONE
                else None,
                cancel_reason="并入年度重点项目统一调度" if status == TaskStatus.CANCELLED else "",
            )
        )
    tasks = Task.objects.bulk_create(tasks)
    through = Task.supporting_departments.through
    through.objects.bulk_create(
        through(task_id=task.pk, department_id=dept.pk)
        for i, task in enumerate(tasks)
        if len(departments) > 1 and departments[0] is not None
        for dept in [departments[(i + 1) % len(departments)]]
    )
    milestones, reports = [], []
    for i, task in enumerate(tasks):
        half = start + (task.due_on - start) / 2
        for text, due in [
            (f"{half.month}月底前完成过半", half),
            (f"{task.due_on.month}月底前全面完成", task.due_on),
        ]:
            milestones.append(
                TaskMilestone(task=task, text=text, due_on=due, done_on=due if due < today else None)
            )
        # The demo has few staff accounts: a department without one reports through the first.
        reporter = reporters.get(task.department_id) or next(iter(reporters.values()), None)
        if reporter is None or task.status == TaskStatus.CANCELLED:
            continue
        end = min(today, task.due_on) - datetime.timedelta(days=40 if i % 11 == 5 else 0)  # a few behind
        day = next_report_due(task.report_cycle, start)
        days = []
        while day <= end:
            days.append(day)
            day = next_report_due(task.report_cycle, day)
        for k, day in enumerate(days, 1):
            percent = (
                100
                if task.status == TaskStatus.DONE and k == len(days)
                else min(95, round(100 * k / (len(days) + 2)))
            )
            reports.append(
                TaskReport(
                    task=task,
                    reported_on=day,
                    progress=f"累计完成年度目标的{percent}%",
                    percent=percent,
                    problems="要素保障存在缺口" if task.status == TaskStatus.AT_RISK else "",
                    next_step="加快推进，按节点完成",
                    reporter=reporter,
                )
            )
    TaskMilestone.objects.bulk_create(milestones)
    TaskReport.objects.bulk_create(reports)
    _rectifications(today, departments)
    return len(tasks)


def _rectifications(today, departments):
    list_name = f"{today.year}年营商环境专项督查整改清单"
    items = []
    for i in range(15):
        problem, requirement, measures = PROBLEMS[i % len(PROBLEMS)]
        due_on = today + datetime.timedelta(days=30 * (i - 8))
        closed = i < 10
        items.append(
            RectificationItem(
                list_name=list_name,
                number=str(i + 1),
                problem=problem,
                requirement=requirement,
                measures=measures,
                department=departments[i % len(departments)],
                due_on=due_on,
                evidence="整改台账及现场照片" if closed or i == 10 else "",
                evidence_file=f"整改佐证{i + 1}.pdf" if closed or i == 10 else "",
                closed_on=min(today, due_on) if closed else None,
            )
        )
    items = RectificationItem.objects.bulk_create(items)
    LookbackReview.objects.bulk_create(
        [
            LookbackReview(
                item=items[0], reviewed_on=today, result=ReviewResult.PASSED, note="抽查未发现反弹"
            ),
            LookbackReview(item=items[1], reviewed_on=today, result=ReviewResult.PASSED, note="整改成效巩固"),
            # Item 11 was closed, then reopened by 回头看: open again, its evidence kept.
            LookbackReview(
                item=items[10], reviewed_on=today, result=ReviewResult.REOPENED, note="问题反弹，重新整改"
            ),
        ]
    )
