"""Rollups: sums of the current enterprise values per (indicator, month, 片区, 产业链), kept
current on write, so that the cockpit and the summary read a few hundred rows instead of
millions.

Every save or delete of an ``EnterpriseMonthlyValue`` marks its (indicator, month) dirty; the
month and the same month a year later (whose comparable set pairs with it) are then rebuilt
from the value table with one grouped statement each. Bulk writers wrap their work in
``deferred()`` so each pair is rebuilt once at the end; writers that bypass the ORM
(``bulk_create``, raw SQL) call ``refresh()`` or ``rebuild()`` themselves. An enterprise
moving to another 片区 rebuilds the rollups of both 片区; one moving to another 产业链, those of
its 片区.

``Scope`` reads them for a user: the whole park or a set of 片区 (a grid worker's own), summed
over the cells or per cell (the cockpit's breakdowns by 片区 and by chain).
Restrictions that are not by 片区 (own department, own enterprise) use the value table.
"""

import contextvars
import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Sum
from django.db.models.signals import post_delete, post_save

from yuanqu.core.signals import state_before_save

_deferred: contextvars.ContextVar = contextvars.ContextVar("yuanqu_rollups_deferred", default=None)
# Values written around the ORM in the current deferred() block (a one-item list, so that a
# nested context sees the same count); outside a block the count goes nowhere.
_inserted: contextvars.ContextVar = contextvars.ContextVar("yuanqu_rollups_inserted", default=None)
# From this many values written in one deferred() block, and more than this fraction of what the
# statistics say the table holds, the rebuild refreshes the statistics first (PostgreSQL).
ANALYZE_AFTER_ROWS = 1000
STALE_FRACTION = 0.1


