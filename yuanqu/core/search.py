"""Global search over the models the apps register (``yuanqu.registry.register_search`` in
their ``search.py``, imported by their ``ready()``); results are restricted to what the user
may view."""

from django.db.models import Q

from yuanqu.registry import registry
from yuanqu.users.permissions import restrict


def global_search(user, query, limit=20):
    results = []
    for entry in registry["search"]:
        condition = Q()
        for field in entry.fields:
            condition |= Q(**{f"{field}__icontains": query})
        queryset = restrict(entry.model._default_manager.all(), user, "view").filter(condition)
        total = queryset.count()
        if total:
            results.append(
                {
                    "label": entry.label or entry.model._meta.verbose_name_plural,
                    "total": total,
                    "objects": list(queryset[:limit]),
                }
            )
    return results
