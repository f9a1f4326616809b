"""The standard cast (STYLE.md): the owner, a colleague in the same department, an
outsider in another department, an enterprise user, and one user per other role."""

import os

import pytest

from yuanqu.users.choices import Role, ZoneKind
from yuanqu.utilities.testing import factories as f

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


# ``make test`` runs the suite on SQLite and on PostgreSQL side by side, one per core
# (scripts/run-tests.sh, which sets YUANQU_TEST_SIDE). The tests that run once whatever the
# engine (marker ``engine_free``) are shared between the two sides so that both end together:
# these modules run on PostgreSQL's side, the others on SQLite's, which also runs the browser
# tests and the link crawler.
ENGINE_FREE_ON_POSTGRES = (
    "yuanqu/core/tests/test_settings_env.py",
    "yuanqu/documents/tests/test_claims.py",
    "yuanqu/utilities/tests/test_exports_audited.py",
)


def pytest_collection_modifyitems(config, items):
    side = os.environ.get("YUANQU_TEST_SIDE")
    if side not in ("sqlite", "postgres"):
        return
    kept, dropped = [], []
    for item in items:
        here = item.get_closest_marker("engine_free") is None or (
            (item.nodeid.split("::")[0] in ENGINE_FREE_ON_POSTGRES) == (side == "postgres")
        )
        (kept if here else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# The migrated database of each SQLite connection, copied once after set-up (see below).
_SNAPSHOTS: dict = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After the test database is migrated, an in-memory SQLite database is copied whole
    (SQLite's online backup, a page copy): a transactional test (browser tests, concurrent
    logins) gets it back in milliseconds instead of a flush that empties ~150 tables and
    seeds every default again through the change log (a second of CPU per test)."""
    import sqlite3

    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor == "sqlite" and connection.is_in_memory_db():
                connection.ensure_connection()
                snapshot = sqlite3.connect(":memory:", check_same_thread=False)
                connection.connection.backup(snapshot)
                _SNAPSHOTS[connection.alias] = snapshot
    yield
    for snapshot in _SNAPSHOTS.values():
        snapshot.close()
    _SNAPSHOTS.clear()


@pytest.fixture(scope="session", autouse=True)
def _flush_past_audit_triggers():
    """Transactional tests empty every table after each test. On an in-memory SQLite
    database the migrated copy is restored instead (``django_db_setup``); otherwise the
    append-only triggers on the audit tables, which would refuse the flush, are lifted only
    around it."""
    from django.core.management.commands import flush
    from django.db import connections

    from yuanqu.core.dbguard import create_triggers, drop_triggers

    original = flush.Command.handle

    def handle(self, **options):
        connection = connections[options.get("database", "default")]
        snapshot = _SNAPSHOTS.get(connection.alias)
        if snapshot is not None and not options.get("inhibit_post_migrate"):
            connection.ensure_connection()
            snapshot.backup(connection.connection)
            return
        drop_triggers(connection)
        try:
            return original(self, **options)
        finally:
            create_triggers(connection)

    flush.Command.handle = handle
    yield
    flush.Command.handle = original


@pytest.fixture(scope="session", autouse=True)
def _module_data_checked_once():
    """Module data seeded inside a transaction (``utilities.testing.database.rolled_back``)
    leaves PostgreSQL's deferred foreign-key checks pending; Django checks them at the end of
    every test, inside the test's savepoint, whose rollback puts them back in the queue: each
    test paid again for checking the whole demo zone (a tenth of a second). They are checked
    once, in the outer transaction, before a test opens its savepoint."""
    from django.db import connections
    from django.test import TestCase

    original = TestCase.__dict__["_enter_atomics"]

    @classmethod
    def _enter_atomics(cls):
        for alias in cls._databases_names():
            connection = connections[alias]
            if connection.vendor == "postgresql" and connection.in_atomic_block:
                connection.check_constraints()
        return original.__func__(cls)

    TestCase._enter_atomics = _enter_atomics
    yield
    TestCase._enter_atomics = original


@pytest.fixture
def park(db):
    return f.zone("高新区", kind=ZoneKind.PARK)


@pytest.fixture
def east(park):
    return f.zone("东区", parent=park)


@pytest.fixture
def west(park):
    return f.zone("西区", parent=park)


@pytest.fixture
def econ_dept(db):
    return f.department("经济发展局")


@pytest.fixture
def invest_dept(db):
    return f.department("招商局")


@pytest.fixture
def owned_enterprise(econ_dept, east):
    """An enterprise owned by 经济发展局 in 东区."""
    return f.enterprise("东区精密机械有限公司", dept=econ_dept, zone_obj=east)


@pytest.fixture
def other_enterprise(invest_dept, west):
    """An enterprise owned by 招商局 in 西区."""
    return f.enterprise("西区光电科技有限公司", dept=invest_dept, zone_obj=west)


@pytest.fixture
def alice(econ_dept):
    """The owner: staff of 经济发展局."""
    return f.user("alice", Role.STAFF, econ_dept, name="王丽")


@pytest.fixture
def bob(econ_dept):
    """A colleague in the same department."""
    return f.user("bob", Role.STAFF, econ_dept, name="李波")


@pytest.fixture
def charlie(invest_dept):
    """An outsider: staff of 招商局."""
    return f.user("charlie", Role.STAFF, invest_dept, name="张超")


@pytest.fixture
def leader(econ_dept):
    return f.user("leader", Role.LEADER, econ_dept, name="刘主任")


@pytest.fixture
def grid_worker(econ_dept, east):
    return f.user("grid", Role.GRID, econ_dept, zone=east, name="赵网格")


@pytest.fixture
def enterprise_user(owned_enterprise, econ_dept):
    return f.user("ent", Role.ENTERPRISE, econ_dept, enterprise=owned_enterprise, name="企业填报员")


@pytest.fixture
def sysadmin(econ_dept):
    return f.user("sysadmin", Role.SYSADMIN, econ_dept)


@pytest.fixture
def secadmin(econ_dept):
    return f.user("secadmin", Role.SECADMIN, econ_dept)


@pytest.fixture
def auditor(econ_dept):
    return f.user("auditor", Role.AUDITOR, econ_dept)


@pytest.fixture
def inspector(db):
    """督查室's staff: sees and supervises tasks and demands of every department."""
    return f.user("inspector", Role.INSPECTOR, f.department("督查室"), name="孙督查")
