"""The cockpit's lists of the primary indicator (top 20, warnings, the largest drags) read
each enterprise's YTD without the ORM's per-row cost and compute the 拉动 only for the rows
shown: they must say exactly what the services' own computations say."""

import datetime
import random
from decimal import Decimal as D

from yuanqu.economy.cockpit import _ranking, primary_figures
from yuanqu.economy.models import EnterpriseMonthlyValue
from yuanqu.economy.services import enterprise_pulls, growth_rate, ranking, record_enterprise_value
from yuanqu.enterprises.models import Enterprise
from yuanqu.utilities.testing import factories as f

AUG, JUL, AUG_LAST = datetime.date(2024, 8, 1), datetime.date(2024, 7, 1), datetime.date(2023, 8, 1)


def test_the_top_list_ranks_as_the_services_ranking():
    rng = random.Random(7)
    for _ in range(50):
        values = {
            pk: D(rng.choice([100, 200, 200, 300, 450, 450, 450, 500])) for pk in range(rng.randrange(1, 60))
        }
        values[999] = None  # no value: not ranked
        assert _ranking(values, 20) == ranking(values, 20)


def test_warnings_and_drags_say_what_the_services_say(econ_dept, east, west, output):
    rng = random.Random(11)
    current, previous, last_month = {}, {}, {}
    for n in range(24):
        enterprise = f.enterprise(
            f"测试{n:02d}制造有限公司", dept=econ_dept, zone_obj=east if n % 2 else west
        )
        now = D(rng.randrange(500, 1500))
        before = now * D(rng.choice(["0.6", "0.9", "1.1", "1.4", "2"]))
        if n % 7 == 3:  # reported last month, not this month: a silent warning
            record_enterprise_value(enterprise, output, JUL, month_value=now / 7, ytd_value=now)
            last_month[enterprise.pk] = now
            now = None
        else:
            record_enterprise_value(enterprise, output, AUG, month_value=now / 8, ytd_value=now)
            record_enterprise_value(enterprise, output, JUL, month_value=now / 8, ytd_value=now * 7 / 8)
            current[enterprise.pk] = now
        if n % 5 != 4:  # the others are new this year: no base
            record_enterprise_value(enterprise, output, AUG_LAST, month_value=before / 8, ytd_value=before)
            previous[enterprise.pk] = before
    figures = primary_figures(AUG, EnterpriseMonthlyValue.objects.filter(is_current=True), output)

    pulls = enterprise_pulls(current, previous)
    names = dict(Enterprise.objects.values_list("pk", "name"))
    fallen = sorted(
        (current[pk] - previous[pk], names[pk], pk)
        for pk in current.keys() & previous.keys()
        if growth_rate(current[pk], previous[pk]).value < D("-0.2")
    )
    silent = sorted((-(previous.get(pk) or last_month[pk]), names[pk], pk) for pk in last_month)
    assert fallen and silent  # the data have both kinds
    assert [w["id"] for w in figures["warnings"]] == [pk for *_, pk in fallen] + [pk for *_, pk in silent]
    for row in figures["warnings"]:
        expected = pulls.get(row["id"])
        assert row["pull_pp"] == (None if expected is None else round(float(expected), 2))
    drags = sorted((pull, names[pk]) for pk, pull in pulls.items() if pull < 0)[:5]
    assert len(drags) == 5
    assert [(d["name"], d["pull_pp"]) for d in figures["drags"]] == [
        (n, round(float(p), 2)) for p, n in drags
    ]
    assert [(t["rank"], t["name"]) for t in figures["top"]] == [
        (r, names[pk]) for r, pk, _ in ranking(current, 20)
    ]


def test_a_user_whose_grant_applies_to_nothing_sees_empty_lists(output):
    figures = primary_figures(AUG, EnterpriseMonthlyValue.objects.none(), output)
    assert (figures["top"], figures["warnings"], figures["drags"]) == ([], [], [])
