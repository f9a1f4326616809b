"""Stage moves and the statistics the reports quote.

``move_stage`` is the one way a lead changes stage: it sets the stage's date field, saves
the lead (the change log records it) and writes a ``LeadEvent``. Moving to the next stage
needs nothing more; skipping stages, going back, or terminating needs a reason.

Size bands count by 协议投资额 (REFERENCE §7.2): 亿元以上 ≥ 10 000 万元, 10亿元以上 ≥ 100 000 万元.
"""

import datetime
import statistics as stats
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from yuanqu.utilities.concurrency import refresh_locked

from .choices import PIPELINE, STAGE_DATE_FIELDS, FundsKind, Region, Stage, next_stage
from .models import FundsInPlace, Lead, LeadEvent

YI = Decimal(10000)  # 1 亿元 in 万元
TEN_YI = Decimal(100000)
STALLED_DAYS = 90
STAGE_LABELS = dict(Stage.choices)
# Conversion steps the reports quote: 签约→落地→开工→投产.
CONVERSIONS = [
    (Stage.SIGNED, Stage.REGISTERED),
    (Stage.REGISTERED, Stage.STARTED),
    (Stage.STARTED, Stage.PRODUCING),
]


class StageError(Exception):
    """A stage move refused, with the reason in Chinese."""


def open_lead(lead: Lead, user) -> Lead:
    """Save a new lead at 线索 since its lead date, with its first event (form, API)."""
    with transaction.atomic():
        lead.stage, lead.stage_changed_on = Stage.LEAD, lead.lead_on
        lead.save()
        LeadEvent.objects.create(
            lead=lead, to_stage=Stage.LEAD, actor=user, date=lead.lead_on, note="登记线索"
        )
    return lead


def move_stage(lead: Lead, to: str, user, date: datetime.date | None = None, reason: str = "") -> LeadEvent:
    """Move the lead to stage ``to`` on ``date`` (today by default) and record the event.
    The stage is read under a row lock: two people moving the lead at once move it once."""
    with transaction.atomic():
        refresh_locked(lead)
        return _move_stage(lead, to, user, date, reason)


def _move_stage(lead, to, user, date, reason):
    date = date or timezone.localdate()
    reason = (reason or "").strip()
    current = lead.stage
    if to not in STAGE_LABELS:
        raise StageError(f"未知的阶段“{to}”")
    if current == Stage.TERMINATED:
        raise StageError(f"招商项目“{lead}”已终止，不能再变更阶段")
    if to == current:
        raise StageError(f"招商项目“{lead}”已处于“{STAGE_LABELS[to]}”阶段")
    if to == Stage.TERMINATED and not reason:
        raise StageError("终止招商项目须填写终止原因")
    if to != Stage.TERMINATED and to != next_stage(current) and not reason:
        verb = "跳过" if PIPELINE.index(to) > PIPELINE.index(current) else "退回"
        raise StageError(f"从“{STAGE_LABELS[current]}”到“{STAGE_LABELS[to]}”{verb}了阶段，须填写原因")
    if date < lead.stage_changed_on:
        raise StageError(f"变更日期{date:%Y-%m-%d}不能早于上一次阶段变更日期{lead.stage_changed_on:%Y-%m-%d}")
    if date > timezone.localdate():
        raise StageError(f"变更日期{date:%Y-%m-%d}不能晚于今天")
    lead.stage, lead.stage_changed_on = to, date
    setattr(lead, STAGE_DATE_FIELDS[to], date)
    if to == Stage.TERMINATED:
        lead.termination_reason = reason
    lead.save()
    return LeadEvent.objects.create(
        lead=lead, from_stage=current, to_stage=to, actor=user, date=date, note=reason
    )


def growth(current, previous) -> Decimal | None:
    """Year-on-year change in percent, rounded to 2 decimals (None without a base)."""
    if not previous:
        return None
    value = (Decimal(current) / Decimal(previous) - 1) * 100
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def to_yi(wan) -> Decimal:
    """万元 → 亿元, 2 decimals."""
    return (Decimal(wan or 0) / YI).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Band:
    count: int = 0
    investment_wan: Decimal = Decimal(0)

    @property
    def investment_yi(self) -> Decimal:
        return to_yi(self.investment_wan)


@dataclass
class PeriodStatistics:
    start: datetime.date
    end: datetime.date
    leads: int = 0
    signed: Band = field(default_factory=Band)
    over_yi: Band = field(default_factory=Band)
    over_ten_yi: Band = field(default_factory=Band)
    by_region: list = field(default_factory=list)
    by_chain: list = field(default_factory=list)
    funds_out_of_province_wan: Decimal = Decimal(0)


def _band(queryset) -> Band:
    row = queryset.aggregate(n=Count("id"), total=Sum("contracted_investment_wan"))
    return Band(row["n"], row["total"] or Decimal(0))


