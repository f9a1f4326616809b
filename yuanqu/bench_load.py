"""The load test of ``make bench``: pages over HTTP against ``yuanqu serve``.

A demo zone of 600 enterprises is built in a throw-away directory (SQLite) or database
(PostgreSQL, a throw-away server), then ``python -m yuanqu.cli serve`` starts gunicorn with its
two sync workers on production settings (``YUANQU_DEBUG=false``, a secret key, allowed hosts
127.0.0.1). A leader and a staff user log in with a real POST to ``/login/`` (CSRF token from
the form), and 16 client threads request one page at a time for a few seconds each.

The client is the standard library's ``http.client`` with one connection per thread (gunicorn's
sync workers close the connection after every response, so each request opens a new one, as a
browser behind no proxy would). It adds no dependency; its own cost per request (~0.2 ms of
the shared CPU) is part of every figure, the anonymous ``/healthz`` ceiling included.

``python -m yuanqu.benchmarks --load-only`` runs only this and prints its table.
Environment: ``YUANQU_BENCH_LOAD_SECONDS`` (per page, default 10), ``YUANQU_BENCH_LOAD_USERS``
(16), ``YUANQU_BENCH_POSTGRES`` (``0`` skips PostgreSQL).
"""

import base64
import contextlib
import http.client
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent  # the checkout whose code the server runs


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def postgres_server():
    """A throw-away PostgreSQL server with durable commits, as production runs; yields its
    DATABASE_URL, or None when none is installed."""
    from yuanqu.bench_postgres import throwaway_postgres

    return throwaway_postgres("yuanqu-load-pg-", durable=True)


def _production_env(var_dir: str, database_url: str | None) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("YUANQU_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(
        YUANQU_DEBUG="false",
        YUANQU_SECRET_KEY=secrets.token_urlsafe(50),
        YUANQU_FIELD_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
        YUANQU_ALLOWED_HOSTS=HOST,
        YUANQU_VAR_DIR=var_dir,
        YUANQU_LOG_LEVEL="ERROR",
        # Production sits behind a TLS proxy (.env.example); the client sends its header.
        YUANQU_SECURE_PROXY_SSL_HEADER="true",
        YUANQU_TRUSTED_PROXIES=HOST,
        # The demo's leader has no one-time-code device: production requires one of leaders.
        YUANQU_OTP_REQUIRED_ROLES="",
        DJANGO_SETTINGS_MODULE="yuanqu.settings",
        PYTHONPATH=str(ROOT),
    )
    # Serving in production refuses to start without DATABASE_URL (yuanqu.cli.require_serving):
    # on SQLite it names the throw-away directory's file.
    env["DATABASE_URL"] = database_url or f"sqlite:///{Path(var_dir) / 'yuanqu.sqlite3'}"
    return env


def _manage(env, *args):
    subprocess.run([sys.executable, "-m", "yuanqu.cli", *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux /proc; empty elsewhere)."""
    found = []
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                with contextlib.suppress(OSError), open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
    return found


def _cpu_seconds(pids) -> float:
    """User + system CPU seconds the processes ``pids`` have used (Linux /proc)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError), open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 0.0


_server_pid: list[int] = []  # the running ``yuanqu serve`` (its workers are its children)


