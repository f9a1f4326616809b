"""Fetching a record for an action, and refusing a save that would leave the user's grant.

One rule for every action view (assign, close, escalate, evaluate …):

- **404** when the record is outside what the user may *view* — a record one may not see does
  not exist for one, whatever the action;
- **403** when the user sees it but may not perform the action on it (the grant, or the
  app's own rule passed as ``allowed``), with the reason in Chinese.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from yuanqu.users.permissions import can_add_child, restrict


class OutsideGrant(Exception):
    """A save would put the record outside what the user may touch: raised inside the
    transaction, which it rolls back; the caller turns it into the form error, the 403 or the
    import row's error."""


def ensure_within_grant(obj, user, action: str, queryset=None) -> None:
    """Raise ``OutsideGrant`` unless the saved ``obj`` is within the user's grant for
    ``action`` (call it inside the saving transaction)."""
    manager = queryset if queryset is not None else type(obj)._default_manager
    if not restrict(manager.filter(pk=obj.pk), user, action).exists():
        raise OutsideGrant


def get_for_action(
    model_or_queryset, pk, user, action: str = "view", *, add_child=None, allowed=None, message=""
):
    """The record ``pk`` for ``action`` by ``user``: 404 outside the view grant, 403 when
    visible but not allowed.

    The right to act is the grant for ``action`` on the record; or, with
    ``add_child=(ChildModel, "parent_field")``, the right to add such a child to it; or an
    app's own rule ``allowed(obj) -> bool`` (a workflow step's actor). ``message`` is the 403's
    Chinese text, or a function of the record giving it."""
    if hasattr(model_or_queryset, "_meta") and not hasattr(model_or_queryset, "query"):
        queryset = model_or_queryset._default_manager.all()
    else:
        queryset = model_or_queryset.all()
    try:  # an id that is no id at all ("abc" in /api/demands/abc/assign/) names no record
        queryset.model._meta.pk.to_python(pk)
    except (ValidationError, TypeError, ValueError):
        raise Http404("记录不存在") from None
    obj = get_object_or_404(restrict(queryset, user, "view"), pk=pk)
    if allowed is not None:
        permitted = allowed(obj)
    elif add_child is not None:
        permitted = can_add_child(user, add_child[0], add_child[1], obj)
    elif action == "view":
        permitted = True
    else:
        permitted = restrict(queryset.filter(pk=obj.pk), user, action).exists()
    if not permitted:
        text = message(obj) if callable(message) else message
        raise PermissionDenied(text or f"没有对{obj._meta.verbose_name}“{obj}”执行此操作的权限")
    return obj
