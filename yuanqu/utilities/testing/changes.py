"""``assert_nothing_changed``: what every refused request in the shared cases asserts.

A refusal (no grant, a record outside the grant, a form with an error) must leave the data as
it was, not only answer with the right status::

    with assert_nothing_changed(Enterprise):
        response = client.post(url, data)
    assert response.status_code == 404

On leaving the block it fails when a row of a watched model was added, removed or has other
values (compared as the change log serialises them), or when any ``core.ObjectChange`` row was
written — the change log of a refused request stays empty.
"""

from contextlib import contextmanager

from django.db.models import Max

from yuanqu.core.changelog import serialize_object
from yuanqu.core.models import ObjectChange


def table_state(model) -> dict:
    """Every row of the model as {pk: values}, values as the change log writes them."""
    return {obj.pk: serialize_object(obj) for obj in model._default_manager.order_by("pk")}


def _describe(model, before, after) -> str:
    lines = [f"{model._meta.label} changed:"]
    for pk in sorted(set(before) - set(after), key=str):
        lines.append(f"  removed pk={pk}: {before[pk]}")
    for pk in sorted(set(after) - set(before), key=str):
        lines.append(f"  added pk={pk}: {after[pk]}")
    for pk in sorted(set(before) & set(after), key=str):
        diff = {
            k: (before[pk].get(k), after[pk].get(k))
            for k in before[pk]
            if before[pk].get(k) != after[pk].get(k)
        }
        if diff:
            lines.append(f"  pk={pk} (before, after): {diff}")
    return "\n".join(lines)


@contextmanager
def assert_nothing_changed(*models):
    """Fail when the block changes a row of one of ``models`` or writes any change-log row."""
    before = {model: table_state(model) for model in models}
    last_change = ObjectChange.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    for model in models:
        after = table_state(model)
        assert after == before[model], _describe(model, before[model], after)
    logged = list(
        ObjectChange.objects.filter(pk__gt=last_change).values_list(
            "action", "content_type__model", "object_id"
        )
    )
    assert not logged, f"a refused request wrote the change log: {logged}"