@contextlib.contextmanager
def served_demo(database_url: str | None = None):
    """``yuanqu serve`` (2 workers, production settings) over a fresh 600-enterprise demo;
    yields the port."""
    var_dir = tempfile.mkdtemp(prefix="yuanqu-load-")
    env = _production_env(var_dir, database_url)
    _manage(env, "migrate", "--verbosity", "0")
    _manage(env, "seed-demo", "--enterprises", "600")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    port = _free_port()
    log = open(Path(var_dir) / "serve.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen([sys.executable, "-m", "yuanqu.cli", "serve", "--host", HOST, "--port", str(port),
                               "--workers", "2"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(
                    f"yuanqu serve stopped: {(Path(var_dir) / 'serve.log').read_text()[-2000:]}"
                )
            try:
                if _request(port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("yuanqu serve did not answer /healthz within 60 s")
            time.sleep(0.2)
        _server_pid[:] = [server.pid]
        yield port
    finally:
        _server_pid.clear()
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(var_dir, ignore_errors=True)


def _request(port, path, method="GET", body=None, headers=None, conn=None):
    """(status, headers, body) of one request, as the TLS proxy forwards it; opens a
    connection unless given one."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"X-Forwarded-Proto": "https", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        if own:
            conn.close()


def _cookies(headers) -> dict:
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def _demo_password() -> str:
    from django.conf import settings

    if not settings.configured:  # --load-only: settings for the import, no database opened here
        os.environ.setdefault("YUANQU_VAR_DIR", os.path.join(tempfile.gettempdir(), "yuanqu-load-client"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings_test")
        import django

        django.setup()
    from yuanqu.enterprises.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


def login(port, username) -> str:
    """Log ``username`` in through the form (CSRF cookie and token); returns the Cookie header."""
    status, headers, body = _request(port, "/login/")
    assert status == 200, f"GET /login/ answered {status}"
    cookies = _cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": _demo_password()})
    status, headers, _ = _request(
        port, "/login/", "POST", form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookies['csrftoken']}",
         "Origin": f"https://{HOST}:{port}", "Referer": f"https://{HOST}:{port}/login/"},
    )  # fmt: skip
    session = _cookies(headers).get("sessionid")
    if status != 302 or not session:
        raise RuntimeError(f"login of {username} failed ({status})")
    return f"csrftoken={cookies['csrftoken']}; sessionid={session}"


def drive(port, path, cookie, users, seconds) -> dict:
    """``users`` threads requesting ``path`` back to back for ``seconds``; the figures."""
    latencies, errors = [], [0]
    lock = threading.Lock()
    headers = {"Cookie": cookie} if cookie else {}
    start = time.perf_counter()
    stop_at = start + seconds

    def client():
        mine, failed = [], 0
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.perf_counter() < stop_at:
            began = time.perf_counter()
            try:
                status, _, _ = _request(port, path, headers=headers, conn=conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                status = 0
            if status == 200:
                mine.append(time.perf_counter() - began)
            else:
                failed += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies.sort()
    count = len(latencies)
    return {
        "requests": count,
        "rps": count / elapsed,
        "p50": statistics.median(latencies) * 1000 if count else 0.0,
        "p99": latencies[min(count - 1, int(count * 0.99))] * 1000 if count else 0.0,
        "errors": errors[0],
    }


def pages(port) -> list[tuple[str, str, str]]:
    """(label, path, user) of the pages under load; the indicator page is the first listed."""
    leader = login(port, "leader")
    staff = login(port, "staff")
    _, _, body = _request(port, "/indicators/", headers={"Cookie": leader})
    indicator = re.search(rb'href="(/indicators/\d+/)"', body).group(1).decode()
    return [
        ("/healthz, anonymous (the ceiling)", "/healthz", ""),
        ("/healthz, leader's session", "/healthz", leader),
        ("驾驶舱 cockpit (leader)", "/cockpit/", leader),
        ("enterprise list, page 1 (leader)", "/enterprises/", leader),
        ("indicator page (leader)", indicator, leader),
        ("API list, 50 enterprises (leader, session)", "/api/enterprises/", leader),
        ("我的待办 (staff)", "/my-work/", staff),
    ]


def run(database_url=None, seconds=None, users=None) -> list[tuple[str, dict]]:
    seconds = seconds or float(os.environ.get("YUANQU_BENCH_LOAD_SECONDS", "10"))
    users = users or int(os.environ.get("YUANQU_BENCH_LOAD_USERS", "16"))
    rows = []
    with served_demo(database_url) as port:
        for label, path, cookie in pages(port):
            drive(port, path, cookie, users, min(1.0, seconds))  # warm both workers
            workers = _children(_server_pid[0]) if _server_pid else []
            before = _cpu_seconds(workers)
            result = drive(port, path, cookie, users, seconds)
            # The workers' own CPU per answer: what the page costs the server, whatever else
            # runs on the machine (the database server's share is not in it).
            result["worker_cpu_ms"] = (_cpu_seconds(workers) - before) * 1000 / (result["requests"] or 1)
            print(f"  load {label}: {result['rps']:.0f} req/s, p50 {result['p50']:.1f} ms, "
                  f"p99 {result['p99']:.1f} ms, {result['errors']} errors, "
                  f"workers {result['worker_cpu_ms']:.2f} ms CPU/request", file=sys.stderr, flush=True)  # fmt: skip
            rows.append((label, result))
    return rows


def load_bench() -> dict:
    """The load test on SQLite and (unless ``YUANQU_BENCH_POSTGRES=0``) PostgreSQL."""
    results = {"sqlite": run()}
    if os.environ.get("YUANQU_BENCH_POSTGRES", "1") != "0":
        with postgres_server() as url:
            results["postgresql"] = run(url) if url else "没有找到 PostgreSQL，跳过"
    return results


def _loadavg() -> list[str]:
    try:
        with open("/proc/loadavg") as f:
            return f.read().split()[:3]
    except OSError:
        return ["?"]


def load_section(results: dict) -> list[str]:
    users = int(os.environ.get("YUANQU_BENCH_LOAD_USERS", "16"))
    seconds = float(os.environ.get("YUANQU_BENCH_LOAD_SECONDS", "10"))
    lines = [
        "## Under load: HTTP against `yuanqu serve`",
        "",
        "`yuanqu serve` (gunicorn, 2 sync workers) on production settings over a fresh demo zone of 600",
        f"enterprises; {users} client threads (`http.client`, in the bench's process on the same",
        f"{os.cpu_count()} cores) request one page back to back for {seconds:.0f} s after a 1 s warm-up;",
        "users log in with a POST to `/login/`. Latency is per request, connection included;",
        "“× ceiling” is the page's requests/s over the anonymous `/healthz` of the same run;",
        "“worker CPU” the gunicorn workers' CPU per answer (/proc), the database server's not included.",
        f"Load average at the end: {' / '.join(_loadavg())}.",
        "",
    ]
    for vendor, rows in results.items():
        lines += [f"### {vendor}", ""]
        if isinstance(rows, str):
            lines += [rows, ""]
            continue
        ceiling = rows[0][1]["rps"] or 1
        lines += [
            "| page | req/s | p50 ms | p99 ms | errors | × ceiling | worker CPU ms/req |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for label, r in rows:
            lines.append(
                f"| {label} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | {r['errors']} "
                f"| {r['rps'] / ceiling:.2f} | {r.get('worker_cpu_ms', 0):.2f} |"
            )
        lines.append("")
    lines += [
        "Target: cockpit, enterprise list, indicator page, API list and 我的待办 each ≥ 300 req/s with",
        "p99 < 100 ms and no error at 16 users, on SQLite and PostgreSQL.",
        "",
    ]
    return lines
