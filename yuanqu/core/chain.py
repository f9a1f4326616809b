"""The audit trail's hash chain: each change record and each audit event carries a keyed hash
of its own content and of the record before it, so a row rewritten, removed or slipped in
with the database's own login shows up as the first broken link (``yuanqu audit verify``).

- The link is an HMAC with SM3 where the OpenSSL build has it, else SHA-256, written
  ``"sm3:<hex>"`` / ``"sha256:<hex>"`` so a database moved to another build still verifies.
  The key is ``YUANQU_AUDIT_KEY`` when set, else derived from the secret key: whoever can
  write the tables but does not hold the key cannot make a link that verifies.
- Each table is one chain in ``id`` order. ``AuditChain`` holds its head (the last link);
  appending locks the head row first (``UPDATE … RETURNING``), so two writers never link to
  the same predecessor, and takes the time from the database in the same statement: the
  timestamps are the database's (a trigger refuses a row whose time is not).
- The head is held until the writer's transaction ends: a long import serialises other
  writers of the trail behind it, as it already does on SQLite.
- ``purge`` (``yuanqu audit purge``) removes rows older than the retention (the database
  refuses younger ones) and writes an ``audit_purge`` event, itself chained, with the last
  removed link of each table: ``verify`` starts from that anchor.
"""

import datetime
import hashlib
import hmac
import itertools
import json
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from json.encoder import encode_basestring

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.utils import timezone

GENESIS = "genesis"
RETENTION_DAYS = 180
# Rows linked and inserted together: a slice is written within seconds of the time it is
# stamped with, however long the whole import takes (the insert trigger allows minutes).
SLICE = 10_000
ALGORITHM = "sm3" if "sm3" in hashlib.algorithms_available else "sha256"


def _key() -> bytes:
    own = getattr(settings, "AUDIT_KEY", "")
    if own:
        return own.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"yuanqu-audit-chain", hashlib.sha256).digest()


def _fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in ("id", "chain")]


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)


# ``_json`` as one encoder, for loops that encode many values
_ENCODER = DjangoJSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _normal(field, value):
    """A value as it reads back from either database: the same text for the same fact."""
    if value is None:
        return None
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        if isinstance(value, str):
            value = datetime.datetime.fromisoformat(value)
        if timezone.is_naive(value):
            value = value.replace(tzinfo=datetime.UTC)
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
    if internal == "UUIDField":
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    if internal == "JSONField":
        return _json(json.loads(_json(value)))
    if internal in ("ForeignKey", "BigIntegerField", "IntegerField", "AutoField", "BigAutoField"):
        return int(value)
    return str(value)


def digest(model, values: dict, previous: str) -> str:
    """The link of one row: ``values`` maps each field's attname to its value."""
    canonical = {f.attname: _normal(f, values.get(f.attname)) for f in _fields(model)}
    message = f"{previous}|{model._meta.label_lower}|{_json(canonical)}".encode()
    algorithm, _, _ = previous.partition(":") if previous != GENESIS else (ALGORITHM, "", "")
    algorithm = algorithm if algorithm in ("sm3", "sha256") else ALGORITHM
    return f"{algorithm}:{hmac.new(_key(), message, algorithm).hexdigest()}"


def _now_sql(vendor: str) -> str:
    if vendor == "postgresql":
        return "clock_timestamp()"
    return "strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now')"  # with parameters: % doubled


def _take_head(model, using) -> tuple[str, datetime.datetime]:
    """Lock the chain's head for this transaction; its last link and the database's time."""
    connection = connections[using]
    table = model._meta.db_table
    with connection.cursor() as cursor:
        sql = f"UPDATE core_auditchain SET length = length WHERE name = %s RETURNING last_hash, {_now_sql(connection.vendor)}"
        cursor.execute(sql, [table])
        row = cursor.fetchone()
        if row is None:
            # the first row of this table: two writers may both get here, one inserts the head
            cursor.execute(
                "INSERT INTO core_auditchain (name, last_hash, length) VALUES (%s, %s, 0) ON CONFLICT (name) DO NOTHING",
                [table, GENESIS],
            )
            cursor.execute(sql, [table])
            row = cursor.fetchone()
    previous, now = row
    if isinstance(now, str):
        now = datetime.datetime.fromisoformat(now).replace(tzinfo=datetime.UTC)
    return previous, now


def _move_head(model, using, last: str, count: int):
    with connections[using].cursor() as cursor:
        cursor.execute(
            "UPDATE core_auditchain SET last_hash = %s, length = length + %s WHERE name = %s",
            [last, count, model._meta.db_table],
        )


