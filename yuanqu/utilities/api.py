from rest_framework.permissions import BasePermission

from yuanqu.users.permissions import has_perm

METHOD_ACTIONS = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class RestrictedPermission(BasePermission):
    """Authenticated, and holding a grant for the action on the view's model."""

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return True
        return has_perm(request.user, queryset.model, METHOD_ACTIONS.get(request.method, "view"))