def period_statistics(start, end, queryset=None) -> PeriodStatistics:
    """Leads opened, projects signed and their value by size band, region and chain."""
    queryset = Lead.objects.all() if queryset is None else queryset
    signed = queryset.filter(signed_on__range=(start, end))
    result = PeriodStatistics(start, end)
    result.leads = queryset.filter(lead_on__range=(start, end)).count()
    result.signed = _band(signed)
    result.over_yi = _band(signed.filter(contracted_investment_wan__gte=YI))
    result.over_ten_yi = _band(signed.filter(contracted_investment_wan__gte=TEN_YI))
    region_labels = dict(Region.choices)
    for column, rows, label in (
        ("origin_region", "by_region", lambda v: region_labels.get(v, v)),
        ("industry_chain__name", "by_chain", lambda v: v or "未分类"),
    ):
        grouped = (
            signed.values(column)
            .annotate(
                n=Count("id"),
                total=Sum("contracted_investment_wan"),
                over_yi=Count("id", filter=Q(contracted_investment_wan__gte=YI)),
            )
            .order_by("-total")
        )
        setattr(
            result,
            rows,
            [(label(r[column]), r["n"], r["over_yi"], to_yi(r["total"])) for r in grouped],
        )
    result.funds_out_of_province_wan = funds_in_place(start, end, FundsKind.OUT_OF_PROVINCE, queryset)
    return result


def funds_in_place(start, end, kind=FundsKind.OUT_OF_PROVINCE, leads=None) -> Decimal:
    """Funds in place of this kind dated within the period, in 万元."""
    funds = FundsInPlace.objects.filter(date__range=(start, end), kind=kind)
    if leads is not None:
        funds = funds.filter(lead__in=leads)
    total = funds.aggregate(total=Sum("amount_wan"))["total"] or Decimal(0)
    return Decimal(total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class YearStatistics:
    year: int
    current: PeriodStatistics
    previous: PeriodStatistics

    @property
    def over_yi_growth(self):
        return growth(self.current.over_yi.count, self.previous.over_yi.count)

    @property
    def signed_growth(self):
        return growth(self.current.signed.count, self.previous.signed.count)

    @property
    def investment_growth(self):
        return growth(self.current.signed.investment_wan, self.previous.signed.investment_wan)

    @property
    def leads_growth(self):
        return growth(self.current.leads, self.previous.leads)

    @property
    def over_yi_investment_growth(self):
        return growth(self.current.over_yi.investment_wan, self.previous.over_yi.investment_wan)

    @property
    def over_ten_yi_growth(self):
        return growth(self.current.over_ten_yi.count, self.previous.over_ten_yi.count)

    @property
    def over_ten_yi_investment_growth(self):
        return growth(self.current.over_ten_yi.investment_wan, self.previous.over_ten_yi.investment_wan)

    @property
    def funds_growth(self):
        return growth(self.current.funds_out_of_province_wan, self.previous.funds_out_of_province_wan)


def year_statistics(year: int, queryset=None, until: datetime.date | None = None) -> YearStatistics:
    """The year (up to ``until``, for a year in progress) against the same span a year earlier."""
    end = until or datetime.date(year, 12, 31)
    previous_end = datetime.date(year - 1, end.month, min(end.day, 28 if end.month == 2 else end.day))
    return YearStatistics(
        year,
        period_statistics(datetime.date(year, 1, 1), end, queryset),
        period_statistics(datetime.date(year - 1, 1, 1), previous_end, queryset),
    )


@dataclass
class Conversion:
    from_stage: str
    to_stage: str
    reached_from: int
    reached_to: int
    median_days: float | None

    @property
    def label(self) -> str:
        return f"{STAGE_LABELS[self.from_stage]}→{STAGE_LABELS[self.to_stage]}"

    @property
    def rate(self) -> Decimal | None:
        if not self.reached_from:
            return None
        return (Decimal(self.reached_to) * 100 / self.reached_from).quantize(Decimal("0.01"), ROUND_HALF_UP)


def conversion(queryset=None) -> list[Conversion]:
    """For each step 签约→落地→开工→投产: how many leads that reached the first stage also
    reached the second, and the median days between the two dates."""
    queryset = Lead.objects.all() if queryset is None else queryset
    result = []
    for first, second in CONVERSIONS:
        a, b = STAGE_DATE_FIELDS[first], STAGE_DATE_FIELDS[second]
        reached = queryset.filter(**{f"{a}__isnull": False})
        pairs = list(reached.filter(**{f"{b}__isnull": False}).values_list(a, b))
        days = [(y - x).days for x, y in pairs]
        result.append(
            Conversion(first, second, reached.count(), len(pairs), stats.median(days) if days else None)
        )
    return result


def stalled(queryset=None, days: int = STALLED_DAYS, today: datetime.date | None = None):
    """Leads still in the pipeline whose stage has not changed for ``days`` days or more."""
    queryset = Lead.objects.all() if queryset is None else queryset
    today = today or timezone.localdate()
    return (
        queryset.exclude(stage__in=(Stage.PRODUCING, Stage.TERMINATED))
        .filter(stage_changed_on__lte=today - datetime.timedelta(days=days))
        .order_by("stage_changed_on", "pk")
    )
