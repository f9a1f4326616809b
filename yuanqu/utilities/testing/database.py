"""Data built once for a whole test module (seeding a demo zone takes seconds)."""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back(django_db_blocker):
    """A transaction for a module-scoped fixture: what the fixture writes inside it is seen
    by the module's tests (which only read it) and rolled back after them::

        @pytest.fixture(scope="module")
        def seeded(django_db_setup, django_db_blocker):
            with rolled_back(django_db_blocker):
                call_command("seed_demo", enterprises=60, stdout=io.StringIO())
                yield
    """
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