def _year_earlier(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"CAST({column} - INTERVAL '1 year' AS date)"
    return f"date({column}, '-12 months')"


def _unindexed(column: str) -> str:
    """SQLite without statistics would look the year-earlier row up by (indicator, period) and
    scan every enterprise's; ``+column`` keeps it on (enterprise, indicator, period)."""
    return f"+{column}" if connection.vendor == "sqlite" else column


def _statement(where: str) -> str:
    from yuanqu.enterprises.models import Enterprise

    from .models import EnterpriseMonthlyValue, IndicatorRollup

    values, rollups = EnterpriseMonthlyValue._meta.db_table, IndicatorRollup._meta.db_table
    return f"""
        INSERT INTO {rollups} (indicator_id, period, zone_id, industry_chain_id, month_sum, month_count,
            ytd_sum, ytd_count, paired_count, paired_ytd, paired_base)
        SELECT v.indicator_id, v.period, e.zone_id, e.industry_chain_id, SUM(v.month_value), COUNT(v.month_value),
            SUM(v.ytd_value), COUNT(v.ytd_value), COUNT(b.ytd_value),
            SUM(CASE WHEN b.ytd_value IS NOT NULL THEN v.ytd_value END), SUM(b.ytd_value)
        FROM {values} v
        JOIN {Enterprise._meta.db_table} e ON e.id = v.enterprise_id
        LEFT JOIN {values} b ON b.enterprise_id = v.enterprise_id
            AND b.indicator_id = v.indicator_id AND b.period = {_year_earlier("v.period")}
            AND {_unindexed("b.is_current")} = %s AND b.ytd_value IS NOT NULL AND v.ytd_value IS NOT NULL
        WHERE v.is_current = %s AND {where}
        GROUP BY v.indicator_id, v.period, e.zone_id, e.industry_chain_id"""


def refresh(pairs, inserted=0):
    """Rebuild the rollups of these (indicator id, month) pairs and of the months a year later.

    ``inserted``: values just written around the ORM (a large import, perhaps into an empty
    table). When they are many next to what PostgreSQL's statistics say the table holds, a
    self-join planned on those statistics can go quadratic, so they are refreshed first
    (ANALYZE counts the rows this transaction wrote; SQLite's plan here does not depend on
    statistics, see ``_unindexed``)."""
    from .models import IndicatorRollup
    from .services import add_months

    todo = set()
    for indicator_id, period in pairs:
        todo |= {(indicator_id, period), (indicator_id, add_months(period, 12))}
    with transaction.atomic(), connection.cursor() as cursor:
        if inserted >= ANALYZE_AFTER_ROWS and connection.vendor == "postgresql" and _stale(cursor, inserted):
            analyze_tables(cursor)
        for indicator_id, period in sorted(todo):
            IndicatorRollup.objects.filter(indicator_id=indicator_id, period=period).delete()
            cursor.execute(
                _statement("v.indicator_id = %s AND v.period = %s"), [True, True, indicator_id, period]
            )


def _stale(cursor, inserted):
    """The statistics of the value table predate ``inserted`` new rows by more than autovacuum
    would let them (a tenth of the table; never analyzed at all)."""
    from .models import EnterpriseMonthlyValue

    cursor.execute(
        "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [EnterpriseMonthlyValue._meta.db_table]
    )
    row = cursor.fetchone()
    return row is None or row[0] < 0 or inserted > STALE_FRACTION * row[0]


def analyze_tables(cursor):
    """Fresh planner statistics for the tables the rebuild reads (PostgreSQL)."""
    from yuanqu.enterprises.models import Enterprise

    from .models import EnterpriseMonthlyValue

    for model in (EnterpriseMonthlyValue, Enterprise):
        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def rebuild(zone_ids=None):
    """Rebuild every rollup, or those of the given 片区 (an enterprise moved between them).

    A rebuild reads whole 片区 through the year-earlier self-join; on PostgreSQL the statistics
    are refreshed first, whatever they say: planned on statistics taken before the values were
    loaded (a demo or a test seeds them in the same transaction), the join went quadratic — 156 s
    for a 600-enterprise zone instead of 0.1 s. ANALYZE samples a fixed number of rows, so it
    costs a fraction of the rebuild it protects at any size."""
    from .models import IndicatorRollup

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            analyze_tables(cursor)
        if zone_ids is None:
            IndicatorRollup.objects.all().delete()
            cursor.execute(_statement("1 = 1"), [True, True])
            return
        ids = [z for z in zone_ids if z is not None]
        if ids:
            IndicatorRollup.objects.filter(zone_id__in=ids).delete()
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(_statement(f"e.zone_id IN ({marks})"), [True, True, *ids])
        if None in zone_ids:
            IndicatorRollup.objects.filter(zone=None).delete()
            cursor.execute(_statement("e.zone_id IS NULL"), [True, True])


@contextmanager
def deferred():
    """Collect the dirty pairs of the writes inside and rebuild them once at the end."""
    if _deferred.get() is not None:  # nested: the outermost block refreshes
        yield
        return
    dirty: set = set()
    token, counted = _deferred.set(dirty), _inserted.set([0])
    try:
        yield
        inserted = _inserted.get()[0]
    finally:
        _deferred.reset(token)
        _inserted.reset(counted)
    if dirty:
        refresh(dirty, inserted=inserted)


def note_bulk_insert(count):
    """``count`` values were written around the ORM inside this ``deferred()`` block (the
    writer marks their pairs); from ANALYZE_AFTER_ROWS on, the rebuild analyzes first."""
    counter = _inserted.get()
    if counter is not None:
        counter[0] += count


def mark(indicator_id, period):
    dirty = _deferred.get()
    if dirty is None:
        refresh([(indicator_id, period)])
    else:
        dirty.add((indicator_id, period))


def _value_written(sender, instance, raw=False, **kwargs):
    if not raw:
        mark(instance.indicator_id, instance.period)


def _enterprise_saved(sender, instance, created=False, raw=False, **kwargs):
    """An enterprise that moved to another 片区 or 产业链 takes its values with it."""
    # The stored row from before this save, kept by core's pre_save snapshot (connected
    # first, see ``connect``); core's post_save does not replace it, whatever the order.
    before = state_before_save(instance)
    if raw or created or not before:
        return
    moved = before.get("zone") != instance.zone_id
    if not moved and before.get("industry_chain") == instance.industry_chain_id:
        return
    from .models import EnterpriseMonthlyValue

    if EnterpriseMonthlyValue.objects.filter(enterprise=instance).exists():
        rebuild({before.get("zone"), instance.zone_id} if moved else {instance.zone_id})


def connect():
    """Called once from ``EconomyConfig.ready()``. The enterprise receiver reads core's
    pre_save snapshot, so it names it: connecting it without core's raises at start-up."""
    from yuanqu.core.signals import SNAPSHOT
    from yuanqu.registry import connect_signal

    values = "economy.EnterpriseMonthlyValue"
    connect_signal(post_save, _value_written, sender=values, uid="economy.rollups.value_saved")
    connect_signal(post_delete, _value_written, sender=values, uid="economy.rollups.value_deleted")
    connect_signal(
        post_save, _enterprise_saved, sender="enterprises.Enterprise", uid="economy.rollups.enterprise_saved",
        after=[SNAPSHOT],
    )  # fmt: skip


# --- reading ------------------------------------------------------------------------------


@dataclass
class Sums:
    month_sum: Decimal | None = None
    month_count: int = 0
    ytd_sum: Decimal | None = None
    ytd_count: int = 0
    paired_count: int = 0
    paired_ytd: Decimal | None = None
    paired_base: Decimal | None = None


FIELDS = ("month_sum", "month_count", "ytd_sum", "ytd_count", "paired_count", "paired_ytd", "paired_base")


class Scope:
    """The rollups of the whole park (``zone_ids=None``) or of a set of 片区."""

    def __init__(self, zone_ids=None):
        self.zone_ids = None if zone_ids is None else set(zone_ids)
        self._cache: dict = {}

    def rows(self):
        from .models import IndicatorRollup

        rows = IndicatorRollup.objects.all()
        return rows if self.zone_ids is None else rows.filter(zone_id__in=self.zone_ids)

    def load(self, indicators, periods):
        """Fetch the sums of these indicators and months in one query."""
        ids = [getattr(i, "pk", i) for i in indicators]
        rows = (
            self.rows()
            .filter(indicator_id__in=ids, period__in=list(periods))
            .values("indicator_id", "period")
            .annotate(**{f"s_{f}": Sum(f) for f in FIELDS})
        )
        for indicator_id in ids:
            for period in periods:
                self._cache[(indicator_id, period)] = Sums()
        for row in rows:
            sums = {f: _zero(f) if row[f"s_{f}"] is None else row[f"s_{f}"] for f in FIELDS}
            self._cache[(row["indicator_id"], row["period"])] = Sums(**sums)

    def sums(self, indicator, period: datetime.date) -> Sums:
        key = (getattr(indicator, "pk", indicator), period)
        if key not in self._cache:
            self.load([key[0]], [period])
        return self._cache[key]

    def cells(self, indicator, period: datetime.date) -> list[dict]:
        """The sums of one indicator and month per (片区, chain) cell of the scope: dicts with
        ``zone_id``, ``industry_chain_id`` and the FIELDS (counts 0 and sums None when empty)."""
        rows = (
            self.rows()
            .filter(indicator=indicator, period=period)
            .order_by()
            .values_list("zone_id", "industry_chain_id", *FIELDS)
        )
        return [
            {"zone_id": zone, "industry_chain_id": chain, **dict(zip(FIELDS, sums, strict=True))}
            for zone, chain, *sums in rows
        ]

    def month_totals(self, indicator, periods) -> dict:
        """{month: sum of the month values, or None when none was reported}."""
        return self.month_totals_of([indicator], periods)[getattr(indicator, "pk", indicator)]

    def month_totals_of(self, indicators, periods) -> dict:
        """{indicator id: ``month_totals``} of several indicators, in one query."""
        ids = [getattr(i, "pk", i) for i in indicators]
        rows = (
            self.rows()
            .filter(indicator_id__in=ids, period__in=list(periods))
            .order_by()
            .values_list("indicator_id", "period")
            .annotate(total=Sum("month_sum"), count=Sum("month_count"))
        )
        result: dict = {pk: {} for pk in ids}
        for indicator_id, period, total, count in rows:
            result[indicator_id][period] = total if count else None
        return result


def _zero(field):
    return 0 if field.endswith("count") else None


def scope_for(user, zone=None):
    """The rollup scope of what this user may see of the enterprise values (within ``zone``),
    or None when the user's restriction is not by 片区 (then use the value table)."""
    from yuanqu.users.choices import Constraint
    from yuanqu.users.permissions import constraints_for

    from .models import EnterpriseMonthlyValue

    constraints = constraints_for(user, EnterpriseMonthlyValue, "view")
    if Constraint.ALL in constraints:
        ids = None
    elif constraints == {Constraint.OWN_ZONE} and user.zone_id:
        ids = set(user.zone.subtree_ids())
    else:
        return None
    if zone is not None:
        subtree = set(zone.subtree_ids())
        ids = subtree if ids is None else ids & subtree
    return Scope(ids)
