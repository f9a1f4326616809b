"""A throw-away PostgreSQL server for ``make bench`` (as ``scripts/run-tests.sh`` starts one):
initdb in a temporary directory, a free port on 127.0.0.1, stopped and removed afterwards."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

HOST = "127.0.0.1"


def initdb_path() -> str | None:
    return shutil.which("initdb") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))), None)


@contextlib.contextmanager
def throwaway_postgres(prefix="yuanqu-bench-pg-", durable=False):
    """Yields the server's DATABASE_URL, or None when PostgreSQL is not installed. Without
    ``durable`` it runs with fsync and synchronous commit off, as the test runner's."""
    initdb = initdb_path()
    if not initdb:
        yield None
        return
    pgbin = Path(initdb).parent
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    as_postgres = []
    if os.getuid() == 0:
        shutil.chown(workdir, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data = workdir / "data"
    subprocess.run([*as_postgres, str(pgbin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
                    "-E", "UTF8", "--locale=C.UTF-8"], check=True, capture_output=True)  # fmt: skip
    options = f"-p {port} -k {workdir} -c listen_addresses={HOST}"
    if not durable:
        options += " -c fsync=off -c synchronous_commit=off"
    subprocess.run([*as_postgres, str(pgbin / "pg_ctl"), "-D", str(data), "-l", str(workdir / "server.log"), "-w",
                    "-o", options, "start"], check=True, capture_output=True)  # fmt: skip
    try:
        yield f"postgres://postgres@{HOST}:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, str(pgbin / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True)  # fmt: skip
        shutil.rmtree(workdir, ignore_errors=True)
