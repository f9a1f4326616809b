"""``make bench``: time the registry's hot paths and write docs/benchmarks.md.

Runs against a throw-away SQLite file (or ``DATABASE_URL`` when set), builds the demo zone
at two sizes and times each request through Django's test client (no network, no server),
reporting the median of several runs and the ratio to a constant view timed in the same
process, so a noisy shared machine shifts both alike.
"""

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

RUNS = 7


def _setup():
    os.environ.setdefault("YUANQU_DEBUG", "true")
    os.environ.setdefault("YUANQU_VAR_DIR", tempfile.mkdtemp(prefix="yuanqu-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def median_ms(func, runs=RUNS):
    func()  # warm caches
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def _client(username):
    from django.test import Client

    from yuanqu.users.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def _get(client, path):
    def run():
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return response

    return run


def _reset():
    from django.db import connection

    from yuanqu.core.dbguard import create_triggers, drop_triggers
    from yuanqu.economy.models import AnnualTarget, EnterpriseMonthlyValue, ZoneMonthlyFigure
    from yuanqu.enterprises.models import Contact, Enterprise, Qualification, ScaleRecord
    from yuanqu.users.models import User, Zone

    drop_triggers(connection)
    for model in (EnterpriseMonthlyValue, ZoneMonthlyFigure, AnnualTarget, Qualification, Contact, ScaleRecord):
        model.objects.all().delete()
    User.objects.all().delete()
    Enterprise.objects.all().delete()
    Zone.objects.filter(parent__isnull=False).delete()
    Zone.objects.all().delete()
    create_triggers(connection)


def bench_size(n):
    from yuanqu.economy.demo import generate_economy
    from yuanqu.enterprises.demo import generate

    _reset()
    start = time.perf_counter()
    generate(n=n)
    generate_economy()
    seed_s = time.perf_counter() - start
    staff, grid = _client("staff"), _client("grid")
    rows = [("seed the demo zone with two years of monthly reports", seed_s * 1000)]
    rows.append(("baseline: /healthz (constant view)", median_ms(_get(staff, "/healthz"))))
    rows.append(("enterprise list, page 1 (staff, all records)", median_ms(_get(staff, "/enterprises/"))))
    rows.append(("enterprise list, page 1 (grid worker, own 片区)", median_ms(_get(grid, "/enterprises/"))))
    rows.append(
        ("list filtered: 高新技术企业 valid today", median_ms(_get(staff, "/enterprises/?qualification=hnte")))
    )
    rows.append(("list search by name (q=科技)", median_ms(_get(staff, "/enterprises/?q=%E7%A7%91%E6%8A%80"))))
    from yuanqu.enterprises.models import Enterprise

    detail = Enterprise.objects.order_by("pk").first().get_absolute_url()
    rows.append(("enterprise detail page", median_ms(_get(staff, detail))))
    rows.append((f"Excel export of all {n} rows", median_ms(_get(_client("leader"), "/enterprises/?export=xlsx"), runs=3)))
    rows.append(("API list, 50 per page (staff)", median_ms(_get(staff, "/api/enterprises/"))))
    leader = _client("leader")
    rows.append(("经济运行 summary, all indicators (leader)", median_ms(_get(leader, "/economy/"))))
    rows.append(("驾驶舱 cockpit (leader)", median_ms(_get(leader, "/cockpit/"))))
    rows.append(("驾驶舱 cockpit (grid worker, own 片区)", median_ms(_get(grid, "/cockpit/"))))
    from yuanqu.economy.models import EnterpriseMonthlyValue

    rows.append(("monthly values stored", float(EnterpriseMonthlyValue.objects.count())))
    return rows


def main():
    _setup()
    from django.db import connection

    sizes = [int(s) for s in os.environ.get("YUANQU_BENCH_SIZES", "600,6000").split(",")]
    results = {n: bench_size(n) for n in sizes}
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m yuanqu.benchmarks`). Each figure is the median of",
        f"{RUNS} runs (exports: 3) in milliseconds, through Django's test client in one process",
        f"on {connection.vendor} ({platform.python_implementation()} {platform.python_version()},",
        f"{os.cpu_count()} cores); the ratio is against the constant view timed in the same run.",
        "",
    ]
    for n, rows in results.items():
        baseline = rows[1][1]
        lines += [f"## Demo zone with {n} enterprises", "", "| what | median ms | × baseline |", "|---|---:|---:|"]
        for label, ms in rows:
            if label.endswith("stored"):
                lines.append(f"| {label} | {int(ms)} rows | |")
                continue
            ratio = "" if label.startswith("seed") else f"{ms / baseline:.1f}"
            lines.append(f"| {label} | {ms:.1f} | {ratio} |")
        lines.append("")
    lines += [
        "Targets: a list page under 200 ms and an export of 10,000 rows under 10 s on this",
        "machine; the restriction of a grid worker costs no more than the unconstrained list.",
        "",
    ]
    out = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
