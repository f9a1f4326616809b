"""Writing the change log and the audit events, from one place."""

import contextlib
import datetime
import decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .context import client_ip, current

# Fields that never go into the change log (secrets, or noise recorded as audit events).
EXCLUDED_FIELDS = {"password", "last_login", "failed_login_count", "locked_until", "created", "last_updated"}


def _plain(value):
    if isinstance(value, FieldFile):  # a stored file is logged by its path
        return value.name or ""
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def log_value(field, value):
    """One form for equal values, whichever way they reached the record: 5 typed in a form
    and 5.00 read back are the field's two places, a moment is one UTC instant, a date
    typed as text is that date. What cannot be read as the field's type is kept as it is."""
    if value is None or isinstance(value, FieldFile):
        return _plain(value)
    try:
        if isinstance(field, models.DecimalField):
            value = field.to_python(value)
            if field.decimal_places is not None and value.is_finite():
                value = value.quantize(decimal.Decimal(1).scaleb(-field.decimal_places))
        elif isinstance(field, models.DateTimeField | models.DateField | models.FloatField):
            value = field.to_python(value)
        elif isinstance(field, models.IntegerField | models.BooleanField) and not field.is_relation:
            value = field.to_python(value)
    except (ValidationError, decimal.InvalidOperation, TypeError):
        pass
    return _plain(value)


def serialize_object(obj) -> dict:
    """The loggable values of a record: concrete fields, foreign keys by primary key, each
    in one normal form so that a save that changes nothing compares equal.

    Personal fields (the model's ``personal_fields``: mobiles …) are never logged in clear:
    the change log rows cannot be rewritten once written, so the value is stored as its mask
    and an encrypted token (``utilities.crypto.changelog_value``, the same token for the same
    value), decrypted only for a reader with ``view_personal``. Blind-index columns are not
    logged at all."""
    from yuanqu.utilities.crypto import changelog_value
    from yuanqu.utilities.privacy import personal_fields

    personal = personal_fields(type(obj))
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in EXCLUDED_FIELDS or field.primary_key or getattr(field, "blind_index_of", False):
            continue
        value = log_value(field, field.value_from_object(obj))
        data[field.name] = changelog_value(value, personal[field.name]) if field.name in personal else value
    return data


def m2m_values(obj, names=None) -> dict:
    """The record's many-to-many links as the change log keeps them: {field: sorted pks}."""
    fields = [f for f in obj._meta.many_to_many if names is None or f.name in names]
    if obj.pk is None:
        return {f.name: [] for f in fields}
    return {f.name: sorted(getattr(obj, f.name).values_list("pk", flat=True)) for f in fields}


class logged_m2m:
    """Log the many-to-many links changed inside the block as ONE update of ``obj`` (a form's
    or a service's ``set()`` is a remove and an add underneath; the change log shows the
    before and after of the whole step). Links changed outside such a block are logged by
    core's ``m2m_changed`` receiver, one update per add, remove or clear."""

    def __init__(self, obj, names=None):
        self.obj, self.names = obj, names

    def __enter__(self):
        self.before = m2m_values(self.obj, self.names)
        self.obj._m2m_logged_by_caller = True
        return self

    def __exit__(self, exc_type, exc, tb):
        self.obj._m2m_logged_by_caller = False
        if exc_type is not None:
            return False
        after = m2m_values(self.obj, self.names)
        changed = [name for name in after if after[name] != self.before.get(name)]
        if changed:
            record_change(
                self.obj,
                "update",
                {name: self.before.get(name, []) for name in changed},
                {name: after[name] for name in changed},
                message=getattr(self.obj, "_change_message", ""),
            )
        return False


def record_change(obj, action, before, after, message=""):
    from .models import ObjectChange

    ctx = current()
    user = ctx.acting_user()
    parent = obj.changelog_parent() if hasattr(obj, "changelog_parent") else None
    return ObjectChange.objects.create(
        user_id=user.pk if user else None,
        user_name=(user.get_username() if user else {"cli": "命令行", "system": "系统"}.get(ctx.source, "")),
        request_id=ctx.request_id,
        ip=ctx.ip,
        source=ctx.source,
        action=action,
        content_type=ContentType.objects.get_for_model(obj.__class__),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        related_type=ContentType.objects.get_for_model(parent.__class__) if parent is not None else None,
        related_id=str(parent.pk) if parent is not None else "",
        prechange_data=before,
        postchange_data=after,
        message=message[:300],
    )


