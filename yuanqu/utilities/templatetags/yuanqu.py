from django import template

from yuanqu.enterprises.services import mask_mobile

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
        if isinstance(value, bool):
            value = "是" if value else "否"
        if isinstance(value, list):
            value = "、".join(str(v) for v in value)
        rows.append((field.verbose_name, value))
    return rows


@register.filter
def diff_for(change, user):
    """A change's diff rows, with personal fields masked for users who may not see them."""
    rows = change.diff()
    model = change.content_type.model_class()
    personal = getattr(model, "personal_fields", ())
    if not personal:
        return rows
    from yuanqu.users.permissions import can

    parent_model = change.related_type.model_class() if change.related_type_id else None
    parent = parent_model._default_manager.filter(pk=change.related_id).first() if parent_model else None
    if parent is not None and can(user, parent, "view_personal"):
        return rows
    labels = {str(model._meta.get_field(name).verbose_name) for name in personal}
    return [(label, mask_mobile(b), mask_mobile(a)) if label in labels else (label, b, a) for label, b, a in rows]
