"""Schemathesis over every operation of ``/api/schema/``, in process (no server).

Run by ``scripts/security.sh`` on a throw-away database seeded with a small demo zone; not part
of ``make test`` (it is no ``test_*.py`` file under ``yuanqu/``). Settings come from the
environment the script sets up (``YUANQU_VAR_DIR``, ``YUANQU_DEBUG``); the requests carry the
demo staff user's API token, so every read and write goes through the same grants as a
client's. The one check that must hold: no answer is a server error (5xx). Write operations
run too: the database is thrown away afterwards.

Tuning (environment): ``API_FUZZ_EXAMPLES`` examples per operation in the fuzzing phase,
``API_FUZZ_SEED`` the seed, ``API_FUZZ_PHASES`` the phases — the same seed generates the same
requests, so a failure reproduces.
"""

import atexit
import collections
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
django.setup()

import schemathesis  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402

from yuanqu.users.models import User  # noqa: E402

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "5"))
SEED = int(os.environ.get("API_FUZZ_SEED", "12"))
PHASES = os.environ.get("API_FUZZ_PHASES", "examples,fuzzing").split(",")

token, _ = Token.objects.get_or_create(user=User.objects.get(username="staff"))
HEADERS = {"Authorization": f"Token {token.key}"}

config = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "headers": HEADERS,
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {"enabled": False, "not_a_server_error": {"enabled": True}},
        "phases": {
            phase: {"enabled": phase in PHASES} for phase in ("examples", "coverage", "fuzzing", "stateful")
        },
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", get_wsgi_application(), config=config, headers=HEADERS
)
calls = collections.Counter()
seconds = collections.Counter()
statuses = collections.Counter()


STARTED = time.monotonic()


@atexit.register
def summary():
    """After pytest's own summary: what was sent, how it was answered, how long it took."""
    for label, spent in seconds.most_common(int(os.environ.get("API_FUZZ_SLOWEST", "0"))):
        print(f"{spent:6.1f} s {calls[label]:4d} requests  {label}")
    answered = ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items()))
    print(
        f"schemathesis: {len(calls)} operations, {calls.total()} requests ({answered}), "
        f"{time.monotonic() - STARTED:.0f} s; phases {','.join(PHASES)}, {EXAMPLES} examples, seed {SEED}"
    )


@schema.parametrize()
def test_no_server_error(case):
    started = time.monotonic()
    response = case.call()
    seconds[case.operation.label] += time.monotonic() - started
    calls[case.operation.label] += 1
    statuses[response.status_code] += 1
    case.validate_response(response)