def link(objs, using=None) -> None:
    """Set ``time`` (the database's, unless given) and ``chain`` on unsaved rows of one
    audit model, in order, and move the head past them. Call inside the transaction that
    inserts them, right before the insert."""
    if not objs:
        return
    model = type(objs[0])
    using = using or router.db_for_write(model)
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("audit rows are linked inside the transaction that writes them")
    previous, now = _take_head(model, using)
    for obj in objs:
        if obj.time is None:
            obj.time = now
        obj.chain = previous = digest(
            model, {f.attname: getattr(obj, f.attname) for f in _fields(model)}, previous
        )
    _move_head(model, using, previous, len(objs))


def link_rows(
    model, fields: list[str], rows: list[tuple], using="default", known: dict | None = None
) -> tuple[list[str], list[tuple]]:
    """The same for rows written with raw SQL (tuples in the order of ``fields``, values as
    the database takes them): the ``time`` column becomes the database's time (appended when
    ``fields`` has none), a ``chain`` column is added. Returns the fields and rows to insert.

    Each link is ``digest()``'s, byte for byte, with what does not change from row to row
    worked out once (the key, each column's normal form, the repeated values); an import
    links hundreds of thousands of rows at a time. ``known`` gives the normal form of some
    columns, one per row, where the caller made it along with the row (a JSON column's text
    sorted and compact, as ``_normal`` would make it from the text parsed): not parsed and
    dumped again."""
    if not rows:
        return fields, rows
    with appending(model, using) as head:
        fields, linked = head.link(fields, rows, known)
        linked = list(linked)
    return fields, linked


@contextmanager
def appending(model, using="default"):
    """Lock the chain's head for rows about to be written with raw SQL; ``link`` (on what this
    yields) links them as they are written, and the head moves past the last one linked when
    the block ends without an error. A writer that streams the rows into the database as
    they are linked (COPY) lets the server insert while the next links are worked out."""
    head = _Head(model, using, *_take_head(model, using))
    yield head
    if head.count:
        _move_head(model, using, head.previous, head.count)


class _Head:
    def __init__(self, model, using, previous, now):
        self.model, self.using, self.previous, self.now, self.count = model, using, previous, now, 0

    def link(self, fields: list[str], rows: list[tuple], known: dict | None = None):
        """(fields, an iterator of the rows with their time and link), as ``link_rows``."""
        model = self.model
        known = {model._meta.get_field(name).attname: values for name, values in (known or {}).items()}
        if any(len(values) != len(rows) for values in known.values()):
            raise ValueError("known normal forms are given one per row")
        connection = connections[self.using]
        now = self.now
        # as the database takes it; text on PostgreSQL, where COPY formats a date-time object
        # several times slower than the rest of the row
        stamp = (
            connection.ops.adapt_datetimefield_value(now)
            if connection.vendor == "sqlite"
            else now.isoformat()
        )
        attnames = [model._meta.get_field(name).attname for name in fields]
        texts = _canonical_texts(model, attnames, rows, known, _normal(model._meta.get_field("time"), now))
        if "time" in attnames:
            at = attnames.index("time")
            rows = (row[:at] + (stamp,) + row[at + 1 :] for row in rows)
            return [*fields, "chain"], self._links(rows, texts, ())
        return [*fields, "time", "chain"], self._links(rows, texts, (stamp,))

    def _links(self, rows, texts, stamp):
        # Every link of the batch has the algorithm of the one before; the key's HMAC state is
        # set up once and copied for each row.
        algorithm = _algorithm(self.previous)
        keyed, prefix = hmac.new(_key(), digestmod=algorithm), f"{algorithm}:"
        middle = f"|{self.model._meta.label_lower}|"
        previous = self.previous
        for row, text in zip(rows, texts, strict=True):
            mac = keyed.copy()
            mac.update(f"{previous}{middle}{text}".encode())
            previous = prefix + mac.hexdigest()
            self.previous, self.count = previous, self.count + 1
            yield row + stamp + (previous,)


def _canonical_texts(model, attnames, rows, known, time_normal) -> list[str]:
    """``_json`` of each row's canonical dict (``digest``), made column by column: a column
    whose value is the same in every row (the user, the request, the type) is encoded once.
    ``json.dumps`` with sorted keys writes ``{"key":value,...}`` with each value encoded on
    its own, which is what is put together here."""
    by_attname = {f.attname: f for f in _fields(model)}
    position = {name: i for i, name in enumerate(attnames)}
    n = len(rows)
    parts = []  # per key in sorted order: a str (the same in every row) or one str per row
    for name in sorted(by_attname):
        key = f"{encode_basestring(name)}:"
        if name == "time":
            parts.append(key + _encoded(time_normal))
            continue
        if name in known:
            values = known[name]
        elif name in position:
            i = position[name]
            values = [row[i] for row in rows]
            first = values[0]
            if _same(values):  # the same value in every row: normalised once
                parts.append(key + _encoded(None if first is None else _row_normal(by_attname[name])(first)))
                continue
            normal = _row_normal(by_attname[name])
            values = [None if value is None else normal(value) for value in values]
        else:
            parts.append(key + "null")
            continue
        if _same(values):
            parts.append(key + _encoded(values[0]))
        else:
            parts.append([key + _encoded(value) for value in values])
    # adjacent constant parts joined; the rest filled in by one format string per row
    template, varying = [], []
    for k, part in enumerate(parts):
        separator = "{{" if k == 0 else ","
        if isinstance(part, str):
            template.append(separator + part.replace("{", "{{").replace("}", "}}"))
        else:
            template.append(separator + "{}")
            varying.append(part)
    template = "".join(template) + "}}"
    if not varying:
        return [template.format()] * n
    return list(itertools.starmap(template.format, zip(*varying, strict=True)))


