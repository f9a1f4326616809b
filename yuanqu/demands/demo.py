"""Demo demands: about 1,100 over the last year, almost all closed, a few overdue now.

Deterministic (``random.Random(seed)``), dates relative to ``today``; bulk-created like the
enterprise demo, so seed data writes no change log. The demo's ``staff`` account (or the first staff
member) receives and assigns; a department's steps are recorded under one of its staff, or
the receiver when it has none (no accounts are added).

The overdue demands carry the escalation the daily sweep would have produced (催办 → 督办单 →
通报, ``escalation.replay``); two more open demands are made due one and three working days
ago so the list shows every level. Their holders get one in-app notification each (no mail).
A few demands carry small generated PDF attachments.
"""

import datetime
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from yuanqu.core.context import acting_as
from yuanqu.core.workdays import WorkCalendar, add_workdays, deadline
from yuanqu.enterprises.choices import EnterpriseStatus
from yuanqu.enterprises.models import Enterprise
from yuanqu.users.choices import Role
from yuanqu.users.models import Department, User

from . import escalation
from .choices import ESCALATING_STATUSES, Channel, DemandAction, DemandStatus, Satisfaction
from .models import Demand, DemandAttachment, DemandCategory, DemandEvent, attachment_path

TOTAL = 1100
RECENTLY_OVERDUE = (1, 3)  # working days overdue of two more demands: 催办, 督办单
ATTACHED = 8
OPEN_RECENT_DAYS = 12  # demands received this recently are still being handled
OVERDUE_NOW = 5
A, S = DemandAction, DemandStatus

# category → (responsible departments, titles)
TOPICS = {
    "政策咨询": (
        ["经济发展局", "科技创新局", "企业服务中心"],
        ["咨询高新技术企业认定政策", "咨询研发费用加计扣除", "咨询稳岗返还政策", "咨询技改补贴申报条件"],
    ),
    "用地": (["规划国土局"], ["二期项目用地指标", "厂区扩建用地手续", "标准厂房租赁"]),
    "用电": (["企业服务中心", "经济发展局"], ["新厂房临时用电增容", "双回路供电改造", "电费峰谷政策咨询"]),
    "用工": (["企业服务中心"], ["招聘技术工人", "员工子女入学", "职工公寓申请"]),
    "融资": (["财政局", "经济发展局"], ["申请贷款贴息", "流动资金贷款对接", "科技保险补贴"]),
    "审批手续": (["规划国土局", "建设局"], ["施工许可办理进度", "规划条件核实", "消防验收协调"]),
    "基础设施": (["建设局"], ["厂区门前道路破损", "雨污管网接入", "路灯不亮", "公交线路延伸"]),
    "投诉": (["企业服务中心", "建设局"], ["周边施工噪声扰民", "物业收费不合理"]),
    "建议": (["经济发展局", "招商局"], ["建议增设产业链对接会", "建议完善园区配套餐饮"]),
    "其他": (["企业服务中心"], ["其他事项"]),
}
CATEGORY_WEIGHTS = {
    "政策咨询": 26,
    "用地": 6,
    "用电": 8,
    "用工": 10,
    "融资": 9,
    "审批手续": 12,
    "基础设施": 13,
    "投诉": 5,
    "建议": 5,
    "其他": 6,
}
CHANNELS = [
    (Channel.VISIT, 35),
    (Channel.PLATFORM, 20),
    (Channel.HOTLINE_12345, 18),
    (Channel.HOTLINE, 10),
    (Channel.FORUM, 10),
    (Channel.LETTER, 4),
    (Channel.PORTAL, 3),
]
SHORT = {
    "经济发展局": "经发局",
    "招商局": "招商局",
    "企业服务中心": "企服中心",
    "科技创新局": "科创局",
    "规划国土局": "规土局",
    "建设局": "建设局",
    "财政局": "财政局",
}


