"""The demand workflow, the lights and the statistics.

Every transition is a plain function ``action(demand, user, ..., at=None)``: it checks that
the step is legal in the demand's status (``IllegalTransition`` otherwise) and that the user
holds the current step (``NotHolder``, a ``PermissionDenied``: 403 in the views), then saves
the demand (the change log records the fields) and writes one ``DemandEvent``.

Who holds a step (首问负责制): after receipt the receiving staff member (a grid worker's or an
enterprise's submission is held by the receiving department); after 交办 the responsible
department's staff; after 退回 the dispatcher who assigned it. Leaders approve extensions.

Closing (办结): the holder answers (答复) and the demand waits for the enterprise. An enterprise
with an account confirms in the portal with its rating (确认办结: 满意 / 基本满意 / 不满意) or
sends it back with its reason (重新办理: 办理中 again, with a new deadline). An enterprise
without an account (no active enterprise user) is called back by the holder, who records whom
they called, when, and the rating (回访), or the enterprise's wish to have it redone (重新办理).
The holder can no longer close a demand on their own.

The clock (REFERENCE §9.1): ``due_on`` is ``core.workdays.deadline`` of the receipt time,
recomputed from the assignment time when the demand is assigned, and from the reopening
when the enterprise sends the answer back, with the category's limit. It stops at 答复.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from yuanqu.core.changelog import logged_m2m
from yuanqu.core.workdays import WorkCalendar, add_workdays, deadline, received_on, workdays_between
from yuanqu.notifications.services import notify
from yuanqu.users.choices import Role
from yuanqu.users.models import User
from yuanqu.utilities.concurrency import refresh_locked

from .choices import (
    AWAITING_STATUSES,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Channel,
    DemandAction,
    DemandStatus,
    Light,
    Satisfaction,
)
from .models import Demand, DemandEvent

S = DemandStatus
A = DemandAction
ACTION_LABELS = dict(DemandAction.choices)
STATUS_LABELS = dict(DemandStatus.choices)
STAFF_ROLES = (Role.STAFF, Role.LEADER)

# The statuses each action may start from.
ALLOWED_FROM = {
    A.ASSIGN: (S.RECEIVED, S.RETURNED),
    A.FORWARD: (S.RECEIVED, S.RETURNED),
    A.ACCEPT: (S.ASSIGNED,),
    A.RETURN: (S.ASSIGNED, S.ACCEPTED),
    A.START: (S.ACCEPTED,),
    A.ANSWER: (S.ACCEPTED, S.IN_PROGRESS),
    A.CONFIRM: (S.ANSWERED,),
    A.REOPEN: (S.ANSWERED,),
    A.FOLLOW_UP: (S.ANSWERED,),
    A.ACKNOWLEDGE: (S.FORWARDED,),
    A.REQUEST_EXTENSION: (S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS),
    A.APPROVE_EXTENSION: (S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS),
    A.REJECT_EXTENSION: (S.ASSIGNED, S.ACCEPTED, S.IN_PROGRESS),
}
# The grant an action view fetches the demand with (404 when the user lacks it).
ACTION_GRANT = {action: "change" for action in ALLOWED_FROM}
ACTION_GRANT.update(
    {
        A.CONFIRM: "view",  # the enterprise's users see their demands, they do not edit them
        A.REOPEN: "view",
        A.APPROVE_EXTENSION: "approve_extension",
        A.REJECT_EXTENSION: "approve_extension",
    }
)
NOTIFICATION_KIND = "demand_workflow"


class DemandError(Exception):
    """A workflow step refused, with the reason in Chinese."""


class IllegalTransition(DemandError):
    pass


class NotHolder(DemandError, PermissionDenied):
    pass


def is_holder(user, demand) -> bool:
    if demand.holder_user_id:
        return demand.holder_user_id == user.pk
    if demand.holder_department_id:
        return user.role in STAFF_ROLES and user.department_id == demand.holder_department_id
    return False


def account_exists():
    """A filter expression: the demand's enterprise has an active enterprise user."""
    return Exists(
        User.objects.filter(role=Role.ENTERPRISE, enterprise_id=OuterRef("enterprise_id"), is_active=True)
    )


def with_account(demands):
    """The demands annotated with ``enterprise_has_account`` (no query per demand later)."""
    return demands.annotate(enterprise_has_account=account_exists())


def enterprise_has_account(demand) -> bool:
    """Whether the enterprise can confirm in the portal itself (else the holder calls back)."""
    value = getattr(demand, "enterprise_has_account", None)
    if value is None:
        value = User.objects.filter(
            role=Role.ENTERPRISE, enterprise_id=demand.enterprise_id, is_active=True
        ).exists()
        demand.enterprise_has_account = value
    return value


