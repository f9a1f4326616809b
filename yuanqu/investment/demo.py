"""Demo pipeline: about 150 leads over two years, about 55 signed 亿元以上 in the latest year.

Deterministic (``random.Random(seed)``), dates relative to ``today`` and never after it;
bulk-created like the other demos, so seed data writes no change log. Each lead carries one
event per stage it reached, recorded under a staff member of its department (or the first
staff account); projects that landed report funds in place.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from yuanqu.core.context import acting_as
from yuanqu.enterprises.models import IndustryChain
from yuanqu.projects.models import KeyProject
from yuanqu.users.choices import Role
from yuanqu.users.models import Department, User

from .choices import PIPELINE, STAGE_DATE_FIELDS, FundsKind, Region, Source, Stage, TalentTier
from .models import FundsInPlace, Lead, LeadEvent, TalentIntroduction

# (signed 亿元以上, of which 10亿元以上, signed smaller, not signed) per year, latest first
PLAN = {0: (55, 6, 10, 30), 1: (22, 3, 8, 25)}
ORIGINS = [
    (Region.YANGTZE, ["上海", "苏州", "宁波", "杭州", "无锡"], 34),
    (Region.PEARL, ["深圳", "广州", "东莞"], 18),
    (Region.JINGJINJI, ["北京", "天津"], 12),
    (Region.CHENGYU, ["成都", "重庆"], 6),
    (Region.PROVINCE, ["省会", "本市"], 22),
    (Region.OTHER, ["香港", "新加坡"], 8),
]
SOURCES = [
    (Source.LEADER, 20),
    (Source.BUSINESS, 30),
    (Source.RESIDENT, 20),
    (Source.EXPO, 12),
    (Source.AGENCY, 12),
    (Source.OTHER, 6),
]
INVESTORS = ["华瑞", "中科", "鼎盛", "新锐", "恒通", "远景", "博源", "金泰", "天合", "宏达", "光启", "驰远"]
PRODUCTS = [
    "新材料",
    "电子元器件",
    "智能装备",
    "新能源电池",
    "光伏组件",
    "生物医药",
    "汽车零部件",
    "精密模具",
]
TERMINATION_REASONS = ["投资方资金链调整，项目暂缓", "选址改至其他地区", "用地条件不满足"]


def generate_investment(today: datetime.date | None = None, seed: int = 2025) -> int:
    """Build the demo pipeline; 0 (nothing changed) when there are leads already."""
    today = today or timezone.localdate()
    with transaction.atomic(), acting_as(None, source="system"):
        if Lead.objects.exists():
            return 0
        staff = User.objects.filter(role=Role.STAFF, is_active=True).order_by("pk")
        actor = staff.filter(username="staff").first() or staff.first()
        if actor is None:
            return 0
        return _Builder(random.Random(seed), today, actor).build()


class _Builder:
    def __init__(self, rng, today, actor):
        self.rng, self.today, self.actor = rng, today, actor
        self.chains = list(IndustryChain.objects.filter(active=True))
        self.leader = User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk").first()
        self.departments = []
        for name in ("招商局", "经济发展局"):
            department = Department.objects.filter(name=name).first() or Department.objects.create(name=name)
            person = staff_of(department) or actor
            self.departments.append((department, person))

    def day_in(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def later(self, day, low, high):
        return day + datetime.timedelta(days=self.rng.randint(low, high))

    def build(self) -> int:
        rng, today = self.rng, self.today
        specs = []  # (signed_on or None, investment_wan)
        for back, (big, huge, small, unsigned) in PLAN.items():
            year = today.year - back
            start = datetime.date(year, 1, 1)
            end = min(today, datetime.date(year, 12, 31))
            for i in range(big):
                amount = rng.randint(100000, 300000) if i < huge else rng.randint(10000, 60000)
                specs.append((self.day_in(start, end), amount))
            specs += [(self.day_in(start, end), rng.randint(2000, 9500)) for _ in range(small)]
            specs += [
                (None, rng.choice([rng.randint(3000, 9000), rng.randint(10000, 50000)]))
                for _ in range(unsigned)
            ]
        first = datetime.date(today.year - 1, 1, 1)
        leads, steps = [], []
        for n, (signed_on, amount) in enumerate(specs, start=1):
            region, cities, _ = rng.choices(ORIGINS, weights=[w for *_, w in ORIGINS])[0]
            department, person = self.departments[0 if rng.random() < 0.8 else 1]
            product = rng.choice(PRODUCTS)
            investor = f"{rng.choice(INVESTORS)}{product}"
            dates = {}
            if signed_on:
                dates[Stage.SIGNED] = signed_on
                dates[Stage.LEAD] = max(first, signed_on - datetime.timedelta(days=rng.randint(60, 200)))
                dates[Stage.NEGOTIATING] = self.day_in(dates[Stage.LEAD], signed_on)
                day = signed_on
                for stage, low, high in (
                    (Stage.REGISTERED, 15, 90),
                    (Stage.STARTED, 30, 150),
                    (Stage.PRODUCING, 180, 420),
                ):
                    day = self.later(day, low, high)
                    if day > today or rng.random() < 0.15:
                        break
                    dates[stage] = day
            else:
                dates[Stage.LEAD] = self.day_in(first, today)
                if rng.random() < 0.5:
                    dates[Stage.NEGOTIATING] = min(today, self.later(dates[Stage.LEAD], 10, 90))
            reached = [s for s in PIPELINE if s in dates]
            stage = reached[-1]
            changed = dates[stage]
            reason = ""
            if not signed_on and rng.random() < 0.15:
                stage, reason = Stage.TERMINATED, rng.choice(TERMINATION_REASONS)
                changed = min(today, self.later(changed, 15, 120))
                dates[Stage.TERMINATED] = changed
            lead = Lead(
                name=f"{investor}项目（{n:03d}）",
                investor=f"{investor}有限公司",
                origin_region=region,
                origin_city=rng.choice(cities),
                in_province=region == Region.PROVINCE,
                industry_chain=rng.choice(self.chains) if self.chains else None,
                content=f"建设{product}生产线及配套设施",
                contracted_investment_wan=Decimal(amount) if signed_on else Decimal(0),
                expected_tax_wan=Decimal(amount // 40),
                expected_output_wan=Decimal(amount * 2),
                land_mu=Decimal(rng.randint(20, 300)),
                power_kva=rng.choice([800, 1600, 2500, 5000]),
                source=rng.choices([s for s, _ in SOURCES], weights=[w for _, w in SOURCES])[0],
                leader=self.leader,
                department=department,
                stage=stage,
                stage_changed_on=changed,
                termination_reason=reason,
                **{STAGE_DATE_FIELDS[s]: d for s, d in dates.items()},
            )
            leads.append(lead)
            order = [s for s in [*PIPELINE, Stage.TERMINATED] if s in dates]
            steps.append(
                [
                    (prev, s, dates[s], reason if s == Stage.TERMINATED else "", person)
                    for prev, s in zip(["", *order], order, strict=False)
                ]
            )
        created = Lead.objects.bulk_create(leads)
        LeadEvent.objects.bulk_create(
            [
                LeadEvent(lead=lead, from_stage=f, to_stage=t, date=d, note=x, actor=u)
                for lead, rows in zip(created, steps, strict=True)
                for f, t, d, x, u in rows
            ]
        )
        FundsInPlace.objects.bulk_create(self.funds(created))
        TalentIntroduction.objects.bulk_create(
            [
                TalentIntroduction(
                    lead=lead,
                    date=lead.started_on,
                    tier=self.rng.choice(TalentTier.values),
                    count=self.rng.randint(1, 8),
                )
                for lead in created
                if lead.started_on and self.rng.random() < 0.3
            ]
        )
        self.link_projects(created)
        return len(created)

    def link_projects(self, leads, limit=10):
        """A few leads that reached 开工 linked to a key project of their department."""
        free = {}
        for project in KeyProject.objects.filter(leads__isnull=True).order_by("code"):
            free.setdefault(project.department_id, []).append(project)
        linked = []
        for lead in leads:
            projects = free.get(lead.department_id)
            if lead.stage in (Stage.STARTED, Stage.PRODUCING) and projects and len(linked) < limit:
                lead.key_project = projects.pop(0)
                linked.append(lead)
        Lead.objects.bulk_update(linked, ["key_project"])

    def funds(self, leads):
        rng, today = self.rng, self.today
        rows = []
        for lead in leads:
            if not lead.registered_on:
                continue
            kind = FundsKind.IN_PROVINCE if lead.in_province else FundsKind.OUT_OF_PROVINCE
            if lead.origin_region == Region.OTHER and rng.random() < 0.5:
                kind = FundsKind.FOREIGN
            total = lead.contracted_investment_wan * Decimal(rng.randint(20, 80)) / 100
            day, parts = lead.registered_on, rng.randint(1, 4)
            for _ in range(parts):
                day = self.later(day, 20, 120)
                if day > today:
                    break
                rows.append(
                    FundsInPlace(
                        lead=lead, date=day, amount_wan=(total / parts).quantize(Decimal("0.01")), kind=kind
                    )
                )
        return rows


def staff_of(department):
    return User.objects.filter(role=Role.STAFF, department=department, is_active=True).order_by("pk").first()
