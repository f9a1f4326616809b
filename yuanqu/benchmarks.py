"""``make bench``: time the registry's hot paths and write docs/benchmarks.md.

Runs against a throw-away SQLite file (or ``DATABASE_URL`` when set), builds the demo zone
at two sizes and times each request through Django's test client (no network, no server),
reporting the median of several runs and the ratio to a constant view timed in the same
process, so a noisy shared machine shifts both alike.

Then the economy at scale (``scale_bench``): 5,000 enterprises × 10 indicators × 120 months
(6 million values, inserted with raw executemany / COPY) on SQLite and on a throw-away
PostgreSQL server (initdb in a temporary directory, as ``scripts/run-tests.sh`` does), timing
the cockpit, the ``indicators`` computation, the figure catalogue and a raw-SQL baseline of
the cockpit's aggregation over the plain value table. Then the monthly import
(``bench_import.py``: a 100,000-row file on SQLite and PostgreSQL) and the HTTP load test
against ``yuanqu serve`` (``bench_load.py``).

Environment: ``YUANQU_BENCH_SIZES`` (demo sizes, default ``600,6000``), ``YUANQU_BENCH_SCALE``
(``5000x120``; ``0`` skips the scale bench, e.g. ``500x24`` for a quick run),
``YUANQU_BENCH_IMPORT_ROWS`` (100000), ``YUANQU_BENCH_POSTGRES`` (``0`` skips PostgreSQL),
``YUANQU_BENCH_FULL_IMPORT`` (``0`` skips the writing import). ``python -m yuanqu.benchmarks
--import-only`` runs only the monthly import on a small registry and prints its table;
``--export-only`` only the Excel export at the bench sizes (default ``600,10000``);
``--load-only`` only the HTTP load test against ``yuanqu serve`` (``yuanqu/bench_load.py``);
``--draft-only`` only the draft check (材料校核) of a 40,000-character draft on a small zone.
"""

import datetime
import io
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUNS = 7


_OWN_VAR_DIR = []  # the throw-away directory this run made (its SQLite file reaches 1.5 GB)


def _setup():
    os.environ.setdefault("YUANQU_DEBUG", "true")
    if "YUANQU_VAR_DIR" not in os.environ:
        _OWN_VAR_DIR.append(tempfile.mkdtemp(prefix="yuanqu-bench-"))
        os.environ["YUANQU_VAR_DIR"] = _OWN_VAR_DIR[0]
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


def _progress(label, ms):
    print(f"  {label}: {ms:.1f} ms", file=sys.stderr, flush=True)
    return ms


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


def _cold(client, path):
    """``_get`` with the page cache emptied before each request: the page computed, as the
    first request after a change of the data sees it (``economy/pagecache.py``)."""
    get = _get(client, path)

    def run():
        from django.core.cache import cache

        cache.clear()
        return get()

    return run


def _reset():
    from django.db import connection

    from yuanqu.core.dbguard import create_triggers, drop_triggers
    from yuanqu.economy.models import EnterpriseMonthlyValue, IndicatorRollup, ZoneMonthlyFigure
    from yuanqu.enterprises.models import Contact, Enterprise, Qualification, ScaleRecord
    from yuanqu.targets.models import Target
    from yuanqu.users.models import User, Zone

    drop_triggers(connection)
    for model in (EnterpriseMonthlyValue, IndicatorRollup):  # millions of rows: no per-row signals
        model.objects.all()._raw_delete(connection.alias)
    for model in (ZoneMonthlyFigure, Target, Qualification, Contact, ScaleRecord):
        model.objects.all().delete()
    User.objects.all().delete()
    Enterprise.objects.all().delete()
    Zone.objects.filter(parent__isnull=False).delete()
    Zone.objects.all().delete()
    create_triggers(connection)


