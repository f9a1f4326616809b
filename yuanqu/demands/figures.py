"""Demands' figures for the catalogue: received, closed, 办结率, 按时办结率 and 满意率 of the
demands received from January to the month's end (the same counts as the statistics page),
and the demands still open past their deadline at the month's end."""

from functools import partial
from urllib.parse import urlencode

from django.urls import reverse

from yuanqu.figures.catalogue import Figure, Result

SCOPES = ("park", "zone", "department", "chain")


def _demands(query):
    from .models import Demand

    return query.records(
        Demand.objects.all(),
        zone="enterprise__zone",
        department="department",
        chain="enterprise__industry_chain",
    )


def _stats(query):
    from django.db.models import Count, F, Q
    from django.db.models.functions import Coalesce, TruncDate
    from django.utils import timezone

    from .choices import CLOSED_STATUSES, OPEN_STATUSES, Satisfaction
    from .services import DemandStats

    def counts():
        zone = timezone.get_current_timezone()
        demands = (
            _demands(query)
            .filter(received_at__date__gte=query.first_day, received_at__date__lte=query.last_day)
            .annotate(
                done_on=Coalesce(TruncDate("answered_at", tzinfo=zone), TruncDate("closed_at", tzinfo=zone))
            )
        )
        closed = Q(status__in=CLOSED_STATUSES, closed_at__isnull=False)
        row = demands.aggregate(
            received=Count("pk"),
            closed=Count("pk", filter=closed),
            closed_on_time=Count(
                "pk", filter=closed & (Q(due_on__isnull=True) | Q(done_on__lte=F("due_on")))
            ),
            rated=Count("pk", filter=~Q(satisfaction="")),
            satisfied=Count(
                "pk", filter=Q(satisfaction__in=(Satisfaction.SATISFIED, Satisfaction.BASICALLY))
            ),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_on__lt=query.last_day)),
        )
        # The statistics page's own class, so the rates are computed by one rule.
        return DemandStats(**row)

    return query.cached("demands.counts", counts)


def _figure(attribute, query) -> Result:
    value = getattr(_stats(query), attribute)
    base = getattr(_stats(query.last_year()), attribute)
    link = reverse("demands:statistics") + "?" + urlencode({"start": query.first_day, "end": query.last_day})
    note = "" if value is not None else "本期没有可计算的诉求"
    return Result(value, base=base, link=link, note=note)


FIGURES = [
    ("received", "受理诉求", "件", "count", "本年1月至月末受理的企业诉求"),
    ("closed", "办结诉求", "件", "count", "本年受理、已办结的诉求"),
    ("close_rate", "诉求办结率", "%", "ratio", "办结数 ÷ 受理数"),
    ("on_time_rate", "诉求按时办结率", "%", "ratio", "在办理期限内答复的办结数 ÷ 办结数"),
    ("satisfaction_rate", "诉求满意率", "%", "ratio", "（满意＋基本满意）÷ 已评价数"),
    ("overdue", "逾期未办结诉求", "件", "count", "本年受理、目前仍未办结且办理期限早于月末"),
]


def provide():
    for attribute, name, unit, kind, description in FIGURES:
        yield Figure(
            f"demands.{attribute}",
            name,
            unit,
            kind,
            partial(_figure, attribute),
            SCOPES,
            "demands.demand",
            description,
        )
