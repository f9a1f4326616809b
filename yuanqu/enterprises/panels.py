"""The enterprise registry's piece of the start page (registered in ``EnterprisesConfig.ready()``)."""

from django.template.loader import render_to_string

from yuanqu.users.choices import Role
from yuanqu.users.permissions import has_perm, restrict

from .models import Enterprise
from .services import qualification_counts


def enterprise_counts(request) -> str:
    """The headline counts: enterprises the user may view, and how many hold each qualification.
    Not for an enterprise user, whose start page is its own pages."""
    user = request.user
    if user.role == Role.ENTERPRISE or not has_perm(user, Enterprise, "view"):
        return ""
    enterprises = restrict(Enterprise.objects.all(), user, "view")
    context = {
        "enterprise_total": enterprises.count(),
        "qualification_counts": [c for c in qualification_counts(enterprises) if c[2]],
    }
    return render_to_string("enterprises/home_counts.html", context, request=request)
