#!/usr/bin/env bash
# `make security`: the two security tools CI runs after the tests (issue 12).
#  1. bandit over yuanqu/ (config: [tool.bandit] in pyproject.toml, tests and migrations
#     excluded): fails on any finding of high severity; medium and low are printed as a count.
#  2. schemathesis over every operation of /api/schema/ with the demo staff user's API token,
#     in process against the WSGI app (scripts/api_fuzz.py), on a throw-away SQLite database
#     seeded with a small demo zone; write operations run too. Fails on any server error.
# Usage: security.sh [bandit|api]   (both by default)
set -uo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
which="${1:-all}"
status=0
results=()

run_bandit() {
  local report
  report=$(mktemp /tmp/yuanqu-bandit.XXXXXX)
  echo "== bandit over yuanqu/ (a high-severity finding fails)"
  # One run; its exit code says only "some finding"; the severity is judged from the report.
  $VENV/bin/bandit -q -c pyproject.toml -r yuanqu -f json -o "$report" >/dev/null 2>&1
  $VENV/bin/python - "$report" <<'PY'
import json, sys

report = json.load(open(sys.argv[1], encoding="utf-8"))
if report["errors"]:
    for error in report["errors"]:
        print(f"bandit could not read {error['filename']}: {error['reason']}")
    sys.exit(1)
high = [r for r in report["results"] if r["issue_severity"] == "HIGH"]
for r in high:
    print(f"{r['filename']}:{r['line_number']}: {r['test_id']} {r['issue_text']}")
totals = report["metrics"]["_totals"]
levels = ", ".join(f"{level.lower()} {int(totals['SEVERITY.' + level])}" for level in ("HIGH", "MEDIUM", "LOW"))
print(f"bandit: {levels} (only high fails)")
sys.exit(1 if high else 0)
PY
  local rc=$?
  rm -f "$report"
  return $rc
}

run_api() {
  local var rc
  var=$(mktemp -d /tmp/yuanqu-security.XXXXXX)
  echo "== schemathesis over /api/schema/ (throw-away database in $var)"
  # Local settings on the throw-away directory; never a DATABASE_URL from outside.
  export YUANQU_VAR_DIR="$var" YUANQU_DEBUG=true
  unset DATABASE_URL
  # manage.py (the yuanqu console) from this checkout: its code, whichever checkout the
  # virtualenv's editable install points at.
  if ! { $VENV/bin/python manage.py migrate -v0 && $VENV/bin/python manage.py seed-demo --enterprises 30 >"$var/seed.log" 2>&1; }; then
    cat "$var/seed.log" 2>/dev/null
    rm -rf "$var"
    return 1
  fi
  # Its own settings (not pytest-django's test database): no ini file, no pytest-django.
  $VENV/bin/python -m pytest scripts/api_fuzz.py -c /dev/null --rootdir . -q -p no:django \
    -p no:cacheprovider --tb=short
  rc=$?
  rm -rf "$var"
  return $rc
}

if [ "$which" = all ] || [ "$which" = bandit ]; then
  if run_bandit; then results+=("bandit ok"); else results+=("bandit FAILED"); status=1; fi
fi
if [ "$which" = all ] || [ "$which" = api ]; then
  if run_api; then results+=("schemathesis ok"); else results+=("schemathesis FAILED"); status=1; fi
fi
(IFS=";"; echo "== security: ${results[*]}")
exit $status
