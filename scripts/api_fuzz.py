"""Schemathesis over every operation of ``/api/schema/``, in process (no server).

Run by ``scripts/security.sh`` on a throw-away database seeded with a small demo zone; not part
of ``make test`` (it is no ``test_*.py`` file under ``yuanqu/``). Settings come from the
environment the script sets up (``YUANQU_VAR_DIR``, ``YUANQU_DEBUG``); the requests carry the
demo staff user's API token, so every read and write goes through the same grants as a
client's. The one check that must hold: no answer is a server error (5xx). Write operations
run too: the database is thrown away afterwards.

Tuning (environment): ``API_FUZZ_EXAMPLES`` examples per operation in the fuzzing phase,
``API_FUZZ_SEED`` the seed, ``API_FUZZ_PHASES`` the phases — the same seed generates the same
requests, so a failure reproduces. ``API_FUZZ_SLOWEST=N`` prints the N slowest operations
with their status codes; ``API_FUZZ_ONLY=REGEX`` runs the operations whose path matches.

Generated ids are mapped onto existing records (the ones the staff user's grant reaches, for
the path's ``{id}``; any, for the relations a body names), so most requests get past the
404 and "does not exist" to the serializers, the workflow steps and the saves.
"""

import atexit
import collections
import os
import time

import django

STARTED = time.monotonic()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanqu.settings")
django.setup()

import schemathesis  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.urls import resolve  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402

from yuanqu.users.models import User  # noqa: E402
from yuanqu.users.permissions import restrict  # noqa: E402

EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "6"))
SEED = int(os.environ.get("API_FUZZ_SEED", "12"))
PHASES = os.environ.get("API_FUZZ_PHASES", "examples,fuzzing").split(",")

STAFF = User.objects.get(username="staff")
token, _ = Token.objects.get_or_create(user=STAFF)
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
if os.environ.get("API_FUZZ_ONLY"):  # a path regex, to reproduce one failure quickly
    schema = schema.include(path_regex=os.environ["API_FUZZ_ONLY"])


def viewset(path):
    return resolve(path.replace("{id}", "1")).func.cls


def ids_of(model):
    return list(model.objects.order_by("pk").values_list("pk", flat=True))


def related_ids(path):
    """{body field: ids of the records it may name} for the operation's serializer's relations."""
    serializer_class = getattr(viewset(path), "serializer_class", None)
    if serializer_class is None:
        return {}
    related = {}
    for name, field in serializer_class().fields.items():
        field = getattr(field, "child_relation", field)  # a many-to-many: its relation
        queryset = getattr(field, "queryset", None)
        if not field.read_only and queryset is not None:
            related[name] = ids_of(queryset.model)
    return related


OPERATIONS = [result.ok() for result in schema.get_all_operations()]
METHOD_ACTIONS = {"get": "view", "put": "change", "patch": "change", "delete": "delete", "post": "change"}


def granted_ids(operation):
    """The records the staff user may take the operation's action on (a workflow step is a
    change), so most requests pass the grant and reach the serializer; every record when the
    grant holds none (the request is then a 403 or 404, which is fine too)."""
    model = viewset(operation.path).queryset.model
    granted = restrict(model.objects.all(), STAFF, METHOD_ACTIONS[operation.method])
    return list(granted.order_by("pk").values_list("pk", flat=True)) or ids_of(model)


IDS = {operation.label: granted_ids(operation) for operation in OPERATIONS if "{id}" in operation.path}
RELATED = {operation.path: related_ids(operation.path) for operation in OPERATIONS}


def existing(ids, value):
    """The n-th existing record for a generated integer n (counting round), else the value."""
    if ids and isinstance(value, int) and not isinstance(value, bool):
        return ids[value % len(ids)]
    if ids and isinstance(value, list):
        return [existing(ids, item) for item in value]
    return value


@schema.hook
def map_path_parameters(context, path_parameters):
    """A generated id names an existing record, so updates, deletes and workflow steps reach
    the record and its serializer rather than stopping at a 404; an id that is no integer
    (negative data) is sent as generated."""
    if path_parameters and "{id}" in context.operation.path:
        path_parameters["id"] = existing(IDS[context.operation.label], path_parameters.get("id"))
    return path_parameters


@schema.hook
def map_body(context, body):
    """Related records named in a body (an enterprise, a category, a team) exist, so a create
    or an update reaches its validation and its save rather than stopping at "does not exist"."""
    if isinstance(body, dict):
        for name, ids in RELATED.get(context.operation.path, {}).items():
            if name in body:
                body[name] = existing(ids, body[name])
    return body


calls = collections.Counter()  # requests per operation
seconds = collections.Counter()  # time spent answering them
statuses = collections.Counter()  # status codes, all operations
by_operation = collections.Counter()  # (operation, status code)


@atexit.register
def summary():
    """After pytest's own summary: what was sent, how it was answered, how long it took."""
    for label, spent in seconds.most_common(int(os.environ.get("API_FUZZ_SLOWEST", "0"))):
        answers = " ".join(
            f"{code}×{count}" for (op, code), count in sorted(by_operation.items()) if op == label
        )
        print(f"{spent:6.1f} s {calls[label]:4d} requests  {label}  ({answers})")
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
    by_operation[case.operation.label, response.status_code] += 1
    case.validate_response(response)
