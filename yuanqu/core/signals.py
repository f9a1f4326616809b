"""Every save and delete of a change-logged model writes an ObjectChange."""

from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver

from .changelog import record_change, serialize_object


def _is_logged(sender):
    from .mixins import ChangeLoggedModel

    return issubclass(sender, ChangeLoggedModel)


@receiver(pre_save)
def snapshot_before_save(sender, instance, raw=False, **kwargs):
    if raw or not _is_logged(sender) or instance._state.adding or instance.pk is None:
        return
    previous = sender._base_manager.filter(pk=instance.pk).first()
    instance._prechange = serialize_object(previous) if previous is not None else None


def _written(sender, before, after, update_fields):
    """What the row holds after a save of only ``update_fields``: the other fields of the
    instance in memory were not written, so they are not a change."""
    if before is None or update_fields is None:
        return after
    names = {f.name for f in sender._meta.concrete_fields if {f.name, f.attname} & set(update_fields)}
    return {name: (after[name] if name in names else value) for name, value in before.items()}


@receiver(post_save)
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


@receiver(pre_delete)
def log_delete(sender, instance, **kwargs):
    if not _is_logged(sender):
        return
    record_change(instance, "delete", serialize_object(instance), None, message=getattr(instance, "_change_message", ""))
