"""The one restriction function every queryset a user can reach goes through.

A model says how each constraint applies to it with ``restrict_paths``, e.g.
``{"own_department": "department", "own_zone": "zone", "own_enterprise": "pk"}``; a
constraint the model does not name grants nothing on it.

A model whose records are hidden by their state as well (results of a draft evaluation
scheme …) declares the rule as a classmethod ``visible_q(user)`` returning a ``Q`` (or None
for no limit); ``restrict()`` ANDs it in for every action, so every view, export, API and
choice list applies it.
"""

from django.apps import apps
from django.db.models import Q, QuerySet

from .choices import Constraint


def model_key(model) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def permission_model_choices():
    """Models a permission can name: every model that declares restrict_paths."""
    result = []
    for model in apps.get_models():
        if hasattr(model, "restrict_paths"):
            result.append(
                (model_key(model), f"{model._meta.app_config.verbose_name} · {model._meta.verbose_name}")
            )
    return sorted(result)


def _grants(user) -> dict:
    """The user's enabled grants as {(model, action): constraints}, read in one query and
    cached on the user object (which lives for one request): the navigation, the link guard
    and every restrict() of a page look them up without scanning or querying again."""
    cached = getattr(user, "_yuanqu_grants", None)
    if cached is not None:
        return cached
    from .models import ObjectPermission

    grants = {}
    if user is not None and user.is_authenticated and user.is_active:
        # A user's own grants have role "", so a blank role must match no role grant.
        by_role = Q(role=user.role) if user.role else Q(pk__in=[])
        rows = ObjectPermission.objects.filter(enabled=True).filter(by_role | Q(user=user))
        for model, actions, constraint in rows.values_list("model", "actions", "constraint"):
            for action in actions:
                grants.setdefault((model, action), set()).add(constraint)
    user._yuanqu_grants = grants
    return grants


def scope_signature(user) -> tuple:
    """Everything of the user that decides what ``restrict()`` and ``has_perm()`` let through:
    the grants (model, action, constraints), role, department, 片区 and enterprise. Two users
    with equal signatures see the same records (used to share cached page parts)."""
    grants = sorted(
        (model, action, tuple(sorted(constraints))) for (model, action), constraints in _grants(user).items()
    )
    return (tuple(grants), user.role, user.department_id, user.zone_id, user.enterprise_id)


def constraints_for(user, model, action) -> set[str]:
    return set(_grants(user).get((model_key(model), action), ()))


def has_perm(user, model, action) -> bool:
    """Whether the user may take the action on at least some records of the model."""
    return bool(_grants(user).get((model_key(model), action)))


def constraint_q(user, model, constraint, path=None) -> Q | None:
    """The filter one constraint means for this user on this model (or along ``path``);
    None grants nothing."""
    if constraint == Constraint.ALL:
        return Q()
    path = path or getattr(model, "restrict_paths", {}).get(constraint)
    if path is None:
        return None
    if constraint == Constraint.OWN_DEPARTMENT:
        return Q(**{path: user.department_id}) if user.department_id else None
    if constraint == Constraint.OWN_ENTERPRISE:
        return Q(**{path: user.enterprise_id}) if user.enterprise_id else None
    if constraint == Constraint.OWN_ZONE:
        return Q(**{f"{path}__in": user.zone.subtree_ids()}) if user.zone_id else None
    return None


def state_q(model, user) -> Q | None:
    """The model's own visibility rule for this user (``visible_q``), None when it has none."""
    rule = getattr(model, "visible_q", None)
    return rule(user) if rule is not None else None


def restrict(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    """The part of the queryset this user may take the action on (nothing when no grant)."""
    model = queryset.model
    combined = None
    for constraint in constraints_for(user, model, action):
        q = constraint_q(user, model, constraint)
        if q is None:
            continue
        if not q:  # unconstrained
            combined = Q()
            break
        combined = q if combined is None else combined | q
    if combined is None:
        return queryset.none()
    # Paths follow forward foreign keys only, so the filter cannot duplicate rows. An
    # unconstrained grant still gives a fresh queryset, never the caller's (cached) one.
    queryset = queryset.filter(combined) if combined else queryset.all()
    state = state_q(model, user)
    return queryset if state is None else queryset.filter(state)


def can(user, obj, action: str) -> bool:
    """Whether the user may take the action on this saved record."""
    model = obj.__class__
    return restrict(model._default_manager.filter(pk=obj.pk), user, action).exists()


def can_add_child(user, child_model, parent_field: str, parent, action: str = "add") -> bool:
    """Whether the user may add a ``child_model`` record under ``parent`` (a contact to an
    enterprise …), or take another ``action`` (import) on its records there: the child's
    grant, read along its path to the parent."""
    parent_model = parent.__class__
    for constraint in constraints_for(user, child_model, action):
        path = getattr(child_model, "restrict_paths", {}).get(constraint)
        if constraint == Constraint.ALL:
            return True
        if path == parent_field:
            relative = "pk"
        elif path and path.startswith(parent_field + "__"):
            relative = path[len(parent_field) + 2 :]
        else:
            continue
        q = constraint_q(user, parent_model, constraint, path=relative)
        if q is not None and parent_model._default_manager.filter(q, pk=parent.pk).exists():
            return True
    return False


class RestrictedQuerySet(QuerySet):
    def restrict(self, user, action="view"):
        return restrict(self, user, action)