def bench_size(n):
    from yuanqu.economy.demo import generate_economy
    from yuanqu.enterprises.demo import generate
    from yuanqu.targets.demo import generate_targets

    _reset()
    start = time.perf_counter()
    generate(n=n)
    generate_economy()
    seed_s = time.perf_counter() - start
    generate_targets()  # the demo's target sheet, over the figures of this zone
    _progress(f"seed {n}", seed_s * 1000)
    staff, grid = _client("staff"), _client("grid")
    rows = [("seed the demo zone with three years of monthly reports", seed_s * 1000)]
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
    rows.append(export_row(n))
    rows.append(("API list, 50 per page (staff)", median_ms(_get(staff, "/api/enterprises/"))))
    leader = _client("leader")
    rows.append(("经济运行 summary, all indicators (leader)", median_ms(_get(leader, "/economy/"))))
    rows.append(("驾驶舱 cockpit (leader, computed)", median_ms(_cold(leader, "/cockpit/"))))
    rows.append(("驾驶舱 cockpit (grid worker, own 片区, computed)", median_ms(_cold(grid, "/cockpit/"))))
    rows.append(
        ("驾驶舱 cockpit (leader, unchanged data: from the cache)", median_ms(_get(leader, "/cockpit/")))
    )
    rows += response_cache_rows(leader, staff)
    from yuanqu.bench_figures import catalogue_rows, target_rows

    rows += catalogue_rows(median_ms, leader)
    rows += target_rows(median_ms, leader)
    rows.append(draft_check_row())
    from yuanqu.documents.reports.bench import annual_rows

    rows += annual_rows(median_ms)
    from yuanqu.economy.models import EnterpriseMonthlyValue

    rows.append(("monthly values stored", float(EnterpriseMonthlyValue.objects.count())))
    return rows


def response_cache_rows(leader, staff):
    """The pages the response cache answers (``core/pagecache.py``; off in the test settings
    the bench runs on, so every row above ran its view), asked again with the data unchanged."""
    from django.test import override_settings

    pages = [
        ("驾驶舱 cockpit (leader)", leader, "/cockpit/"),
        ("enterprise list, page 1 (staff)", staff, "/enterprises/"),
        ("API list, 50 per page (staff)", staff, "/api/enterprises/"),
        ("我的待办 (staff)", staff, "/my-work/"),
    ]
    rows = []
    with override_settings(YUANQU_PAGE_CACHE=True):
        for label, client, path in pages:
            get = _get(client, path)
            get()  # the client's CSRF cookie, then the page stored
            rows.append((f"{label}, unchanged data: from the response cache", median_ms(get)))
    return rows


DRAFT_CHARS = 40000