# Audit events that record a read (the API's personal data shown in clear, issue 12): written
# on every answer, so on PostgreSQL the transaction that writes one alone may commit without
# waiting for its WAL flush (``YUANQU_AUDIT_READS_ASYNC_COMMIT``, docs/configuration.md). A
# crash may lose the last fraction of a second of them; never a change of data, a change-log
# record or any other audit event, which keep durable commits.
READ_KINDS = frozenset({"personal_read"})


def audit(kind, *, user=None, user_name="", detail="", data=None, request=None):
    """Write one audit event (login, export, import …) with the current request's origin.
    On a page the response cache may store, the event is written again each time the page is
    answered from the cache (``pagecache.replayable``)."""
    from .models import AuditEvent
    from .pagecache import replayable

    ctx = current()
    if user is None:
        user = ctx.acting_user()
    event = AuditEvent(
        kind=kind,
        user_id=user.pk if user is not None and user.pk else None,
        user_name=user_name or (user.get_username() if user is not None else ""),
        ip=(client_ip(request) if request is not None else ctx.ip) or None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ctx.user_agent),
        request_id=ctx.request_id,
        source=ctx.source,
        detail=detail[:500],
        data=data,
    )
    with replayable(kind, user_name, detail, data):
        asynchronous = kind in READ_KINDS and settings.YUANQU_AUDIT_READS_ASYNC_COMMIT
        if not _write_in_two_trips(event, asynchronous):
            event.save()
    return event


def _write_in_two_trips(event, asynchronous: bool) -> bool:
    """On PostgreSQL, outside any transaction: write ``event`` in its own transaction in two
    round trips instead of six (BEGIN, lock the chain head, move it, insert, COMMIT) — the
    head locked and read with the BEGIN, then the head moved, the row inserted and the
    transaction committed together. The row and its link are what ``save()`` writes
    (``chain.link``). False, having written nothing, where this does not apply: another
    engine, inside a transaction (its commit is the caller's), or the trail's first event."""
    from . import chain

    model = type(event)
    using = router.db_for_write(model)
    connection = connections[using]
    if connection.vendor != "postgresql" or connection.in_atomic_block or not connection.get_autocommit():
        return False
    meta, quote = model._meta, connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    with connection.cursor() as cursor:
        cursor.execute(
            "BEGIN; "
            + ("SET LOCAL synchronous_commit TO OFF; " if asynchronous else "")
            + "UPDATE core_auditchain SET length = length WHERE name = %s RETURNING last_hash, clock_timestamp()",
            [meta.db_table],
        )
        try:
            while cursor.description is None and cursor.nextset():
                pass  # past BEGIN and SET to the head's row
            head = cursor.fetchone()
            if head is None:  # the trail's first event: chain.link makes the head
                cursor.execute("ROLLBACK")
                return False
            previous, event.time = head
            event.chain = chain.digest(
                model, {f.attname: getattr(event, f.attname) for f in fields}, previous
            )
            values = [f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields]
            cursor.execute(
                "WITH head AS (UPDATE core_auditchain SET last_hash = %s, length = length + 1 WHERE name = %s) "
                f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
                f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}; COMMIT",
                [event.chain, meta.db_table, *values],
            )
            event.pk = cursor.fetchone()[0]
        except BaseException:
            with contextlib.suppress(Exception):
                cursor.execute("ROLLBACK")
            raise
    event._state.adding, event._state.db = False, using
    return True


def history_for(obj, limit=100):
    """Changes to a record and to the records that belong to it (contacts, qualifications …),
    newest first, without updates that changed nothing a user can see, each carrying the
    acting person's name (``change.person``)."""

    changes = records_of(obj, children=True).select_related("content_type")
    shown = [c for c in changes[: limit * 3] if c.action != "update" or diff_rows(c)][:limit]
    attach_people(shown)
    return shown


