"""Writing the change log and the audit events, from one place."""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from .context import current

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
    in one normal form so that a save that changes nothing compares equal."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in EXCLUDED_FIELDS or field.primary_key:
            continue
        data[field.name] = log_value(field, field.value_from_object(obj))
    return data


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


def audit(kind, *, user=None, user_name="", detail="", data=None, request=None):
    """Write one audit event (login, export, import …) with the current request's origin."""
    from .models import AuditEvent

    ctx = current()
    if user is None:
        user = ctx.acting_user()
    return AuditEvent.objects.create(
        kind=kind,
        user_id=user.pk if user is not None and user.pk else None,
        user_name=user_name or (user.get_username() if user is not None else ""),
        ip=(request.META.get("REMOTE_ADDR") if request is not None else ctx.ip) or None,
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request is not None else ctx.user_agent),
        request_id=ctx.request_id,
        source=ctx.source,
        detail=detail[:500],
        data=data,
    )


def history_for(obj):
    """Changes to a record and to the records that belong to it (contacts, qualifications …)."""
    from .models import ObjectChange

    ct = ContentType.objects.get_for_model(obj.__class__)
    return ObjectChange.objects.filter(
        models.Q(content_type=ct, object_id=str(obj.pk)) | models.Q(related_type=ct, related_id=str(obj.pk))
    ).select_related("content_type")


def _display(field, value):
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return "是" if value else "否"
    if field.is_relation and field.related_model is not None:
        obj = field.related_model._default_manager.filter(pk=value).first()
        return str(obj) if obj is not None else f"#{value}"
    return str(value)


def diff_rows(change):
    """(label, before, after) for each field whose value differs, labels in Chinese."""
    model = change.content_type.model_class()
    before = change.prechange_data or {}
    after = change.postchange_data or {}
    rows = []
    for name in list(after.keys()) + [k for k in before.keys() if k not in after]:
        if before.get(name) == after.get(name) and change.action == "update":
            continue
        try:
            field = model._meta.get_field(name) if model else None
        except Exception:
            field = None
        label = str(field.verbose_name) if field is not None else name
        rows.append(
            (
                label,
                _display(field, before.get(name)) if name in before else "",
                _display(field, after.get(name)) if name in after else "",
            )
        )
    return rows
