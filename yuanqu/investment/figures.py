"""Investment's figures for the catalogue, from January to the month's end: leads opened,
projects signed by size band (亿元以上, 5亿元以上, 10亿元以上) and their contracted value,
projects started and in production, funds in place (省外, 省内, 外资) and talents brought in."""

from decimal import Decimal
from functools import partial

from django.db.models import Sum
from django.urls import reverse

from yuanqu.figures.catalogue import Figure, Result

from .choices import FundsKind

SCOPES = ("park", "department", "chain")
YI = Decimal(10000)  # 万元


def _leads(query):
    from .models import Lead

    return query.records(Lead.objects.all(), department="department", chain="industry_chain")


def _within(query, field):
    return {f"{field}__gte": query.first_day, f"{field}__lte": query.last_day}


def _link(query):
    return reverse("investment:statistics") + f"?year={query.period.year}"


def _both(count, query, unit_yi=False) -> Result:
    def value(q):
        v = count(q)
        return (Decimal(v) / YI).quantize(Decimal("0.0001")) if unit_yi else v

    return Result(value(query), base=value(query.last_year()), link=_link(query))


def projects(field, minimum_yi, query) -> Result:
    def count(q):
        return _leads(q).filter(contracted_investment_wan__gte=minimum_yi * YI, **_within(q, field)).count()

    return _both(count, query)


def signed_value(minimum_yi, query) -> Result:
    def total(q):
        leads = _leads(q).filter(contracted_investment_wan__gte=minimum_yi * YI, **_within(q, "signed_on"))
        return leads.aggregate(t=Sum("contracted_investment_wan"))["t"] or Decimal(0)

    return _both(total, query, unit_yi=True)


def leads_opened(query) -> Result:
    return _both(lambda q: _leads(q).filter(**_within(q, "lead_on")).count(), query)


def funds(kinds, query) -> Result:
    from .models import FundsInPlace

    def total(q):
        rows = q.records(
            FundsInPlace.objects.filter(lead__in=_leads(q).values("pk"), kind__in=kinds, **_within(q, "date"))
        )
        return rows.aggregate(t=Sum("amount_wan"))["t"] or Decimal(0)

    return _both(total, query, unit_yi=True)


def talents(query) -> Result:
    from .models import TalentIntroduction as Talent

    def total(q):
        rows = q.records(Talent.objects.filter(lead__in=_leads(q).values("pk"), **_within(q, "date")))
        return rows.aggregate(t=Sum("count"))["t"] or 0

    return _both(total, query)


def provide():
    lead = "investment.lead"
    yield Figure(
        "investment.leads", "新增招商线索", "个", "count", leads_opened, SCOPES, lead, "线索日期在本年内"
    )
    bands = [(0, "签约项目", "signed"), (1, "亿元以上签约项目", "signed_100m"), (5, "5亿元以上签约项目", "signed_500m"),
             (10, "10亿元以上签约项目", "signed_1000m")]  # fmt: skip
    for minimum, name, key in bands:
        yield Figure(f"investment.{key}", name, "个", "count", partial(projects, "signed_on", minimum), SCOPES, lead,
                     "签约日期在本年内，按协议投资额分档")  # fmt: skip
        yield Figure(f"investment.{key}_amount", f"{name}协议投资额", "亿元", "total", partial(signed_value, minimum),
                     SCOPES, lead, "本年签约项目的协议投资额合计")  # fmt: skip
    for field, label, key in (("started_on", "开工", "started"), ("producing_on", "竣工投产", "producing")):
        yield Figure(f"investment.{key}", f"招商项目{label}", "个", "count", partial(projects, field, 0), SCOPES, lead,
                     f"{label}日期在本年内")  # fmt: skip
        yield Figure(f"investment.{key}_100m", f"亿元以上招商项目{label}", "个", "count",
                     partial(projects, field, 1), SCOPES, lead, f"{label}日期在本年内、协议投资额1亿元以上")  # fmt: skip
    funds_kinds = [
        ("funds", "到位资金", list(FundsKind)),
        ("funds_out_of_province", "省外到位资金", [FundsKind.OUT_OF_PROVINCE]),
        ("funds_in_province", "省内到位资金", [FundsKind.IN_PROVINCE]),
        ("funds_foreign", "外资到位资金", [FundsKind.FOREIGN]),
    ]
    for key, name, kinds in funds_kinds:
        yield Figure(f"investment.{key}", name, "亿元", "total", partial(funds, kinds), SCOPES, "investment.fundsinplace",
                     "到位日期在本年内，按人民币计")  # fmt: skip
    yield Figure(
        "investment.talents",
        "引进人才",
        "人",
        "count",
        talents,
        SCOPES,
        "investment.talentintroduction",
        "引进日期在本年内",
    )
