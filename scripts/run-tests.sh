#!/usr/bin/env bash
# Run the suite on SQLite and on a throw-away PostgreSQL server on 127.0.0.1, side by side.
# Usage: run-tests.sh [sqlite|postgres|all] [pytest args...]
set -uo pipefail
cd "$(dirname "$0")/.."
which_db="${1:-all}"; shift || true
VENV=.venv
export DJANGO_ALLOW_ASYNC_UNSAFE=true
status=0

guardrails() {
  echo "== guardrails: ruff, makemigrations --check"
  $VENV/bin/ruff check yuanqu || return 1
  YUANQU_DEBUG=true YUANQU_VAR_DIR="$(mktemp -d)" $VENV/bin/python manage.py makemigrations --check --dry-run >/dev/null || {
    echo "Model changes without migrations"; return 1; }
}

run_sqlite() {
  echo "== pytest on SQLite"
  env -u DATABASE_URL $VENV/bin/pytest "$@"
}

run_postgres() {
  local initdb pgbin dir port rc
  initdb=$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n1)
  pgbin=$(dirname "$initdb")
  dir=$(mktemp -d /tmp/yuanqu-pg.XXXXXX)
  port=$($VENV/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  local as=()
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$dir"; as=(runuser -u postgres --); fi
  "${as[@]}" "$pgbin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log"; return 1; }
  "${as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null || {
    cat "$dir/server.log"; return 1; }
  echo "== pytest on PostgreSQL (127.0.0.1:$port)"
  # The page-level checks (browser tests, the link crawler) run once, on SQLite: they test
  # what the pages offer, and every query under them runs here too through the view tests.
  # So do the tests whose subject does not depend on the engine (marker engine_free).
  DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres" $VENV/bin/pytest -m "${POSTGRES_MARKERS:-not e2e and not pages and not engine_free}" "$@"
  rc=$?
  "${as[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
  rm -rf "$dir"
  return $rc
}

guardrails || status=1
case "$which_db" in
  sqlite) run_sqlite "$@" || status=1 ;;
  postgres) run_postgres "$@" || status=1 ;;
  *)
    # The two databases run side by side, one per core; each log is printed whole when done.
    # The engine-free tests, run once, are shared between the two (yuanqu/conftest.py).
    logs=$(mktemp -d /tmp/yuanqu-tests.XXXXXX)
    YUANQU_TEST_SIDE=sqlite run_sqlite "$@" >"$logs/sqlite.log" 2>&1 &
    sqlite_pid=$!
    YUANQU_TEST_SIDE=postgres POSTGRES_MARKERS="not e2e and not pages" run_postgres "$@" >"$logs/postgres.log" 2>&1 &
    postgres_pid=$!
    wait $sqlite_pid || status=1
    cat "$logs/sqlite.log"
    wait $postgres_pid || status=1
    cat "$logs/postgres.log"
    rm -rf "$logs"
    ;;
esac
if [ $status -ne 0 ]; then echo "TESTS FAILED"; else echo "ALL TESTS PASSED"; fi
exit $status
