"""Global search: each app's ``search.py`` registers what can be found; results are
restricted to what the user may view."""

from django.db.models import Q

from yuanqu.users.permissions import restrict

REGISTRY = []


def register(model, fields, label=None, display=None):
    REGISTRY.append({"model": model, "fields": fields, "label": label, "display": display})


def global_search(user, query, limit=20):
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("yuanqu."):
            try:
                importlib.import_module(f"{config.name}.search")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.search":
                    raise
    results = []
    seen = set()
    for entry in REGISTRY:
        model = entry["model"]
        if model in seen:
            continue
        seen.add(model)
        condition = Q()
        for field in entry["fields"]:
            condition |= Q(**{f"{field}__icontains": query})
        queryset = restrict(model._default_manager.all(), user, "view").filter(condition)
        total = queryset.count()
        if total:
            results.append(
                {
                    "label": entry["label"] or model._meta.verbose_name_plural,
                    "total": total,
                    "objects": list(queryset[:limit]),
                }
            )
    return results