def bench_draft(period, chars=DRAFT_CHARS) -> str:
    """A draft of ``chars`` characters: the two sample reports, then paragraphs of figures of
    the catalogue for ``period`` as a monthly analysis states them (value, unit, growth)."""
    from yuanqu.figures.catalogue import figures

    samples = Path(__file__).resolve().parent / "documents" / "tests" / "samples"
    parts = [p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt"))]
    names = [(f.name, f.unit) for f in figures().values() if f.unit not in ("%", "")]
    rng = random.Random(11)
    text = "\n".join(parts)
    while len(text) < chars:
        name, unit = rng.choice(names)
        value, growth = rng.uniform(1, 900), rng.uniform(-20, 30)
        words = "增长" if growth >= 0 else "下降"
        text += (
            f"\n{period.year}年1—{period.month}月，园区{name}{value:.1f}{unit}，同比{words}{abs(growth):.1f}%，"
            f"较上月提高{rng.uniform(0, 3):.1f}个百分点；新增企业{rng.randint(10, 900)}家，"
            f"引进亿元以上项目{rng.randint(1, 90)}个，完成投资{rng.uniform(1, 90):.2f}亿元。"
        )
    return text[:chars]


def draft_check_row():
    """The draft check (材料校核) of a 40,000-character draft, every claim compared with the
    catalogue for the demo's last month."""
    from yuanqu.documents.draftcheck import check
    from yuanqu.economy.models import EnterpriseMonthlyValue

    latest = EnterpriseMonthlyValue.objects.order_by("-period").values_list("period", flat=True).first()
    period = latest or datetime.date.today().replace(day=1)
    text = bench_draft(period)
    ms = median_ms(lambda: check(text, period=period), runs=5)
    return (
        f"draft check (材料校核) of a {len(text):,}-character draft (target < 1 s)",
        _progress("draft check", ms),
    )


def draft_only():
    """``--draft-only``: the draft check on a small demo zone."""
    from yuanqu.economy.demo import generate_economy
    from yuanqu.enterprises.demo import generate

    _reset()
    generate(n=int(os.environ.get("YUANQU_BENCH_DRAFT_SIZE", "600")))
    generate_economy()
    label, ms = draft_check_row()
    print(f"| {label} | {ms:.1f} |")
    return 0


def export_row(n):
    """The leader's Excel export of all ``n`` enterprises (streamed body read whole), as rows/s."""
    ms = median_ms(_get_body(_client("leader"), "/enterprises/?export=xlsx"), runs=3)
    return (f"Excel export of all {n} rows ({n * 1000 / ms:,.0f} rows/s; target ≥ 20,000)", ms)


def _get_body(client, path):
    def run():
        response = _get(client, path)()
        return b"".join(response.streaming_content) if response.streaming else response.content

    return run


def _wall_and_cpu_ms(func, runs=5):
    """Medians of wall time and of this process's CPU time: on a shared machine the CPU time
    says what the code costs, the wall time what a user waited."""
    func()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def _write_floors(n):
    """Writing the export's rows, already read into memory, with the export's writer and with
    the old one (xlsxwriter, constant memory) in the same run: what the query and the request
    cost is the rest."""
    from yuanqu.bench_export import xlsxwriter_write
    from yuanqu.enterprises.models import Enterprise
    from yuanqu.enterprises.tables import EnterpriseTable
    from yuanqu.utilities.excel import table_rows, write_xlsx

    sheet = table_rows(EnterpriseTable(Enterprise.objects.all(), exporting=True))
    rows = list(sheet.rows)
    assert len(rows) == n

    def timed(writer):
        def write():
            with tempfile.TemporaryFile() as handle:
                writer(handle, "企业", sheet.header, rows, sheet.figures)

        return _wall_and_cpu_ms(write)

    return timed(write_xlsx), timed(xlsxwriter_write)


def export_only():
    """Only the export figure, beside the constant view, on registries of the bench sizes
    without the monthly reports (``--export-only``), in wall and CPU time, with the writer's
    floor and the old xlsxwriter floor of the same rows."""
    from yuanqu.enterprises.demo import generate

    lines = ["| what | median ms | CPU ms | rows/s (wall) | rows/s (CPU) |", "|---|---:|---:|---:|---:|"]
    for n in [int(s) for s in os.environ.get("YUANQU_BENCH_SIZES", "600,10000").split(",") if s]:
        _reset()
        generate(n=n)
        baseline = _wall_and_cpu_ms(_get(_client("staff"), "/healthz"))
        export = _wall_and_cpu_ms(_get_body(_client("leader"), "/enterprises/?export=xlsx"))
        floor, old_floor = _write_floors(n)
        lines.append(f"| baseline: /healthz ({n} enterprises) | {baseline[0]:.1f} | {baseline[1]:.1f} | | |")
        for label, (ms, cpu) in ((f"Excel export of all {n} enterprises", export),
                                 (f"floor: `write_xlsx` writing the same {n} rows already in memory", floor),
                                 (f"old floor: xlsxwriter (constant memory) writing the same {n} rows", old_floor)):  # fmt: skip
            lines.append(f"| {label} | {ms:.1f} | {cpu:.1f} | {n * 1000 / ms:,.0f} | {n * 1000 / cpu:,.0f} |")
    print("\n".join(lines))
    return 0


def main():
    if "--load-only" in sys.argv:  # the HTTP load test alone (yuanqu/bench_load.py)
        from yuanqu.bench_load import load_bench, load_section

        print("\n".join(load_section(load_bench())))
        return 0
    if "--import-only" in sys.argv:  # the import figures alone (SQLite, then PostgreSQL): bench_import.py
        from yuanqu import bench_import

        _setup()
        return bench_import.main(_reset)
    if "--export-only" in sys.argv:  # the export figures alone, without the monthly reports
        _setup()
        return export_only()
    if "--draft-only" in sys.argv:  # the draft check alone, on a small demo zone
        _setup()
        return draft_only()
    if "--scale-only" in sys.argv:  # the PostgreSQL run, in its own process
        _setup()
        result = scale_bench()
        Path(sys.argv[sys.argv.index("--scale-only") + 1]).write_text(json.dumps(result), encoding="utf-8")
        return 0
    _setup()
    from django.db import connection

    sizes = [int(s) for s in os.environ.get("YUANQU_BENCH_SIZES", "600,6000").split(",") if s]
    results = {n: bench_size(n) for n in sizes}
    scale = {}
    if os.environ.get("YUANQU_BENCH_SCALE", "5000x120") != "0":
        scale["sqlite"] = scale_bench()
        if os.environ.get("YUANQU_BENCH_POSTGRES", "1") != "0":
            scale["postgresql"] = postgres_scale_bench()
    from yuanqu import bench_import
    from yuanqu.bench_load import load_bench, load_section

    imports = bench_import.import_results(_reset)
    load = load_bench()
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`python -m yuanqu.benchmarks`). Each figure is the median of",
        f"{RUNS} runs (exports: 3) in milliseconds, through Django's test client in one process",
        f"on {connection.vendor} ({platform.python_implementation()} {platform.python_version()},",
        f"{os.cpu_count()} cores); the ratio is against the constant view timed in the same run.",
        "",
        "The figures of one part alone (`--import-only`, `--load-only`, `--export-only`, `--draft-only`),",
        "each with its command, the machine's load and what changed since the run before, are kept",
        "by hand in [benchmarks-history.md](benchmarks-history.md), dated; this file is rewritten by",
        "every run.",
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
        "Targets: a list page under 200 ms and an export of 10,000 enterprises under 1 s (≥ 20,000",
        "rows/s) on this machine; the restriction of a grid worker costs no more than the",
        "unconstrained list.",
        "",
    ]
    if scale:
        lines += scale_section(scale)
    lines += bench_import.import_section(imports)
    lines += load_section(load)
    out = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