def records_of(obj, children=False):
    """The change records of ``obj`` (and of the records that belong to it, with
    ``children``), newest first. A model whose records may name several objects at once (an
    import's row record) gives ``changelog_where()`` (where else to look) and
    ``changelog_names(change)`` (whether a record found there names this object); the result
    is then not a queryset but the records that name it (``_Named``: iterated, sliced,
    ``last_id()``)."""
    from .models import ObjectChange

    ct = ContentType.objects.get_for_model(obj.__class__)
    where = models.Q(content_type=ct, object_id=str(obj.pk))
    if children:
        where |= models.Q(related_type=ct, related_id=str(obj.pk))
    elsewhere = getattr(obj, "changelog_where", None)
    elsewhere = elsewhere() if elsewhere is not None else None
    if elsewhere is None:
        return ObjectChange.objects.filter(where)
    return _Named(ObjectChange.objects.filter(where | elsewhere), obj, ct)


class _Named:
    """``records_of`` for a model whose records may name several objects: the records found
    where a record may be, those that do not name the object left out."""

    def __init__(self, queryset, obj, ct):
        self.queryset, self.obj, self.ct = queryset, obj, ct

    def select_related(self, *fields):
        return _Named(self.queryset.select_related(*fields), self.obj, self.ct)

    def _names(self, change) -> bool:
        return change.content_type_id != self.ct.pk or self.obj.changelog_names(change)

    def __iter__(self):
        return (c for c in self.queryset if self._names(c))

    def __getitem__(self, window):
        return list(self)[window]

    def last_id(self) -> int:
        return max((c.pk for c in self), default=0)


# --- display ------------------------------------------------------------------------------

SOURCE_NAMES = {"cli": "命令行", "system": "系统"}
SOURCE_LABELS = {"web": "网页", "api": "接口", "cli": "命令行", "system": "系统"}


def people_by_id(user_ids) -> dict:
    """{user id: the person's name (姓名, else the username)} in one query."""
    from yuanqu.users.models import User

    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return {
        pk: name or username
        for pk, name, username in User.objects.filter(pk__in=ids).values_list("pk", "name", "username")
    }


def person_name(record, people: dict | None = None) -> str:
    """Who acted, as a person reads it: the user's name, else the stored username, else
    系统/命令行 for changes made outside a request."""
    if people is None:
        people = people_by_id([record.user_id])
    name = people.get(record.user_id) if record.user_id else None
    return name or record.user_name or SOURCE_NAMES.get(record.source, "") or "—"


def attach_people(records) -> None:
    """Set ``record.person`` on each change or audit event, with one query for them all."""
    people = people_by_id([r.user_id for r in records])
    for record in records:
        record.person = person_name(record, people)


def local_time(value) -> str:
    """A moment as people here read it: Asia/Shanghai (the site's zone), to the minute."""
    from django.utils import timezone

    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        if timezone.is_naive(value):
            value = timezone.make_aware(value, datetime.UTC)
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        return local_time(value)[:10]
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            return value
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def _number(value) -> str:
    from yuanqu.utilities.templatetags.numbers import number

    try:
        return number(decimal.Decimal(str(value)))
    except (decimal.InvalidOperation, ValueError):
        return str(value)


def _json(value, labels: dict) -> str:
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            if isinstance(item, dict):
                inner = "，".join(
                    f"{labels.get(k, k)} {_json(v, labels)}" for k, v in item.items() if v not in (None, "")
                )
                parts.append(f"{labels.get(key, key)}：{inner or '—'}")
            else:
                parts.append(f"{labels.get(key, key)}：{_json(item, labels)}")
        return "；".join(parts) or "—"
    if isinstance(value, list | tuple):
        return (
            "、".join(
                str(labels.get(v, _json(v, labels))) if isinstance(v, str | int) else _json(v, labels)
                for v in value
            )
            or "—"
        )
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float | decimal.Decimal) or (isinstance(value, str) and _is_number(value)):
        return _number(value)
    return "—" if value is None or value == "" else str(value)


