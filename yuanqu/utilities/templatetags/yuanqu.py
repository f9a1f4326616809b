from django import template
from django.db.models import JSONField

from yuanqu.utilities.privacy import personal_fields

register = template.Library()


@register.filter
def model_fields(obj):
    """(label, display value) of a record's editable fields, for the generic detail page."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or not field.editable or field.name in {"password"}:
            continue
        display = getattr(obj, f"get_{field.name}_display", None)
        value = display() if display else getattr(obj, field.name)
        if not display and (isinstance(field, JSONField) or hasattr(obj, "changelog_labels")):
            from yuanqu.core.changelog import _display

            value = _display(field, field.value_from_object(obj))
        if isinstance(value, bool):
            value = "是" if value else "否"
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        rows.append((field.verbose_name, value))
    return rows


@register.filter
def diff_for(change, user):
    """A change's diff rows: personal fields in clear only for a user with ``view_personal`` on
    the record the change belongs to (a contact's enterprise, else the record itself), masked
    for everyone else — auditors included."""
    return change.diff(show_personal=may_see_personal(change, user))


def may_see_personal(change, user) -> bool:
    """Whether ``user`` holds ``view_personal`` on the record owning ``change`` (its parent
    when it has one); False for a model without personal fields (nothing to decide)."""
    model = change.content_type.model_class()
    if model is None or not personal_fields(model):
        return False
    from yuanqu.users.permissions import can

    if change.related_type_id:
        owner_model, owner_id = change.related_type.model_class(), change.related_id
    else:
        owner_model, owner_id = model, change.object_id
    if owner_model is None:
        return False
    owner = owner_model._default_manager.filter(pk=owner_id).first()
    return owner is not None and can(user, owner, "view_personal")


@register.filter(name="number")
def number_filter(value, places=None):
    """Thousands separators and no idle decimals; see ``numbers.number``."""
    from .numbers import number

    return number(value, places)


@register.filter
def person(record):
    """The person who acted on a change record or audit event (姓名, else the username)."""
    from yuanqu.core.changelog import person_name

    return getattr(record, "person", None) or person_name(record)


@register.filter
def local_time(value):
    """A moment in the site's time zone, to the minute: ``2026-10-12 14:03``."""
    from yuanqu.core.changelog import local_time as fmt

    return fmt(value) if value else "—"


@register.filter
def source_label(value):
    """Where a change came from, in Chinese: 网页, 接口, 命令行, 系统."""
    from yuanqu.core.changelog import SOURCE_LABELS

    return SOURCE_LABELS.get(value, value or "—")