def _is_own_enterprise(user, demand) -> bool:
    return user.role == Role.ENTERPRISE and user.enterprise_id == demand.enterprise_id


def _state_allows(demand, action) -> bool:
    if demand.status not in ALLOWED_FROM[action]:
        return False
    if action == A.FOLLOW_UP:
        return not enterprise_has_account(demand)
    pending = demand.extension_days is not None
    if action == A.REQUEST_EXTENSION:
        return not pending
    if action in (A.APPROVE_EXTENSION, A.REJECT_EXTENSION):
        return pending
    if action == A.ACKNOWLEDGE:
        return demand.forward_acknowledged_at is None
    return True


def _user_allows(user, demand, action) -> bool:
    if action in (A.APPROVE_EXTENSION, A.REJECT_EXTENSION):
        return user.role == Role.LEADER
    if action == A.CONFIRM:
        return _is_own_enterprise(user, demand)
    if action == A.REOPEN:
        if _is_own_enterprise(user, demand):
            return True
        return not enterprise_has_account(demand) and is_holder(user, demand)
    return is_holder(user, demand)


def can_act(user, demand, action) -> bool:
    """Whether this user may take this step on the demand now."""
    return _state_allows(demand, action) and _user_allows(user, demand, action)


def available_actions(user, demand) -> list[str]:
    return [action for action in ALLOWED_FROM if can_act(user, demand, action)]


def _check(demand, user, action):
    if not _state_allows(demand, action):
        status = STATUS_LABELS[demand.status]
        if action == A.REQUEST_EXTENSION and demand.status in ALLOWED_FROM[action]:
            raise IllegalTransition(f"诉求{demand.number}已有待审批的延期申请，不能重复申请")
        if action in (A.APPROVE_EXTENSION, A.REJECT_EXTENSION) and demand.status in ALLOWED_FROM[action]:
            raise IllegalTransition(f"诉求{demand.number}没有待审批的延期申请")
        if action == A.ACKNOWLEDGE and demand.status == S.FORWARDED:
            raise IllegalTransition(f"诉求{demand.number}的转办已确认")
        if action == A.FOLLOW_UP and demand.status in ALLOWED_FROM[action]:
            raise IllegalTransition(
                f"{demand.enterprise}有企业端账号，诉求{demand.number}须由企业在企业端确认办结，不能电话回访"
            )
        raise IllegalTransition(f"诉求{demand.number}当前状态为“{status}”，不能{ACTION_LABELS[action]}")
    if not _user_allows(user, demand, action):
        if action in (A.APPROVE_EXTENSION, A.REJECT_EXTENSION):
            raise NotHolder("只有领导可以审批延期申请")
        if action == A.CONFIRM:
            raise NotHolder(f"只有提出诉求的企业（{demand.enterprise}）可以确认办结")
        if action == A.REOPEN:
            raise NotHolder(
                f"只有提出诉求的企业（{demand.enterprise}）可以要求重新办理；企业无账号时由承办人回访后办理"
            )
        raise NotHolder(
            f"诉求{demand.number}当前由“{demand.holder_display}”承办，您不能{ACTION_LABELS[action]}"
        )


def _event(demand, user, action, at, text="", from_status=""):
    return DemandEvent.objects.create(
        demand=demand,
        action=action,
        actor=user,
        time=at,
        text=text,
        from_status=from_status,
        to_status=demand.status,
    )


def _step(demand, user, action, text="", at=None, **changes):
    """Check, apply the changes, save and write the event. The check reads the demand as it
    is now, under a row lock (``refresh_locked``): two people taking the same step at once,
    or a page opened before someone else's step, cannot apply it twice."""
    at = at or timezone.now()
    with transaction.atomic():
        refresh_locked(demand)
        _check(demand, user, action)
        before = demand.status
        for name, value in changes.items():
            setattr(demand, name, value(at) if callable(value) else value)
        demand._change_message = ACTION_LABELS[action]
        demand.save()
        _event(demand, user, action, at, text, before)
    return demand


def _require(text, what):
    if not (text or "").strip():
        raise DemandError(f"请填写{what}")


# --- the steps -------------------------------------------------------------------------