def _is_number(text: str) -> bool:
    try:
        decimal.Decimal(text)
    except decimal.InvalidOperation:
        return False
    return text.strip().lstrip("-").replace(".", "", 1).isdigit()


def _json_labels(field) -> dict:
    """Labels for the codes inside a JSON field: the field's choices, or the model's
    ``changelog_labels(field_name)`` (an indicator's code → its Chinese name …)."""
    labels = {}
    if field.choices:
        labels.update({k: str(v) for k, v in field.flatchoices})
    hook = getattr(field.model, "changelog_labels", None)
    if hook is not None:
        labels.update({k: str(v) for k, v in hook(field.name).items()})
    return labels


def _display(field, value):
    """A stored value as a user reads it: choices by label, foreign keys by the record's name,
    dates as dates, moments in local time, numbers with thousands separators."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if field is None:
        return str(value)
    if isinstance(field, models.JSONField):
        return _json(value, _json_labels(field))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if field.many_to_many and isinstance(value, list):
        names = dict((obj.pk, str(obj)) for obj in field.related_model._default_manager.filter(pk__in=value))
        return "、".join(names.get(pk, f"#{pk}") for pk in value)
    if field.is_relation and field.related_model is not None:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else f"#{value}"
    if isinstance(field, models.DateTimeField):
        return local_time(value)
    if isinstance(field, models.DateField):
        return _date(value)
    if isinstance(field, models.DecimalField | models.FloatField):
        return _number(value)
    if isinstance(field, models.IntegerField) and field.name not in NOT_GROUPED:
        return _number(value)
    if isinstance(value, str) and getattr(field.model, "changelog_labels", None) is not None:
        return _json_labels(field).get(value, value)
    return str(value)


# Whole numbers that are names rather than quantities: no thousands separator.
NOT_GROUPED = {"year", "order", "month", "number", "seq"}


def _comparable(field, value):
    """A stored value reduced to what it means, so that ``5.00`` and ``5`` or the same moment
    written in two zones compare equal."""
    if value in (None, "", [], {}):
        return None
    if field is None:
        return value
    if isinstance(field, models.DecimalField | models.FloatField | models.IntegerField) and not field.choices:
        try:
            return decimal.Decimal(str(value))
        except (decimal.InvalidOperation, ValueError):
            return value
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(field, models.JSONField):
        return _json(value, {})
    return value


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except Exception:
        return None


def diff_rows(change, show_personal=False):
    """(label, before, after) for each field whose value really differs, labels in Chinese.
    A create lists the values it set, a delete the values it removed. Personal fields show
    their mask unless ``show_personal`` (the reader's ``view_personal`` on the record). A
    model whose create records name several objects gives ``changelog_rows(name, value)``:
    the (label, field, value) rows a key of such a record stands for."""
    from yuanqu.utilities.crypto import reveal
    from yuanqu.utilities.privacy import personal_fields

    model = change.content_type.model_class()
    personal = personal_fields(model) if model is not None else {}
    before = change.prechange_data or {}
    after = change.postchange_data or {}

    def shown(field, name, value):
        if name in personal:
            value = reveal(value, personal[name], show_personal)
        return _display(field, value)

    rows = []
    expand = getattr(model, "changelog_rows", None)
    for name in list(after.keys()) + [k for k in before.keys() if k not in after]:
        expanded = expand(name, after.get(name)) if expand is not None and change.action == "create" else None
        if expanded is not None:  # a record naming several objects lists each one's values
            rows.extend(
                (label, "", shown(_field(model, field), field, value)) for label, field, value in expanded
            )
            continue
        field = _field(model, name)
        old, new = _comparable(field, before.get(name)), _comparable(field, after.get(name))
        if change.action == "update" and old == new:
            continue
        if change.action != "update" and (old if change.action == "delete" else new) is None:
            continue
        label = str(field.verbose_name) if field is not None else name
        rows.append(
            (
                label,
                shown(field, name, before.get(name)) if name in before else "",
                shown(field, name, after.get(name)) if name in after else "",
            )
        )
    return rows
