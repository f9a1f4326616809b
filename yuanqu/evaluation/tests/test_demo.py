"""The demo: two evaluated years in the demo zone, built once."""

import datetime

import pytest

from yuanqu.economy.demo import generate_economy
from yuanqu.enterprises import demo
from yuanqu.evaluation.demo import generate_evaluation
from yuanqu.evaluation.models import EvaluationInput, EvaluationResult
from yuanqu.evaluation.services import distribution

TODAY = datetime.date(2024, 11, 20)


@pytest.mark.django_db
def test_demo_evaluates_two_years_once():
    assert generate_evaluation(TODAY) is None  # no demo zone yet
    demo.generate(demo.DEFAULT_ENTERPRISES, today=TODAY)
    generate_economy(TODAY)
    summary = generate_evaluation(TODAY)
    assert summary["enterprises"] > 100
    last = EvaluationResult.objects.filter(year=2023)
    counts = distribution(last.values_list("grade", flat=True))
    assert all(counts[g] > 0 for g in "ABCD") and counts["未评"] > 0  # a few have no land recorded
    assert "经济运行月报，1–12月累计" in str(last.exclude(grade="").first().inputs)
    changes = set(last.values_list("change", flat=True))
    assert {"up", "down", "same"} <= changes
    assert EvaluationResult.objects.filter(year=2022).exclude(grade="").count() > 100

    results, inputs = EvaluationResult.objects.count(), EvaluationInput.objects.count()
    assert generate_evaluation(TODAY) is None
    assert (EvaluationResult.objects.count(), EvaluationInput.objects.count()) == (results, inputs)
