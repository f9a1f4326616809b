"""Naming a scope: a 片区, a department or a 产业链 by its name (片区 also by code or number)."""

from django.apps import apps
from django.db.models import Q


class ScopeError(ValueError):
    pass


def find_scope(text: str | None) -> tuple[str, object]:
    """(scope, target) for a name; ("park", None) for nothing or the park itself."""
    text = (text or "").strip()
    if not text or text in ("园区", "全园区"):
        return "park", None
    Zone = apps.get_model("users", "Zone")
    Department = apps.get_model("users", "Department")
    IndustryChain = apps.get_model("enterprises", "IndustryChain")
    by_number = Q(pk=int(text)) if text.isdigit() else Q()
    found = [("zone", z) for z in Zone.objects.filter(Q(name=text) | Q(code=text) | by_number)[:2]]
    found += [("department", d) for d in Department.objects.filter(name=text)[:2]]
    found += [("chain", c) for c in IndustryChain.objects.filter(name=text)[:2]]
    if not found:
        raise ScopeError(f"“{text}”不是片区、部门或产业链的名称")
    if len(found) > 1:
        raise ScopeError(f"“{text}”同时是多个片区、部门或产业链的名称，请用片区编码")
    scope, target = found[0]
    if scope == "zone" and target.parent_id is None:
        return "park", None  # the park's own root
    return scope, target
