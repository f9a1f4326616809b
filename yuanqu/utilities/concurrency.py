"""Optimistic concurrency: a save made from a stale page is refused, never a lost update.

**A record's version is the id of its latest change-log entry** (``core.ObjectChange``; 0
when it has none). Every write of a change-logged record — a form, the API, an import, a
workflow step, a bulk path that logs explicitly, a many-to-many change — writes that entry,
and a save that changes nothing writes none (``core.signals.log_save``). So the version moves
exactly when something a user could see changed, and the change log says what changed since
a given version. ``last_updated`` was not taken: it moves on a save that changes nothing
(another user pressing 保存 on an untouched page would make every open page stale), not on a
``bulk_update`` or a many-to-many change, and it would say nothing about what changed.

An edit page carries the version it was opened at (``VERSION_FIELD``, a hidden input); the
save locks the row (``select_for_update``: two saves of one record run one after the other),
compares, and raises ``StaleRecord`` with the Chinese message naming who changed what since.
The API does the same with ``ETag`` / ``If-Match`` (``utilities/api.py``).

A page with child rows (a task's milestones) counts their changes too (``children=True``);
a page that edits a set of records (a kind's light bands) carries the version of the set
(``set_version``). A post with no version (a page opened before this existed) is refused
too, and the form shown again carries the current version. Workflow steps carry no version:
their services read the record again under the row lock (``refresh_locked``) and check the
state machine on that, so a step taken twice at once applies once.
"""

import datetime

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from yuanqu.core.changelog import records_of

VERSION_FIELD = "record_version"
MAX_ROWS = 8  # changed fields named in the message; more are counted


class StaleRecord(Exception):
    """The record changed since the page (or the API client) read it: nothing is written."""

    def __init__(self, message: str, version: int, since: int | None = None):
        super().__init__(message)
        self.message = message
        self.version = version  # the record's current version, for the page shown again
        self.since = since  # the version the page was opened at (None: it had none)


def _changes(obj, children: bool):
    """The change records of ``obj`` as a queryset (for a record that an import's row record
    may name: every record that might; ``records_of`` leaves out those that do not)."""
    records = records_of(obj, children)
    return records if isinstance(records, QuerySet) else records.queryset


def version_of(obj, children: bool = False) -> int:
    """The record's version: the id of its latest change-log entry, 0 for none (a new record)."""
    if obj is None or obj.pk is None:
        return 0
    records = records_of(obj, children)
    if not isinstance(records, QuerySet):
        return records.last_id()
    return records.aggregate(last=Max("pk"))["last"] or 0


def parse_version(value) -> int | None:
    """A posted or quoted version; None when missing or not one of ours."""
    text = str(value or "").strip()
    if text.startswith("W/"):  # a weak ETag (a compressing proxy): the same version
        text = text[2:]
    text = text.strip('"')
    return int(text) if text.isdigit() and len(text) <= 19 else None


def lock(obj):
    """Lock the record's row until the end of the transaction (PostgreSQL; SQLite serialises
    its writers anyway). Call inside ``transaction.atomic()``."""
    type(obj)._base_manager.select_for_update().filter(pk=obj.pk).values_list("pk").first()


def refresh_locked(obj, fields=None):
    """Lock the record's row and read it again into ``obj``: a workflow step then checks the
    state as it is now, not as the request found it a moment ago, so two people taking the
    same step at once cannot both pass the check (the second sees the first's result)."""
    obj.refresh_from_db(fields=fields, from_queryset=type(obj)._base_manager.select_for_update())
    return obj


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


def _rows(changes, obj, user):
    """(label, value then, value now) of each field changed since, masked as the history is,
    the first value as the user read it and the last as it is stored now."""
    from yuanqu.utilities.templatetags.yuanqu import diff_for

    rows: dict[str, list] = {}
    own_type = ContentType.objects.get_for_model(obj.__class__) if obj is not None else None
    for change in changes:
        own = obj is not None and change.content_type_id == own_type.pk and change.object_id == str(obj.pk)
        prefix = (
            "" if own else f"{change.content_type.model_class()._meta.verbose_name}“{change.object_repr}”"
        )
        if not own and change.action != "update":
            label = f"{prefix}（{change.get_action_display()}）"
            rows.setdefault(label, ["", ""])
            continue
        for label, before, after in diff_for(change, user):
            key = f"{prefix}{label}"
            if key in rows:
                rows[key][1] = after
            else:
                rows[key] = [before, after]
    return [(label, then, now) for label, (then, now) in rows.items() if then != now or not then]


def conflict_message(obj, since: int | None, user, children: bool = False) -> str:
    """The Chinese message of a refused save: who changed the record when, and what."""
    if since is None:
        return (
            "此页面没有记录版本（可能是系统更新前打开的），为避免覆盖他人的修改，未保存。"
            "页面已按当前记录更新版本，请核对后再次保存。"
        )
    from yuanqu.core.changelog import attach_people

    changes = list(_changes(obj, children).filter(pk__gt=since).select_related("content_type").order_by("pk"))
    if not changes:  # the version moved back (a restored database): nothing to show
        return "该记录的版本与打开页面时不同，未保存。请核对后再次保存。"
    attach_people(changes)
    return (
        _message(changes, _rows(changes, obj, user))
        + "您填写的内容仍在下方（他人改过、您未改动的栏目已换成当前值），未保存；请核对后再次保存。"
    )