def generate_demands(today: datetime.date | None = None, total: int = TOTAL, seed: int = 2024) -> int:
    """Build the demo demands; 0 (nothing changed) when there are demands already."""
    today = today or timezone.localdate()
    with transaction.atomic(), acting_as(None, source="system"):
        if Demand.objects.exists():
            return 0
        enterprises = list(Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).order_by("pk"))
        receiver = (
            User.objects.filter(username="staff").first()
            or User.objects.filter(role=Role.STAFF).order_by("pk").first()
        )
        if not enterprises or receiver is None:
            return 0
        return _Builder(random.Random(seed), today, enterprises, receiver).build(total)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _Builder:
    def __init__(self, rng, today, enterprises, receiver):
        self.rng, self.today, self.enterprises, self.receiver = rng, today, enterprises, receiver
        self.calendar = WorkCalendar()
        self.categories = {c.name: c for c in DemandCategory.objects.all()}
        self.portal_user = (
            User.objects.filter(role=Role.ENTERPRISE, enterprise__isnull=False).order_by("pk").first()
        )

    def handlers(self) -> dict[str, tuple[Department, User]]:
        """Each responsible department, with the account its steps are recorded under: a
        staff member of that department if there is one, else the receiver (the demo has one
        staff account; no accounts are added)."""
        names = {name for departments, _ in TOPICS.values() for name in departments}
        departments = {d.name: d for d in Department.objects.filter(name__in=names)}
        for name in names - set(departments):
            departments[name] = Department.objects.create(name=name, short_name=SHORT.get(name, ""))
        handlers = {}
        for name, department in departments.items():
            staff = (
                User.objects.filter(role=Role.STAFF, department=department, is_active=True)
                .order_by("pk")
                .first()
            )
            handlers[name] = (department, staff or self.receiver)
        return handlers

    def working_day(self, day: datetime.date) -> datetime.date:
        while not self.calendar.is_workday(day):
            day += datetime.timedelta(days=1)
        return day

    def build(self, total: int) -> int:
        rng, today = self.rng, self.today
        handlers = self.handlers()
        names = [n for n in CATEGORY_WEIGHTS if n in self.categories]
        first = today - datetime.timedelta(days=365)
        days = sorted(
            self.working_day(first + datetime.timedelta(days=rng.randint(0, 364))) for _ in range(total)
        )
        days = [d for d in days if d < today]
        # A few demands received six to twelve weeks ago are still open: overdue now.
        overdue = set(rng.sample(range(len(days) - 250, len(days) - 120), OVERDUE_NOW))
        now = min(timezone.now(), _at(today, 18))
        demands, events, serials = [], [], {}
        for i, day in enumerate(days):
            name = rng.choices(names, weights=[CATEGORY_WEIGHTS[n] for n in names])[0]
            category = self.categories[name]
            departments, titles = TOPICS[name]
            dept, handler = handlers[rng.choice(departments)]
            channel = rng.choices([c for c, _ in CHANNELS], weights=[w for _, w in CHANNELS])[0]
            enterprise = rng.choice(self.enterprises)
            receiver = self.receiver
            if channel == Channel.PORTAL and self.portal_user is not None:
                enterprise, receiver = self.portal_user.enterprise, self.portal_user
            elif channel == Channel.PORTAL:
                channel = Channel.PLATFORM
            serials[day.year] = serials.get(day.year, 0) + 1
            received = _at(day, rng.randint(8, 10), rng.choice([0, 15, 30, 45]))
            demand = Demand(
                number=f"SQ{day.year}-{serials[day.year]:04d}",
                enterprise=enterprise,
                category=category,
                channel=channel,
                external_number=f"12345-{day:%Y%m%d}-{i:04d}" if channel == Channel.HOTLINE_12345 else "",
                title=(title := rng.choice(titles)),
                description=f"{enterprise.name}反映：{title}，请协调解决。",  # one topic per demand
                received_at=received,
                received_by=receiver,
                department=dept,
                due_on=deadline(received, category.time_limit_workdays, self.calendar),
            )
            steps = [(A.RECEIVE, receiver, received, "", "", S.RECEIVED)]
            assigned = _at(add_workdays(day, rng.choice([0, 0, 1]), self.calendar), 11)
            demand.assigned_at, demand.assigned_by = assigned, self.receiver
            demand.due_on = deadline(assigned, category.time_limit_workdays, self.calendar)
            steps.append((A.ASSIGN, self.receiver, assigned, f"请{dept}牵头办理", S.RECEIVED, S.ASSIGNED))
            accepted = assigned + datetime.timedelta(hours=rng.randint(1, 5))
            steps.append((A.ACCEPT, handler, accepted, "", S.ASSIGNED, S.ACCEPTED))
            steps.append(
                (A.START, handler, accepted + datetime.timedelta(minutes=30), "", S.ACCEPTED, S.IN_PROGRESS)
            )
            late = rng.random() < 0.04
            limit = category.time_limit_workdays
            answer_day = add_workdays(
                assigned.date(), limit + rng.randint(1, 3) if late else rng.randint(1, limit), self.calendar
            )
            demand.holder_department = dept
            if (
                i in overdue
                or answer_day >= today - datetime.timedelta(days=1)
                or day > today - datetime.timedelta(days=OPEN_RECENT_DAYS)
                and rng.random() < 0.5
            ):
                # still being handled: the steps so far, none in the future
                stage = 4 if i in overdue else rng.choice([1, 2, 3, 4, 4])
                steps = [step for step in steps[:stage] if step[2] <= now]
                demand.status = steps[-1][5]
                if len(steps) == 1:  # not assigned yet: the receiver holds it (首问负责制)
                    if receiver.role == Role.ENTERPRISE:  # a portal submission: the department holds it
                        demand.holder_department = enterprise.department or receiver.department
                    else:
                        demand.holder_department, demand.holder_user = None, receiver
                    demand.department = demand.holder_department or receiver.department
                    demand.assigned_at = demand.assigned_by = None
                    demand.due_on = deadline(received, category.time_limit_workdays, self.calendar)
            else:
                answered = _at(answer_day, rng.randint(9, 14))
                text = "经协调已办理完毕，已电话告知企业。"
                steps.append((A.ANSWER, handler, answered, text, S.IN_PROGRESS, S.ANSWERED))
                demand.answer, demand.answered_at, demand.status = text, answered, S.ANSWERED
                # 办结 once the enterprise confirms in the portal (it has an account) or the
                # handler calls it back; the last days' answers still wait.
                follow_day = add_workdays(answered.date(), rng.randint(1, 3), self.calendar)
                portal = self.portal_user is not None and enterprise == self.portal_user.enterprise
                if follow_day < today:
                    ratings = [Satisfaction.SATISFIED, Satisfaction.BASICALLY]
                    rating = rng.choices(ratings, weights=[88, 12])[0]
                    follow = _at(follow_day, 10)
                    action, actor = (A.CONFIRM, self.portal_user) if portal else (A.FOLLOW_UP, handler)
                    steps.append((action, actor, follow, "", S.ANSWERED, S.CLOSED))
                    demand.satisfaction, demand.followed_up_at, demand.closed_at = rating, follow, follow
                    demand.follow_up_contact = "" if portal else f"{enterprise.name}联系人（电话回访）"
                    demand.status = S.CLOSED
            if i == min(overdue):  # one overdue demand waits for a leader to approve its extension
                reason = "需协调市级部门会商，申请延期"
                steps.append(
                    (
                        A.REQUEST_EXTENSION,
                        handler,
                        steps[-1][2] + datetime.timedelta(days=1),
                        f"申请延期5个工作日：{reason}",
                        demand.status,
                        demand.status,
                    )
                )
                demand.extension_days, demand.extension_reason = 5, reason
            demands.append(demand)
            events.append(steps)
        self.make_recently_overdue(demands)
        self.keep_waiting(demands, events)
        created = Demand.objects.bulk_create(demands, batch_size=500)
        DemandEvent.objects.bulk_create(
            [
                DemandEvent(demand=d, action=a, actor=u, time=t, text=x, from_status=f, to_status=s)
                for d, steps in zip(created, events, strict=True)
                for a, u, t, x, f, s in steps
            ],
            batch_size=1000,
        )
        self.escalate(created)
        self.attach(created, events)
        return len(created)

    def workdays_before(self, n: int) -> datetime.date:
        day, counted = self.today, 0
        while counted < n:
            day -= datetime.timedelta(days=1)
            counted += self.calendar.is_workday(day)
        return day

    def make_recently_overdue(self, demands):
        """Two open demands still in time are made due 1 and 3 working days ago."""
        fresh = [d for d in demands if d.status == S.IN_PROGRESS and d.due_on and d.due_on >= self.today]
        for demand, days in zip(fresh, RECENTLY_OVERDUE, strict=False):
            demand.due_on = self.workdays_before(days)

    def keep_waiting(self, demands, events):
        """The portal enterprise's latest confirmed demand still waits for its confirmation,
        so its user has an answer to confirm."""
        for demand, steps in reversed(list(zip(demands, events, strict=True))):
            if steps[-1][0] == A.CONFIRM:
                steps.pop()
                demand.status, demand.satisfaction = S.ANSWERED, ""
                demand.closed_at = demand.followed_up_at = None
                return

    def escalate(self, demands):
        """The escalation history the daily sweep would have written, up to today."""
        new_events = []
        for demand in demands:
            if demand.status not in ESCALATING_STATUSES or not demand.due_on or demand.due_on >= self.today:
                continue
            counts = {}
            fired = escalation.replay(demand, self.today, self.calendar)
            for day, step in fired:
                counts[step.level] = counts.get(step.level, 0) + 1
                new_events.append(
                    DemandEvent(
                        demand=demand,
                        action=step.level,
                        actor=None,
                        time=escalation.moment(day),
                        text=escalation.step_text(step, counts[step.level]),
                        from_status=demand.status,
                        to_status=demand.status,
                    )
                )
            if fired:
                Demand.objects.filter(pk=demand.pk).update(
                    escalation_level=demand.escalation_level, escalated_on=demand.escalated_on
                )
                day, step = fired[-1]
                escalation.notify_step(step, new_events[-1].text, escalation.moment(day), email=False)
        DemandEvent.objects.bulk_create(new_events, batch_size=1000)

    def attach(self, demands, events):
        """A small PDF at receipt on the first few open and closed demands, and the answer letter."""
        open_ = [d for d in demands if d.status in ESCALATING_STATUSES][:3]
        closed = [d for d in demands if d.status == S.CLOSED][-(ATTACHED - len(open_)) :]
        steps_of = {d.pk: steps for d, steps in zip(demands, events, strict=True)}
        rows = []
        for demand in open_ + closed:
            files = [(A.RECEIVE, demand.received_by, "诉求材料.pdf", f"Demand {demand.number}: request")]
            answer = next((step for step in steps_of[demand.pk] if step[0] == A.ANSWER), None)
            if answer is not None:
                files.append((A.ANSWER, answer[1], "答复函.pdf", f"Demand {demand.number}: reply"))
            for action, user, name, text in files:
                data = demo_pdf(text)
                stored = default_storage.save(attachment_path(None, name), ContentFile(data))
                rows.append(
                    DemandAttachment(
                        demand=demand, file=stored, name=name, size=len(data), action=action, uploaded_by=user
                    )
                )
        DemandAttachment.objects.bulk_create(rows)


def demo_pdf(text: str) -> bytes:
    """A one-page PDF showing one line of ASCII text."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
