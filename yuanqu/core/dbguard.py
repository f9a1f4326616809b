"""Database triggers that keep the audit tables an append-only trail:

- UPDATE and TRUNCATE always fail;
- DELETE fails for a row younger than the retention (180 days; ``yuanqu audit purge``
  removes older ones);
- INSERT fails when the row's time is not the database's own (more than five minutes off
  its clock): a back-dated row cannot be slipped in.

Only the test harness drops them, around the table flush of transactional tests, and the
tests that write a back-dated row on purpose (``suspended``)."""

from contextlib import contextmanager

TABLES = ["core_objectchange", "core_auditevent"]
RETENTION_DAYS = 180
CLOCK_SKEW_MINUTES = 5

_SQLITE = {
    "no_update": "BEFORE UPDATE ON {t} BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END",
    "no_delete": (
        "BEFORE DELETE ON {t} WHEN julianday(OLD.time) > julianday('now') - {days} "
        "BEGIN SELECT RAISE(ABORT, 'audit records are kept {days} days'); END"
    ),
    "db_time": (
        "BEFORE INSERT ON {t} WHEN abs(julianday(NEW.time) - julianday('now')) * 1440 > {skew} "
        "BEGIN SELECT RAISE(ABORT, 'audit time must be the database clock'); END"
    ),
}

_POSTGRES_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION yuanqu_append_only() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION yuanqu_audit_retention() RETURNS trigger AS $$
BEGIN
  IF OLD.time > clock_timestamp() - interval '{RETENTION_DAYS} days' THEN
    RAISE EXCEPTION 'audit records are kept {RETENTION_DAYS} days';
  END IF;
  RETURN OLD;
END; $$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION yuanqu_audit_db_time() RETURNS trigger AS $$
BEGIN
  IF abs(extract(epoch FROM NEW.time - clock_timestamp())) > {CLOCK_SKEW_MINUTES * 60} THEN
    RAISE EXCEPTION 'audit time must be the database clock';
  END IF;
  RETURN NEW;
END; $$ LANGUAGE plpgsql;
"""

_POSTGRES = {
    "append_only": "BEFORE UPDATE ON {t} FOR EACH ROW EXECUTE FUNCTION yuanqu_append_only()",
    "no_truncate": "BEFORE TRUNCATE ON {t} FOR EACH STATEMENT EXECUTE FUNCTION yuanqu_append_only()",
    "retention": "BEFORE DELETE ON {t} FOR EACH ROW EXECUTE FUNCTION yuanqu_audit_retention()",
    "db_time": "BEFORE INSERT ON {t} FOR EACH ROW EXECUTE FUNCTION yuanqu_audit_db_time()",
}


def _triggers(connection, only=None):
    names = {"sqlite": _SQLITE, "postgresql": _POSTGRES}.get(connection.vendor, {})
    return {name: body for name, body in names.items() if only is None or name in only}


def create_triggers(connection, only=None):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRES_FUNCTIONS)
        for table in TABLES:
            for name, body in _triggers(connection, only).items():
                sql = body.format(t=table, days=RETENTION_DAYS, skew=CLOCK_SKEW_MINUTES)
                if connection.vendor == "sqlite":
                    cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {table}_{name} {sql}")
                else:
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}")
                    cursor.execute(f"CREATE TRIGGER {table}_{name} {sql}")


def drop_triggers(connection, only=None):
    with connection.cursor() as cursor:
        for table in TABLES:
            for name in _triggers(connection, only):
                if connection.vendor == "sqlite":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{name}")
                elif connection.vendor == "postgresql":
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}")


@contextmanager
def suspended(connection, *names):
    """Lift some triggers for the duration (tests writing back-dated rows on purpose)."""
    drop_triggers(connection, only=names)
    try:
        yield
    finally:
        create_triggers(connection, only=names)