# Types whose equal values have one normal form (unlike 1 == True, Decimal("1.0") ==
# Decimal("1"), {"a": 1} == {"a": 1.0}: equal, written differently).
_EQUAL_IS_SAME = {str, int, type(None), uuid.UUID, datetime.datetime}


def _same(values) -> bool:
    """Whether every value has the first one's normal form: equal to it, and all of one type
    whose equal values are written alike."""
    first = values[0]
    return (
        type(first) in _EQUAL_IS_SAME
        and values.count(first) == len(values)
        and len(set(map(type, values))) == 1
    )


def _encoded(value, encode_str=encode_basestring, encode=_ENCODER.encode) -> str:
    """One normal value as ``_json`` writes it inside the canonical dict."""
    return encode_str(value) if type(value) is str else encode(value)


def _algorithm(previous: str) -> str:
    """The algorithm of the link after ``previous`` (its own, so a chain keeps one)."""
    algorithm = previous.partition(":")[0] if previous != GENESIS else ALGORITHM
    return algorithm if algorithm in ("sm3", "sha256") else ALGORITHM


def _row_normal(field):
    """``_normal`` of one column of raw rows, as a function of a value that is not None: JSON
    columns carry JSON text (or a value), the values of date-time and UUID columns repeat
    (the request, the time) and are worked out once each."""
    internal = field.get_internal_type()
    if internal in ("ForeignKey", "BigIntegerField", "IntegerField", "AutoField", "BigAutoField"):
        return int
    if internal == "JSONField":

        def json_normal(value, loads=json.loads, encode=_ENCODER.encode):
            # text parsed is plain JSON: dumping it again is what _normal's round trip gives
            return encode(loads(value)) if isinstance(value, str) else _normal(field, value)

        return json_normal
    if internal in ("DateTimeField", "UUIDField"):
        seen = {}

        def repeated(value):
            try:
                return seen[value]
            except KeyError:
                seen[value] = normal = _normal(field, value)
                return normal
            except TypeError:  # not hashable
                return _normal(field, value)

        return repeated
    return str


@dataclass
class Break:
    table: str
    id: int
    time: datetime.datetime | None
    reason: str

    def __str__(self):
        when = f"{timezone.localtime(self.time):%Y-%m-%d %H:%M:%S}" if self.time else "—"
        return f"{self.table} 第{self.id}条（{when}）：{self.reason}"


def anchors(using="default") -> dict:
    """The last removed link of each table, from the latest purge event (GENESIS if none)."""
    from .models import AuditEvent

    event = (
        AuditEvent.objects.using(using)
        .filter(kind="audit_purge")
        .order_by("-id")
        .values_list("data", flat=True)
        .first()
    )
    return {
        table: entry.get("anchor", GENESIS)
        for table, entry in (event or {}).items()
        if isinstance(entry, dict)
    }


def verify(model, using="default", chunk=5000) -> tuple[int, Break | None]:
    """Walk one table's chain in id order: (rows checked, the first broken link or None)."""
    from .models import AuditChain

    table = model._meta.db_table
    fields = _fields(model)
    attnames = [f.attname for f in fields]
    previous = anchors(using).get(table, GENESIS)
    checked, last_id = 0, 0
    queryset = model.objects.using(using).order_by("id")
    while True:
        rows = list(queryset.filter(id__gt=last_id).values_list("id", "chain", *attnames)[:chunk])
        if not rows:
            break
        for row in rows:
            pk, chain, values = row[0], row[1], dict(zip(attnames, row[2:], strict=True))
            if not chain:
                return checked, Break(table, pk, values.get("time"), "没有校验值（不是经由系统写入的记录）")
            if chain != digest(model, values, previous):
                reason = "内容与校验值不符（记录被改写，或它之前的记录被删除、插入）"
                return checked, Break(table, pk, values.get("time"), reason)
            previous = chain
            checked += 1
            last_id = pk
    head = AuditChain.objects.using(using).filter(name=table).values_list("last_hash", flat=True).first()
    if head is not None and head != previous:
        return checked, Break(table, last_id, None, "链尾与记录的最后一条不符（末尾的记录被删除）")
    return checked, None
