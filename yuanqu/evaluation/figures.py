"""亩均评价's figures for the catalogue: the enterprises of each class (A/B/C/D) in the latest
published evaluation whose data year ends before the month (an evaluation of 2025 is
published in 2026), and the base from the evaluation a year earlier."""

from functools import partial

from django.urls import reverse

from yuanqu.figures.catalogue import Figure, Result

from .choices import Grade, SchemeStatus

SCOPES = ("park", "zone", "department", "chain")


def _results(query, year):
    from .models import EvaluationResult

    published = EvaluationResult.objects.filter(
        scheme__year=year, scheme__status=SchemeStatus.PUBLISHED, evaluated=True
    )
    return query.records(
        published,
        zone="enterprise__zone",
        department="enterprise__department",
        chain="enterprise__industry_chain",
    )


def _year(query):
    from .models import EvaluationScheme

    scheme = (
        EvaluationScheme.objects.filter(status=SchemeStatus.PUBLISHED, year__lt=query.period.year)
        .order_by("-year")
        .first()
    )
    return scheme.year if scheme else None


def graded(grade, query) -> Result:
    year = _year(query)
    if year is None:
        return Result(None, note=f"{query.period.year}年前没有已公布的亩均评价")
    link = reverse("evaluation:evaluationresult_list") + f"?year={year}&grade={grade}"
    return Result(_results(query, year).filter(grade=grade).count(), base=_results(query, year - 1).filter(grade=grade).count(),
                  link=link, note=f"{year}年度评价结果")  # fmt: skip


def provide():
    for grade in Grade:
        yield Figure(f"evaluation.grade_{grade.value.lower()}", f"亩均评价{grade.label}企业", "家", "count",
                     partial(graded, grade.value), SCOPES, "evaluation.evaluationresult", "最近一次已公布的亩均评价")  # fmt: skip
