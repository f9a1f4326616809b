"""Database triggers that make the audit tables append-only (UPDATE/DELETE/TRUNCATE fail).

Only the test harness drops them, around the table flush of transactional tests."""

TABLES = ["core_objectchange", "core_auditevent"]


def create_triggers(connection):
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "sqlite":
                for op in ("UPDATE", "DELETE"):
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;"
                    )
            elif connection.vendor == "postgresql":
                cursor.execute(
                    "CREATE OR REPLACE FUNCTION yuanqu_append_only() RETURNS trigger AS $$ "
                    "BEGIN RAISE EXCEPTION 'audit records are append-only'; END; $$ LANGUAGE plpgsql;"
                )
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION yuanqu_append_only();"
                )
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
                cursor.execute(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION yuanqu_append_only();"
                )


def drop_triggers(connection):
    with connection.cursor() as cursor:
        for table in TABLES:
            if connection.vendor == "sqlite":
                for op in ("update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op}")
            elif connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
