"""Escalation of overdue demands (督办): 催办 → 督办单 → 通报, on the working-day clock.

A demand escalates while it is overdue and not yet acted on: its status is one of
``ESCALATING_STATUSES`` (答复 stops it: the demand then waits for the enterprise's
confirmation or the call-back, which is not the holder's delay; 办结 and 转办 stop it too) and today is after ``due_on`` (an approved
extension moves ``due_on`` and starts over from no level). Counting ``d`` =
``workdays_between(due_on, today)``, the working days overdue (the first working day after
the deadline is d = 1), the level due is

* 催办 from d = 1,
* 督办单 from d = ``YUANQU_DEMAND_SUPERVISE_AFTER_WORKDAYS`` (default 3),
* 通报 from d = ``YUANQU_DEMAND_CIRCULATE_AFTER_WORKDAYS`` (default 5, the "written
  criticism 5 working days after" of REFERENCE §9 [S41]).

A sweep (``yuanqu escalate``, daily) runs only on working days. A level reached for the
first time fires at once; the same level repeats every
``YUANQU_DEMAND_ESCALATION_REPEAT_WORKDAYS`` working days (default 2) after its last firing;
at most one step per demand per day. Each step is a ``DemandEvent`` with no actor (the
system), sets the demand's current level, and notifies the holder, the users of the holding
department and whoever assigned it, in the application and by e-mail.

Worked example (defaults), due Thursday 2024-09-26: 催办 Fri 09-27 (d=1); Sunday 09-29 is
a make-up working day (d=2), nothing; 督办单 Mon 09-30 (d=3); National Day; 10-08 (d=4)
nothing; 通报 Wed 10-09 (d=5); repeated Fri 10-11 and Mon 10-14 (Saturday 10-12, a make-up
working day, counts) …
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yuanqu.core.context import acting_as
from yuanqu.core.workdays import WorkCalendar, workdays_between
from yuanqu.notifications.services import notify
from yuanqu.users.choices import Role
from yuanqu.users.models import User

from .choices import ESCALATING_STATUSES, EscalationLevel
from .models import Demand, DemandEvent

L = EscalationLevel
ORDER = [L.URGE, L.SUPERVISE, L.CIRCULATE]
NOTIFICATION_KIND = "demand_escalation"


@dataclass(frozen=True)
class Policy:
    supervise_after: int
    circulate_after: int
    repeat: int

    @classmethod
    def from_settings(cls):
        return cls(
            supervise_after=settings.YUANQU_DEMAND_SUPERVISE_AFTER_WORKDAYS,
            circulate_after=settings.YUANQU_DEMAND_CIRCULATE_AFTER_WORKDAYS,
            repeat=max(1, settings.YUANQU_DEMAND_ESCALATION_REPEAT_WORKDAYS),
        )

    def level_for(self, overdue: int) -> str | None:
        if overdue >= self.circulate_after:
            return L.CIRCULATE
        if overdue >= self.supervise_after:
            return L.SUPERVISE
        if overdue >= 1:
            return L.URGE
        return None


@dataclass
class Step:
    demand: Demand
    level: str
    overdue: int
    repeat: bool

    @property
    def label(self) -> str:
        return L(self.level).label


def due_step(demand, today, calendar=None, policy=None) -> Step | None:
    """The step this demand takes today, or None."""
    if demand.status not in ESCALATING_STATUSES or demand.due_on is None or today <= demand.due_on:
        return None
    calendar = calendar or WorkCalendar()
    policy = policy or Policy.from_settings()
    if not calendar.is_workday(today):
        return None
    if demand.escalated_on is not None and demand.escalated_on >= today:
        return None  # never twice on the same day
    overdue = workdays_between(demand.due_on, today, calendar)
    target = policy.level_for(overdue)
    current = demand.escalation_level
    if target is None:
        return None
    if current and ORDER.index(current) > ORDER.index(target):
        target = current  # the thresholds were raised since: never step down
    if target != current:
        return Step(demand, target, overdue, repeat=False)
    if demand.escalated_on is None or workdays_between(demand.escalated_on, today, calendar) >= policy.repeat:
        return Step(demand, target, overdue, repeat=True)
    return None


def recipients(demand) -> list:
    """The holder, the users of the holding department, and whoever assigned it."""
    users = []
    if demand.holder_user_id:
        users.append(demand.holder_user)
    if demand.holder_department_id:
        users += list(
            User.objects.filter(
                department_id=demand.holder_department_id, role__in=(Role.STAFF, Role.LEADER), is_active=True
            ).order_by("pk")
        )
    if demand.assigned_by_id:
        users.append(demand.assigned_by)
    return users


def moment(today):
    if today == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time(9, 0)))


def step_text(step: Step, count: int) -> str:
    demand = step.demand
    return (
        f"办理期限{demand.due_on:%Y-%m-%d}，已超期{step.overdue}个工作日。"
        f"第{count}次{step.label}：请{demand.holder_display}尽快办理并答复企业。"
    )


def notify_step(step: Step, text: str, at, email=True):
    demand = step.demand
    return notify(
        recipients(demand),
        f"【{step.label}】诉求{demand.number}已超期{step.overdue}个工作日",
        f"{demand.number} {demand.title}（{demand.enterprise}）\n{text}",
        link=demand.get_absolute_url(),
        kind=NOTIFICATION_KIND,
        email=email,
        at=at,
    )


def fire(step: Step, today) -> DemandEvent:
    """Record the step on the demand and notify; one transaction per demand."""
    demand = step.demand
    text = step_text(step, demand.events.filter(action=step.level).count() + 1)
    at = moment(today)
    with transaction.atomic():
        demand.escalation_level = step.level
        demand.escalated_on = today
        demand._change_message = step.label
        demand.save()
        event = DemandEvent.objects.create(
            demand=demand,
            action=step.level,
            actor=None,
            time=at,
            text=text,
            from_status=demand.status,
            to_status=demand.status,
        )
        notify_step(step, text, at)
    return event


def candidates(today):
    return (
        Demand.objects.filter(status__in=ESCALATING_STATUSES, due_on__lt=today)
        .filter(Q(escalated_on__isnull=True) | Q(escalated_on__lt=today))
        .select_related("enterprise", "holder_user", "holder_department", "assigned_by")
        .order_by("due_on", "pk")
    )


def sweep(today: datetime.date | None = None, dry_run: bool = False) -> list[Step]:
    """Take today's escalation steps (only list them when ``dry_run``)."""
    today = today or timezone.localdate()
    calendar = WorkCalendar()
    policy = Policy.from_settings()
    if not calendar.is_workday(today):
        return []
    steps = [s for d in candidates(today) if (s := due_step(d, today, calendar, policy))]
    if not dry_run:
        with acting_as(None, source="system"):
            for step in steps:
                fire(step, today)
    return steps


def replay(demand, today, calendar=None, policy=None) -> list[tuple[datetime.date, Step]]:
    """The steps daily sweeps would have taken from the deadline to ``today`` (the demo's
    history); the demand's level is advanced in memory only."""
    calendar = calendar or WorkCalendar()
    policy = policy or Policy.from_settings()
    fired = []
    if demand.due_on is None:
        return fired
    day = demand.due_on + datetime.timedelta(days=1)
    while day <= today:
        step = due_step(demand, day, calendar, policy)
        if step is not None:
            fired.append((day, step))
            demand.escalation_level, demand.escalated_on = step.level, day
        day += datetime.timedelta(days=1)
    return fired