# --- the economy at scale -----------------------------------------------------------------


def _scale_size():
    enterprises, months = os.environ.get("YUANQU_BENCH_SCALE", "5000x120").split("x")
    return int(enterprises), int(months)


SEASON = [60, 65, 85, 83, 85, 88, 82, 83, 87, 86, 86, 110]


def _insert_values(enterprise_ids, indicators, periods, rng):
    """Monthly values for every enterprise, indicator and month by raw executemany (SQLite)
    or COPY (PostgreSQL): about 5 % enter the population late and 3 % leave early."""
    from django.db import connection, transaction
    from django.utils import timezone

    from yuanqu.economy.models import EnterpriseMonthlyValue

    table = EnterpriseMonthlyValue._meta.db_table
    columns = ["enterprise_id", "indicator_id", "period", "month_value", "ytd_value", "version",
               "is_current", "reason", "created", "last_updated"]  # fmt: skip
    now = timezone.now()
    ratios = [rng.uniform(0.5, 1.5) for _ in indicators]

    def rows():
        for enterprise in enterprise_ids:
            size = rng.lognormvariate(6, 1.0)
            first = rng.randrange(len(periods)) if rng.random() < 0.05 else 0
            last = rng.randrange(first, len(periods)) if rng.random() < 0.03 else len(periods) - 1
            ytd = [0.0] * len(indicators)
            for index, period in enumerate(periods):
                if period.month == 1:
                    ytd = [0.0] * len(indicators)
                if not first <= index <= last:
                    continue
                output = size * SEASON[period.month - 1] / 83 * (1 + index / 240) * rng.uniform(0.9, 1.1)
                for position, indicator in enumerate(indicators):
                    month = round(output * ratios[position], 2)
                    ytd[position] = round(ytd[position] + month, 2)
                    yield (enterprise, indicator.pk, period, month, ytd[position], 1, True, "", now, now)

    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows():
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch = []
        for row in rows():
            batch.append((*row[:2], row[2].isoformat(), *row[3:]))
            if len(batch) == 50_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        cursor.executemany(sql, batch)
        return count + len(batch)


def baseline_sql(indicators, primary, period):
    """The cockpit's aggregation in plain SQL over the value table, without rollups: per
    headline indicator the month's sums with the comparable pairing, a year earlier and last
    December; the 24 months of the trends; each enterprise's YTD of the primary indicator."""
    from django.db import connection

    from yuanqu.economy.models import EnterpriseMonthlyValue
    from yuanqu.economy.rollups import _unindexed
    from yuanqu.economy.services import add_months, last_year

    table = EnterpriseMonthlyValue._meta.db_table
    earlier, december = last_year(period), datetime.date(period.year - 1, 12, 1)
    months = [datetime.date(y, m, 1) for y in (period.year - 1, period.year) for m in range(1, 13)]
    with connection.cursor() as cursor:
        for indicator in indicators:
            cursor.execute(
                f"""SELECT SUM(v.month_value), COUNT(v.month_value), SUM(v.ytd_value), COUNT(v.ytd_value),
                    COUNT(b.ytd_value), SUM(CASE WHEN b.ytd_value IS NOT NULL THEN v.ytd_value END), SUM(b.ytd_value)
                FROM {table} v LEFT JOIN {table} b ON b.enterprise_id = v.enterprise_id
                    AND b.indicator_id = v.indicator_id AND b.period = %s AND {_unindexed("b.is_current")} = %s
                WHERE v.indicator_id = %s AND v.period = %s AND v.is_current = %s""",
                [earlier, True, indicator.pk, period, True],
            )
            cursor.fetchall()
            for when in (earlier, december):
                cursor.execute(
                    f"SELECT SUM(ytd_value), COUNT(ytd_value) FROM {table} "
                    "WHERE indicator_id = %s AND period = %s AND is_current = %s",
                    [indicator.pk, when, True],
                )
                cursor.fetchall()
        marks = ", ".join(["%s"] * len(months))
        cursor.execute(
            f"SELECT indicator_id, period, SUM(month_value) FROM {table} WHERE indicator_id IN "
            f"({', '.join(['%s'] * len(indicators))}) AND period IN ({marks}) AND is_current = %s "
            "GROUP BY indicator_id, period",
            [*(i.pk for i in indicators), *months, True],
        )
        cursor.fetchall()
        cursor.execute(
            f"SELECT period, enterprise_id, ytd_value FROM {table} "
            "WHERE indicator_id = %s AND period IN (%s, %s, %s) AND is_current = %s",
            [primary.pk, period, earlier, add_months(period, -1), True],
        )
        cursor.fetchall()


