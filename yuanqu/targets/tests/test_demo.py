"""The demo's target sheet and peer figures, read as a user reads them: ``yuanqu targets`` for
the demo year lists about 30 targets, each with a light or a note saying why not, one
department clearly behind; ``yuanqu figures`` ranks the zone among its peers."""

import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from yuanqu.figures.catalogue import Query, evaluate, figures
from yuanqu.figures.models import PeerValue
from yuanqu.supervision.models import AssessmentPeriod
from yuanqu.targets.demo import LAGGING, PEER_FIGURES, demo_month, generate_peers, generate_targets
from yuanqu.targets.models import Target, TargetReport
from yuanqu.utilities.testing.database import rolled_back

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """One small demo zone for the module, rolled back after it; the tests only read it."""
    with rolled_back(django_db_blocker):
        call_command("seed_demo", enterprises=60, stdout=io.StringIO())
        yield demo_month(timezone.localdate())


def run(command, *args) -> list[dict]:
    out = io.StringIO()
    call_command(command, *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_sheet_has_about_30_targets_each_lit_or_explained(seeded):
    month = seeded
    rows = run("targets", "--year", str(month.year), "--period", f"{month:%Y-%m}")
    assert 28 <= len(rows) <= 32
    for row in rows:
        assert row["light"] in {"green", "yellow", "red"} or row["note"], row
        assert row["department"], row
    # Every kind and every way a plan words a target.
    assert {r["kind"] for r in rows} == {"growth", "total"}
    assert {r["comparator"] for r in rows} == {"ge", "approx", "le", "eq"}
    assert {(r["kind"], r["comparator"]) for r in rows if r["comparator"] == "le"} == {
        ("growth", "le"),
        ("total", "le"),
    }
    by_name = {r["indicator"]: r for r in rows}
    # Growth is compared as growth; a total in another unit than its figure's (万元 → 亿元).
    assert by_name["地区生产总值"]["kind"] == "growth" and by_name["地区生产总值"]["light"]
    assert by_name["规上工业增加值"]["comparator"] == "approx"
    output = by_name["规上工业总产值"]
    assert output["unit"] == "亿元" and output["figure_key"] == "economy.industrial_output"
    assert output["light"] and 1 < output["actual"] < 10_000  # 亿元, not 万元
    # Counts from the pipeline, the registry and the key projects; 办结率 as a total in %.
    for key in ("investment.signed_100m", "enterprises.hnte_new", "projects.listed", "demands.close_rate"):
        assert any(r["figure_key"] == key for r in rows), key
    assert by_name["诉求办结率"]["unit"] == "%" and by_name["诉求办结率"]["light"] == "green"
    # Reported targets show the departments' reports; the limits are kept.
    for name in ("民生支出", "粮食产量", "新增城镇就业", "安全生产事故", "综合能耗增长"):
        assert by_name[name]["reported"] and by_name[name]["actual"] is not None, name
    assert by_name["安全生产事故"]["light"] == "green" and by_name["综合能耗增长"]["light"] == "green"
    assert TargetReport.objects.filter(target__year=month.year).count() >= 10
    assert Target.objects.filter(year=month.year).exclude(phasing=None).count() == 1


def test_one_department_clearly_lags(seeded):
    month = seeded
    rows = run("targets", "--year", str(month.year), "--period", f"{month:%Y-%m}")
    red = Counter(r["department"] for r in rows if r["light"] == "red")
    assert red[LAGGING] >= 3 and all(n < red[LAGGING] for d, n in red.items() if d != LAGGING)
    assert {r["light"] for r in rows if r["department"] == LAGGING} <= {"red", "yellow"}
    lights = Counter(r["light"] for r in rows)
    assert lights["green"] > lights["yellow"] + lights["red"]  # most of the sheet is on track
    # The demo's 目标管理考核 of the month rates that department's targets lowest.
    period = AssessmentPeriod.objects.get(name=f"{month.year}年{month.month}月")
    rated = period.scores.exclude(target_rate=None).select_related("department")
    assert min(rated, key=lambda s: s.target_rate).department.name == LAGGING


def test_the_zone_is_ranked_among_its_peers(seeded):
    month = seeded
    rows = {r["key"]: r for r in run("figures", "--period", f"{month:%Y-%m}")}
    gdp = rows["economy.gdp"]
    assert gdp["rank_of"] == 6 and 1 <= gdp["rank"] <= 6
    assert gdp["growth_rank"] and 0 < gdp["share"] < 0.5
    # 5 peers and 全市 for each month of the year and each headline figure; the ranks move.
    peers = PeerValue.objects.filter(figure="economy.gdp", period=month)
    assert peers.count() == 6 and peers.filter(peer=PeerValue.CITY).exists()
    catalogue, memo, ranks = figures(), {}, set()
    for key in PEER_FIGURES:
        for m in range(1, month.month + 1):
            query = Query(month.replace(month=m), "park", None, None, memo)
            standing = evaluate(catalogue[key], query).standing
            assert standing.rank_of == 6 and standing.share, (key, m)
            ranks.add(standing.rank)
    assert len(ranks) > 1


def test_a_rerun_changes_nothing(seeded):
    before = (Target.objects.count(), TargetReport.objects.count(), PeerValue.objects.count())
    assert generate_targets() == 0 and generate_peers() == 0
    assert (Target.objects.count(), TargetReport.objects.count(), PeerValue.objects.count()) == before