def values_since(obj, since: int) -> dict:
    """{field: value as the change log keeps it} of the record's fields changed after version
    ``since``, each as it was then (the first change's value before)."""
    base: dict = {}
    for change in _changes(obj, False).filter(pk__gt=since, action="update").order_by("pk"):
        for name, value in (change.prechange_data or {}).items():
            base.setdefault(name, value)
    return base


def _as_python(model_field, value):
    if model_field.is_relation:  # a primary key, or a list of them for many-to-many
        return value
    return model_field.to_python(value)


def _set_posted(form, name, value) -> None:
    """Put ``value`` (as the form shows it) into the bound form's data, as a browser posts it."""
    field, key = form.fields[name], form.add_prefix(name)
    widget = field.widget
    if isinstance(widget, forms.CheckboxInput):
        if value:
            form.data[key] = "on"
        else:
            form.data.pop(key, None)
        return
    prepared = field.prepare_value(value)
    if isinstance(field, forms.ModelMultipleChoiceField) or getattr(widget, "allow_multiple_selected", False):
        form.data.setlist(key, [str(v) for v in prepared or []])
    elif isinstance(widget, forms.widgets.Input | forms.Textarea):
        shown = widget.format_value(prepared)
        form.data[key] = "" if shown is None else str(shown)
    else:
        form.data[key] = "" if prepared is None else str(prepared)


def take_untouched(form, fresh_form, obj, since: int) -> list[str]:
    """On a form shown again after a refused stale save: each field someone else changed
    since ``since`` and this user left as it was shown gets the stored value, so saving the
    page again does not put the old value back; a field the user changed keeps their input.
    Returns the names taken. ``fresh_form``: an unbound form of the record as stored."""
    taken = []
    form.data = form.data.copy()
    for name, then in values_since(obj, since).items():
        if name not in form.fields or name not in fresh_form.fields or form.fields[name].disabled:
            continue
        field = form.fields[name]
        if isinstance(field.widget, forms.MultiWidget):
            continue
        try:
            touched = field.has_changed(_as_python(obj._meta.get_field(name), then), form[name].data)
        except Exception:  # noqa: BLE001 - a value we cannot compare: the user's input stays
            touched = True
        if not touched:
            _set_posted(form, name, fresh_form[name].value())
            taken.append(name)
    return taken


def _message(changes, rows) -> str:
    people = "、".join(dict.fromkeys(c.person for c in changes))
    shown = "；".join(
        f"{label}：{then or '—'} → {now or '—'}" if then or now else label
        for label, then, now in rows[:MAX_ROWS]
    )
    if len(rows) > MAX_ROWS:
        shown += f"等{len(rows)}项"
    return f"该记录已被他人修改（{people}，{_when(changes[-1].time)}）：{shown or '—'}。"


def set_version(model) -> int:
    """The version of a set of records edited on one page (a kind's light bands): the latest
    change-log entry of any record of the model."""
    from yuanqu.core.models import ObjectChange

    content_type = ContentType.objects.get_for_model(model)
    return ObjectChange.objects.filter(content_type=content_type).aggregate(last=Max("pk"))["last"] or 0


def check_set_version(model, posted, user, locked) -> None:
    """``check_version`` for a set: ``locked``, a queryset of the set's rows, is locked first."""
    from yuanqu.core.changelog import attach_people
    from yuanqu.core.models import ObjectChange

    assert transaction.get_connection().in_atomic_block, (
        "check_set_version runs inside the save's transaction"
    )
    list(locked.select_for_update().values_list("pk", flat=True))
    current, since = set_version(model), parse_version(posted)
    if since == current:
        return
    if since is None:
        raise StaleRecord(conflict_message(None, None, user), current)
    content_type = ContentType.objects.get_for_model(model)
    changes = list(
        ObjectChange.objects.filter(content_type=content_type, pk__gt=since)
        .select_related("content_type")
        .order_by("pk")
    )
    attach_people(changes)
    message = _message(changes, _rows(changes, None, user)) if changes else "该页内容的版本与打开页面时不同。"
    raise StaleRecord(f"{message}您填写的内容仍在下方，未保存；请核对后再次保存。", current, since)


def check_version(obj, posted, user, children: bool = False) -> None:
    """Inside the saving transaction: lock the record, and raise ``StaleRecord`` unless
    ``posted`` (the version the page or client read) is its current version."""
    assert transaction.get_connection().in_atomic_block, "check_version runs inside the save's transaction"
    lock(obj)
    current = version_of(obj, children)
    since = parse_version(posted)
    if since != current:
        raise StaleRecord(conflict_message(obj, since, user, children), current, since)


def is_versioned(model) -> bool:
    """Whether the model's writes are in the change log (the version means something)."""
    from yuanqu.core.mixins import ChangeLoggedModel

    return (
        isinstance(model, type) and issubclass(model, models.Model) and issubclass(model, ChangeLoggedModel)
    )
