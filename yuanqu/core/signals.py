"""Every save and delete of a change-logged model writes an ObjectChange.

The receivers are connected in ``CoreConfig.ready()`` (core is the first app) through
``yuanqu.registry.connect_signal`` under the uids below, so another app's receiver can name
the ones it relies on (``after=[SNAPSHOT]``) and fail loudly at start-up if they are missing.

The documented hook for other apps is :func:`state_before_save`: the stored row as it was
before the save in progress. Core's post_save receiver does not touch it, so a post_save
receiver of another app reads the same value whether it runs before or after core's.
"""

from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from .changelog import m2m_values, record_change, serialize_object

SNAPSHOT = "core.changelog.snapshot"  # pre_save: the row before the save
LOG_SAVE = "core.changelog.log_save"  # post_save: the ObjectChange of a create or update
LOG_DELETE = "core.changelog.log_delete"  # pre_delete: the ObjectChange of a delete
LOG_M2M = "core.changelog.log_m2m"  # m2m_changed: a link added, removed or cleared


def _is_logged(sender):
    from .mixins import ChangeLoggedModel

    return issubclass(sender, ChangeLoggedModel)


def state_before_save(instance) -> dict | None:
    """The row as stored before the save in progress, serialized as the change log does
    (``{"zone": 3, …}``); None for a create, a raw save or a model without change log.
    Read it in a post_save receiver connected with ``after=[SNAPSHOT]``."""
    return getattr(instance, "_state_before_save", None)


def snapshot_before_save(sender, instance, raw=False, **kwargs):
    instance._state_before_save = None
    if raw or not _is_logged(sender) or instance._state.adding or instance.pk is None:
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._prechange = serialize_object(previous) if previous is not None else None
    instance._state_before_save = instance._prechange


def _written(sender, before, after, update_fields):
    """What the row holds after a save of only ``update_fields``: the other fields of the
    instance in memory were not written, so they are not a change."""
    if before is None or update_fields is None:
        return after
    names = {f.name for f in sender._meta.concrete_fields if {f.name, f.attname} & set(update_fields)}
    return {name: (after[name] if name in names else value) for name, value in before.items()}


def log_save(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or not _is_logged(sender):
        return
    before = None if created else getattr(instance, "_prechange", None)
    after = _written(sender, before, serialize_object(instance), update_fields)
    if not created and before == after:  # values in one normal form (changelog.log_value)
        return
    record_change(
        instance,
        "create" if created else "update",
        before,
        after,
        message=getattr(instance, "_change_message", ""),
    )
    instance._prechange = after


def log_delete(sender, instance, **kwargs):
    if not _is_logged(sender):
        return
    record_change(instance, "delete", serialize_object(instance), None, message=getattr(instance, "_change_message", ""))


def _m2m_field(instance, sender):
    for field in instance._meta.many_to_many:
        if field.remote_field.through is sender:
            return field.name
    return None


def log_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A link added to or removed from a record's many-to-many field, outside a
    ``changelog.logged_m2m`` block (which logs its whole step once)."""
    if reverse:  # changed from the other side: log it on each record whose links moved
        if action.startswith("pre_") or not _is_logged(model):
            return
        for obj in model._default_manager.filter(pk__in=pk_set or []):
            name = _m2m_field(obj, sender)
            if name is None or getattr(obj, "_m2m_logged_by_caller", False):
                continue
            now = m2m_values(obj, [name])[name]
            gone = action == "post_remove"
            before = sorted({*now, instance.pk}) if gone else sorted(set(now) - {instance.pk})
            record_change(obj, "update", {name: before}, {name: now})
        return
    if not _is_logged(type(instance)) or getattr(instance, "_m2m_logged_by_caller", False):
        return
    name = _m2m_field(instance, sender)
    if name is None:
        return
    pending = instance.__dict__.setdefault("_m2m_before", {})
    if action.startswith("pre_"):
        pending[name] = m2m_values(instance, [name])[name]
        return
    before = pending.pop(name, None)
    after = m2m_values(instance, [name])[name]
    if before is not None and before != after:
        record_change(instance, "update", {name: before}, {name: after})


def connect():
    """Called once from ``CoreConfig.ready()``."""
    from yuanqu.registry import connect_signal

    connect_signal(pre_save, snapshot_before_save, uid=SNAPSHOT)
    connect_signal(post_save, log_save, uid=LOG_SAVE, after=[SNAPSHOT])
    connect_signal(pre_delete, log_delete, uid=LOG_DELETE)
    connect_signal(m2m_changed, log_m2m, uid=LOG_M2M)
