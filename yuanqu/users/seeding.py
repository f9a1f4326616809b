"""Seeds the default grants (``users.defaults``) once after migrate: a default a security
administrator deleted stays deleted. Apart from the data it seeds, so that the models can
read the presets without importing what the seeding needs (the core models)."""

from .defaults import DEFAULT_PERMISSIONS


def ensure_default_permissions(sender=None, **kwargs):
    from yuanqu.core.models import SeededDefault

    from .models import ObjectPermission

    seeded = set(SeededDefault.objects.filter(kind="permission").values_list("key", flat=True))
    for name, role, model, actions, constraint in DEFAULT_PERMISSIONS:
        if name in seeded:
            continue
        ObjectPermission.objects.get_or_create(
            name=name,
            defaults={
                "role": role,
                "model": model,
                "actions": actions,
                "constraint": constraint,
                "is_default": True,
            },
        )
        SeededDefault.objects.get_or_create(kind="permission", key=name)