def scale_bench() -> dict:
    """Build the zone at scale and time the economy over it; returns the figures."""
    from django.core.management import call_command
    from django.db import connection

    from yuanqu.economy import rollups
    from yuanqu.economy.cockpit import HEADLINE, PRIMARY
    from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator
    from yuanqu.economy.services import add_months, indicator_summary
    from yuanqu.enterprises.demo import generate
    from yuanqu.enterprises.models import Enterprise

    n, months = _scale_size()
    _reset()
    timings = {}
    start = time.perf_counter()
    generate(n=n)
    timings["register the enterprises (enterprises demo)"] = _progress("register", (time.perf_counter() - start) * 1000)
    last = add_months(datetime.date.today().replace(day=1), -1)
    periods = [add_months(last, -k) for k in range(months - 1, -1, -1)]
    indicators = list(Indicator.objects.filter(active=True).order_by("order", "code")[:10])
    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True))
    start = time.perf_counter()
    count = _insert_values(ids, indicators, periods, random.Random(2024))
    timings["insert the values (executemany / COPY)"] = _progress("insert", (time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["ANALYZE"] = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    rollups.rebuild()
    timings["build the rollups from scratch"] = _progress("rollups", (time.perf_counter() - start) * 1000)

    leader, grid = _client("leader"), _client("grid")
    headline = sorted((i for i in indicators if i.code in HEADLINE), key=lambda i: HEADLINE.index(i.code))
    primary = Indicator.objects.get(code=PRIMARY)
    rows = []

    def add(label, ms):
        rows.append((label, _progress(label, ms)))

    add("baseline: /healthz (constant view)", median_ms(_get(leader, "/healthz")))
    add("raw SQL: the cockpit's aggregation over the plain value table", median_ms(lambda: baseline_sql(headline, primary, last)))
    # The cockpit computed (the first request after a write): wall time, and this process's
    # CPU time, which the other processes of a shared machine do not inflate as much.
    for label, client in (("leader, whole park", leader), ("grid worker, own 片区", grid)):
        wall, cpu = _wall_and_cpu_ms(_cold(client, "/cockpit/"), runs=RUNS)
        add(f"驾驶舱 cockpit ({label})", wall)
        add(f"驾驶舱 cockpit ({label}), CPU time", cpu)
    add("驾驶舱 cockpit (leader, unchanged data: from the cache)", median_ms(_get(leader, "/cockpit/")))
    add("`indicators` computation, 10 indicators (rollups)", median_ms(lambda: indicator_summary(last)))
    add(
        "`indicators` computation, 10 indicators (value table, no rollups)",
        median_ms(lambda: indicator_summary(last, values=EnterpriseMonthlyValue.objects.all()), runs=3),
    )
    add("经济运行 summary page (leader)", median_ms(_get(leader, "/economy/")))
    out = io.StringIO()
    command = ("indicators", "--period", f"{last:%Y-%m}", "--json")
    add("`yuanqu indicators` command", median_ms(lambda: call_command(*command, stdout=out), runs=3))
    from yuanqu.bench_figures import catalogue_rows, target_rows

    for label, ms in catalogue_rows(lambda func: median_ms(func, runs=3)):
        add(label, ms)
    for label, ms in target_rows(lambda func: median_ms(func, runs=3)):
        add(label, ms)
    stored = EnterpriseMonthlyValue.objects.count()
    return {
        "vendor": connection.vendor,
        "load": round(os.getloadavg()[0], 1),
        "enterprises": n,
        "indicators": len(indicators),
        "months": months,
        "inserted": count,
        "stored": stored,
        "build": timings,
        "rows": rows,
    }


def postgres_scale_bench():
    """The scale bench again on a throw-away PostgreSQL server, in a child process."""
    from yuanqu.bench_postgres import throwaway_postgres

    with throwaway_postgres() as url:
        if url is None:
            return {"skipped": "没有找到 PostgreSQL（initdb 不在 PATH 或 /usr/lib/postgresql 中），跳过"}
        out = Path(tempfile.mkdtemp(prefix="yuanqu-bench-")) / "postgres.json"
        env = {**os.environ, "DATABASE_URL": url}
        env.pop("YUANQU_VAR_DIR", None)
        subprocess.run([sys.executable, "-m", "yuanqu.benchmarks", "--scale-only", str(out)], check=True, env=env)
        result = json.loads(out.read_text(encoding="utf-8"))
        shutil.rmtree(out.parent, ignore_errors=True)
        return result


def scale_section(scale: dict) -> list[str]:
    lines = ["## The economy at scale", ""]
    first = next((r for r in scale.values() if "rows" in r), None)
    if first:
        lines += [
            f"{first['enterprises']} enterprises × {first['indicators']} indicators × {first['months']} months "
            f"({first['inserted']:,} values, inserted by raw executemany on SQLite and COPY on PostgreSQL; 6 million "
            "slots less the enterprises that enter late or leave early); the cockpit and the `indicators` "
            "computation read the rollups (`economy.IndicatorRollup`: sums per indicator, month, "
            "片区 and 产业链 with the comparable set's pairing, rebuilt for the written (indicator, month) pairs on every "
            "write, see `economy/rollups.py`). The raw-SQL baseline is the cockpit's aggregation (cards with the "
            "comparable pairing, 24 months of trends, every enterprise's YTD of the primary indicator) in plain "
            "SQL over the value table in the same run; “× raw SQL” is each figure over it.",
            "",
        ]
    for vendor, result in scale.items():
        if "rows" not in result:
            lines += [f"### {vendor}", "", result.get("skipped", "not run"), ""]
            continue
        raw = next(ms for label, ms in result["rows"] if label.startswith("raw SQL"))
        lines += [f"### {vendor}", ""]
        if "load" in result:
            lines += [f"Load average (1 min) at the end of the run: {result['load']}.", ""]
        lines += ["| what | median ms | × raw SQL |", "|---|---:|---:|"]
        for label, ms in result["rows"]:
            lines.append(f"| {label} | {ms:.1f} | {ms / raw:.2f} |")
        lines += ["", "| building the data | ms |", "|---|---:|"]
        lines += [f"| {label} | {ms:.0f} |" for label, ms in result["build"].items()]
        lines.append("")
    lines += [
        "Targets: the cockpit under 300 ms at 6 million values on SQLite, within 3× of the raw-SQL",
        "baseline. The monthly import has its own section below (`yuanqu/bench_import.py`).",
        "",
        "Notes. The plain tables cannot get there: the cards and the trends aggregate about half a",
        "million values per request, so the cockpit and the `indicators` computation read the",
        "rollups, kept per 片区 and 产业链, which also give the chains and 片区 of the primary indicator;",
        "only the top 20, the warnings and the drags read the value table: one grouped query over three",
        "months of one indicator that returns just the enterprises listed. Users restricted by",
        "片区 (grid workers) read the rollups of their 片区; users restricted otherwise (own department,",
        "own enterprise) use the value table. The monthly import fetches every lookup once (enterprises",
        "by USCC, the month's versions, last month's YTD, earlier months on demand), so validating has",
        "no query per row; first versions are inserted in bulk (multi-row INSERTs on SQLite, COPY on",
        "PostgreSQL) with one change-log record per row of the file; the cyclic garbage collector is",
        "paused while a file is read, validated and written. `utilities.xlsx_reader` reads the first",
        "sheet with python-calamine after scanning",
        "every XML part for DTDs and entities; the floor row is calamine's bare read of the same file",
        "(openpyxl stays the fallback for sheets with error cells and files calamine cannot open).",
        "The 经济运行 summary page reads the rollups like the cockpit (leaders, grid workers).",
        "",
    ]
    return lines


def _cleanup():
    from django.db import connections

    connections.close_all()
    for path in _OWN_VAR_DIR:
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    try:
        status = main()
    finally:
        _cleanup()
    sys.exit(status)
