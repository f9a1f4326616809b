"""SQLite as configured (``settings.YUANQU_SQLITE_OPTIONS``): a real database file in WAL mode
with a busy timeout and write transactions that take the write lock when they begin, so a
delete while other connections read and log does not fail with “database is locked”."""

import threading
import time

from django.conf import settings
from django.db import connections, transaction

ALIAS = "walcheck"
READERS = 6
SECONDS = 2.0


def _configure(path):
    connections.settings[ALIAS] = {
        **connections.settings["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        "OPTIONS": dict(settings.YUANQU_SQLITE_OPTIONS),
        "CONN_MAX_AGE": 0,
        "TEST": {"NAME": str(path)},
    }


def _read_and_log(stop, errors):
    """A page request: reads the list, then writes its audit row in a transaction of its own
    — as views that log access do."""
    try:
        while not stop.is_set():
            with transaction.atomic(using=ALIAS):
                with connections[ALIAS].cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM item")
                    cursor.execute("SELECT id, name FROM item ORDER BY id LIMIT 50")
                    cursor.fetchall()
                    cursor.execute("INSERT INTO event (kind) VALUES ('view')")
            with connections[ALIAS].cursor() as cursor:  # and plain autocommit reads
                cursor.execute("SELECT count(*) FROM part")
    except Exception as exc:  # noqa: BLE001 - every failure counts, reported below
        errors.append(repr(exc))
    finally:
        connections[ALIAS].close()


def test_a_delete_under_concurrent_reads_never_finds_the_database_locked(tmp_path, django_db_blocker):
    _configure(tmp_path / "wal.sqlite3")
    try:
        with django_db_blocker.unblock():
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                assert cursor.fetchone()[0] == "wal"
                cursor.execute("PRAGMA busy_timeout")
                assert cursor.fetchone()[0] >= 5000
                cursor.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)")
                cursor.execute(
                    "CREATE TABLE part (id INTEGER PRIMARY KEY, item_id INTEGER REFERENCES item(id))"
                )
                cursor.execute("CREATE TABLE event (id INTEGER PRIMARY KEY, kind TEXT)")
                cursor.executemany(
                    "INSERT INTO item (id, name) VALUES (%s, %s)", [(i, f"企业{i}") for i in range(1, 401)]
                )
                cursor.executemany(
                    "INSERT INTO part (item_id) VALUES (%s)", [(i % 400 + 1,) for i in range(2000)]
                )
            stop, errors = threading.Event(), []
            threads = [threading.Thread(target=_read_and_log, args=(stop, errors)) for _ in range(READERS)]
            for thread in threads:
                thread.start()
            deleted = 0
            started = time.monotonic()
            try:
                # The delete reads what it deletes first, then deletes the parts and the
                # item (as Django's collector does), in one transaction.
                for item_id in range(1, 401):
                    if time.monotonic() - started > SECONDS and deleted >= 20:
                        break
                    with transaction.atomic(using=ALIAS):
                        with connections[ALIAS].cursor() as cursor:
                            cursor.execute("SELECT id FROM part WHERE item_id = %s", [item_id])
                            assert cursor.fetchall()
                            time.sleep(0.002)  # the readers log meanwhile
                            cursor.execute("DELETE FROM part WHERE item_id = %s", [item_id])
                            cursor.execute("DELETE FROM item WHERE id = %s", [item_id])
                            assert cursor.rowcount == 1
                    deleted += 1
            finally:
                stop.set()
                for thread in threads:
                    thread.join()
            assert errors == []
            with connections[ALIAS].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM item")
                assert cursor.fetchone()[0] == 400 - deleted
                cursor.execute("SELECT count(*) FROM event")
                assert cursor.fetchone()[0] > 0
    finally:
        connections[ALIAS].close()
        del connections.settings[ALIAS]