def next_number(year: int) -> str:
    prefix = f"SQ{year}-"
    last = (
        Demand.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{serial:04d}"


def receive(
    user, *, enterprise, category, channel, title, description, received_at=None, external_number="", text=""
):
    """受理: a new demand, held by its receiver (首问负责制) until it is assigned."""
    received_at = received_at or timezone.now()
    if user.role in STAFF_ROLES:
        holder_user, holder_department = user, None
    elif user.role == Role.ENTERPRISE:
        holder_user, holder_department = None, enterprise.department or user.department
        channel = Channel.PORTAL
    else:
        holder_user, holder_department = None, user.department
    with transaction.atomic():
        demand = Demand(
            number=next_number(timezone.localtime(received_at).year),
            enterprise=enterprise,
            category=category,
            channel=channel,
            external_number=external_number,
            title=title,
            description=description,
            received_at=received_at,
            received_by=user,
            status=S.RECEIVED,
            holder_user=holder_user,
            holder_department=holder_department,
            department=holder_department or user.department,
            due_on=deadline(received_at, category.time_limit_workdays),
        )
        demand._change_message = ACTION_LABELS[A.RECEIVE]
        demand.save()
        _event(demand, user, A.RECEIVE, received_at, text)
    return demand


def assign(demand, user, department, supporting=(), text="", at=None, workdays=None):
    """交办 to a responsible department; the deadline runs from the assignment."""
    limit = workdays if workdays is not None else demand.category.time_limit_workdays
    demand = _step(
        demand,
        user,
        A.ASSIGN,
        text,
        at,
        status=S.ASSIGNED,
        holder_user=None,
        holder_department=department,
        department=department,
        assigned_by=user,
        assigned_at=lambda at: at,
        due_on=lambda at: deadline(at, limit),
    )
    with logged_m2m(demand, ["supporting_departments"]):
        demand.supporting_departments.set([d for d in supporting if d.pk != department.pk])
    return demand


def accept(demand, user, text="", at=None):
    """签收 by the responsible department."""
    return _step(demand, user, A.ACCEPT, text, at, status=S.ACCEPTED)


def start(demand, user, text="", at=None):
    return _step(demand, user, A.START, text, at, status=S.IN_PROGRESS)


def answer(demand, user, text, at=None):
    """答复: the answer to the enterprise; the demand now waits for its confirmation."""
    _require(text, "答复内容")
    demand = _step(
        demand, user, A.ANSWER, text, at, status=S.ANSWERED, answer=text, answered_at=lambda at: at
    )
    if enterprise_has_account(demand):
        _notify(
            User.objects.filter(role=Role.ENTERPRISE, enterprise_id=demand.enterprise_id, is_active=True),
            demand,
            f"诉求{demand.number}已答复，请确认",
            f"{demand.title}\n答复：{text}\n请在企业端确认办结并评价，或要求重新办理。",
        )
    return demand


def _rating(satisfaction):
    if satisfaction not in Satisfaction.values:
        raise DemandError("请选择满意度（满意、基本满意、不满意）")


def confirm(demand, user, satisfaction, text="", at=None):
    """确认办结 by the enterprise in the portal, with its rating: the demand is 办结."""
    _rating(satisfaction)
    return _step(
        demand,
        user,
        A.CONFIRM,
        text,
        at,
        status=S.CLOSED,
        satisfaction=satisfaction,
        followed_up_at=lambda at: at,
        closed_at=lambda at: at,
    )


def follow_up(demand, user, satisfaction, contact, text="", at=None):
    """回访 by the holder when the enterprise has no account: whom they called (``contact``),
    when (``at``, not in the future nor before the answer) and the rating; the demand is 办结."""
    _rating(satisfaction)
    _require(contact, "回访对象（接听电话的企业人员）")
    now = timezone.now()
    at = at or now
    if at > now:
        raise DemandError("回访时间不能晚于当前时间")
    if demand.answered_at and at < demand.answered_at:
        answered = timezone.localtime(demand.answered_at)
        raise DemandError(f"回访时间不能早于答复时间{answered:%Y-%m-%d %H:%M}")
    return _step(
        demand,
        user,
        A.FOLLOW_UP,
        text,
        at,
        status=S.CLOSED,
        satisfaction=satisfaction,
        follow_up_contact=contact.strip(),
        followed_up_at=at,
        closed_at=at,
    )


def reopen(demand, user, reason, at=None):
    """重新办理: the enterprise is not satisfied with the answer. Back to the holding department,
    办理中 with a new deadline (the category's limit from now) and no escalation yet."""
    _require(reason, "重新办理的理由")
    limit = demand.category.time_limit_workdays
    demand = _step(
        demand,
        user,
        A.REOPEN,
        f"不满意，要求重新办理：{reason.strip()}",
        at,
        status=S.IN_PROGRESS,
        satisfaction="",
        answered_at=None,
        due_on=lambda at: deadline(at, limit),
        escalation_level="",
        escalated_on=None,
    )
    if demand.holder_department_id:
        staff = User.objects.filter(
            department_id=demand.holder_department_id, role__in=STAFF_ROLES, is_active=True
        )
        _notify(
            staff.exclude(pk=user.pk),
            demand,
            f"诉求{demand.number}被要求重新办理",
            f"{demand.title}（{demand.enterprise}）\n理由：{reason.strip()}\n"
            f"新的办理期限：{demand.due_on:%Y-%m-%d}",
        )
    return demand


def _notify(users, demand, title, body):
    notify(list(users.order_by("pk")), title, body, link=demand.get_absolute_url(), kind=NOTIFICATION_KIND)


def return_(demand, user, reason, at=None):
    """退回: wrongly assigned, back to the dispatcher with a reason."""
    _require(reason, "退回理由")
    dispatcher = demand.assigned_by
    return _step(
        demand,
        user,
        A.RETURN,
        reason,
        at,
        status=S.RETURNED,
        holder_user=dispatcher,
        holder_department=None,
        department=dispatcher.department,
    )


def forward(demand, user, forwarded_to, text="", at=None):
    """转办 to an authority outside the zone's remit; tracked until acknowledged."""
    _require(forwarded_to, "转办单位")
    return _step(demand, user, A.FORWARD, text, at, status=S.FORWARDED, forwarded_to=forwarded_to)


def acknowledge(demand, user, text="", at=None):
    """The authority forwarded to has acknowledged receipt: tracking ends."""
    return _step(demand, user, A.ACKNOWLEDGE, text, at, forward_acknowledged_at=lambda at: at)


def request_extension(demand, user, days, reason, at=None):
    if not days or days < 1:
        raise DemandError("申请延期的工作日数至少为1")
    _require(reason, "延期理由")
    return _step(
        demand,
        user,
        A.REQUEST_EXTENSION,
        f"申请延期{days}个工作日：{reason}",
        at,
        extension_days=days,
        extension_reason=reason,
    )


def approve_extension(demand, user, text="", at=None):
    """A leader approves: the deadline moves by the requested working days (as requested
    now: read under the lock ``_step`` takes again)."""
    with transaction.atomic():
        refresh_locked(demand)
        days = demand.extension_days
        new_due = add_workdays(demand.due_on, days or 0) if demand.due_on else None
        note = (
            f"批准延期{days}个工作日，办理期限改为{new_due:%Y-%m-%d}"
            if new_due
            else f"批准延期{days}个工作日"
        )
        return _step(
            demand,
            user,
            A.APPROVE_EXTENSION,
            f"{note}。{text}".rstrip("。") if text else note,
            at,
            due_on=new_due,
            extension_days=None,
            extension_reason="",
            escalation_level="",  # a new deadline: escalation starts over
            escalated_on=None,
        )


def reject_extension(demand, user, text="", at=None):
    return _step(demand, user, A.REJECT_EXTENSION, text, at, extension_days=None, extension_reason="")


STEPS = {
    A.ASSIGN: assign,
    A.ACCEPT: accept,
    A.START: start,
    A.ANSWER: answer,
    A.CONFIRM: confirm,
    A.REOPEN: reopen,
    A.FOLLOW_UP: follow_up,
    A.RETURN: return_,
    A.FORWARD: forward,
    A.ACKNOWLEDGE: acknowledge,
    A.REQUEST_EXTENSION: request_extension,
    A.APPROVE_EXTENSION: approve_extension,
    A.REJECT_EXTENSION: reject_extension,
}


# --- the lights ------------------------------------------------------------------------


def light(demand, today=None, calendar=None) -> str | None:
    """green / yellow (within the category's yellow_before_workdays of the deadline) / red
    (overdue); None when the clock does not run (closed, forwarded, no deadline)."""
    if demand.status not in OPEN_STATUSES or demand.due_on is None:
        return None
    today = today or timezone.localdate()
    if today > demand.due_on:
        return Light.RED
    if workdays_between(today, demand.due_on, calendar) <= demand.category.yellow_before_workdays:
        return Light.YELLOW
    return Light.GREEN


def light_q(value, today=None, calendar=None) -> Q:
    """The demands showing this light today, as a filter."""
    from .models import DemandCategory

    today = today or timezone.localdate()
    calendar = calendar or WorkCalendar()
    open_ = Q(status__in=OPEN_STATUSES, due_on__isnull=False)
    if value == Light.RED:
        return open_ & Q(due_on__lt=today)
    yellow = Q(pk__in=[])
    for n in set(DemandCategory.objects.values_list("yellow_before_workdays", flat=True)):
        yellow |= Q(category__yellow_before_workdays=n, due_on__lte=add_workdays(today, n, calendar))
    yellow = open_ & Q(due_on__gte=today) & yellow
    if value == Light.YELLOW:
        return yellow
    return open_ & Q(due_on__gte=today) & ~yellow


def my_demands(user):
    """What this user must act on now, the earliest deadline first; for the holding department
    also its answered demands waiting for the enterprise (回访 when it has no account)."""
    demands = with_account(
        Demand.objects.select_related(
            "enterprise", "category", "department", "holder_user", "holder_department"
        )
    )
    if user.role == Role.ENTERPRISE:
        query = Q(enterprise_id=user.enterprise_id, status__in=AWAITING_STATUSES)
    else:
        query = Q(
            holder_user=user, status__in=(*OPEN_STATUSES, S.FORWARDED), forward_acknowledged_at__isnull=True
        )
        if user.role in STAFF_ROLES:
            query |= Q(
                holder_user__isnull=True,
                holder_department_id=user.department_id,
                status__in=(*OPEN_STATUSES, *AWAITING_STATUSES),
            )
        if user.role == Role.LEADER:
            query |= Q(extension_days__isnull=False, status__in=OPEN_STATUSES)
    return demands.filter(query).order_by("due_on", "received_at")


# --- statistics ------------------------------------------------------------------------


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


@dataclass
class DemandStats:
    label: str = "合计"
    received: int = 0
    assigned: int = 0
    closed: int = 0
    closed_on_time: int = 0
    close_workdays: list[int] = field(default_factory=list)
    rated: int = 0
    satisfied: int = 0
    followed_up: int = 0
    overdue: int = 0
    awaiting: int = 0

    @property
    def close_rate(self):
        """办结率: closed / received in the period."""
        return _rate(self.closed, self.received)

    @property
    def on_time_rate(self):
        """按时办结率: closed demands answered on or before the deadline / closed (the wait for
        the enterprise's confirmation is not the department's time)."""
        return _rate(self.closed_on_time, self.closed)

    @property
    def average_workdays(self):
        """Average working days from receipt to the (last) answer of the closed demands."""
        return round(sum(self.close_workdays) / len(self.close_workdays), 1) if self.close_workdays else None

    @property
    def satisfaction_rate(self):
        """满意率: (满意 + 基本满意) / rated."""
        return _rate(self.satisfied, self.rated)

    @property
    def follow_up_rate(self):
        """回访率: closed demands the enterprise has rated / closed (100% since every closing
        carries a rating; lower only for demands closed by the holder before issue 13)."""
        return _rate(self.followed_up, self.closed)

    def add(self, demand, today, calendar):
        self.received += 1
        self.assigned += demand.assigned_at is not None
        if demand.status in CLOSED_STATUSES and demand.closed_at:
            self.closed += 1
            done_on = timezone.localtime(demand.answered_at or demand.closed_at).date()
            self.closed_on_time += demand.due_on is None or done_on <= demand.due_on
            self.close_workdays.append(
                max(0, workdays_between(received_on(demand.received_at, calendar), done_on, calendar))
            )
            self.followed_up += bool(demand.satisfaction)
        if demand.satisfaction:
            self.rated += 1
            self.satisfied += demand.satisfaction in (Satisfaction.SATISFIED, Satisfaction.BASICALLY)
        self.overdue += demand.status in OPEN_STATUSES and demand.due_on is not None and demand.due_on < today
        self.awaiting += demand.status in AWAITING_STATUSES


def statistics(
    start: datetime.date, end: datetime.date, queryset=None, department=None, category=None, today=None
):
    """The figures the reports quote for demands received in [start, end]: the total and
    one row per (current responsible) department, the largest first."""
    today = today or timezone.localdate()
    calendar = WorkCalendar()
    demands = (queryset if queryset is not None else Demand.objects.all()).filter(
        received_at__date__gte=start, received_at__date__lte=end
    )
    if department is not None:
        demands = demands.filter(department=department)
    if category is not None:
        demands = demands.filter(category=category)
    total = DemandStats()
    rows: dict[int, DemandStats] = {}
    for demand in demands.select_related("department").order_by("received_at"):
        total.add(demand, today, calendar)
        key = demand.department_id
        if key not in rows:
            rows[key] = DemandStats(label=str(demand.department) if demand.department else "未指定部门")
        rows[key].add(demand, today, calendar)
    by_department = sorted(rows.values(), key=lambda r: (-r.received, r.label))
    return total, by_department
