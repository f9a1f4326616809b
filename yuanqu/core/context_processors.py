"""The navigation of the UI shell, read from the app registry (``yuanqu.registry``): each app
registers its menu entries in its ``ready()``, core the modules not built yet.

An entry is shown when its page opens for the user: ``can_open`` asks the page's own view
(``utilities/links.py``); for a view that declares no check the model's ``view`` grant decides.
"""

from django.apps import apps

from yuanqu.registry import navigation as registered
from yuanqu.users.choices import Role
from yuanqu.users.permissions import has_perm
from yuanqu.utilities.links import url_if_open


def _url(user, name, model_label, *args) -> str:
    """The entry's URL when its page opens for the user, else ""."""
    model = apps.get_model(model_label)
    return url_if_open(user, name, *args, default=has_perm(user, model, "view"))


def module_items(user):
    """The module entries of the user's navigation (also the start page's shortcuts)."""
    items = []
    if user.role == Role.ENTERPRISE:
        # An enterprise user's own pages: its record, its reports, its results, its demands.
        for entry in registered("enterprise"):
            args = entry.url_args(user) if entry.url_args else []
            url = _url(user, entry.url_name, entry.model_label, *args) if all(args) else ""
            if url:
                items.append({"label": entry.label, "url": url})
        return items
    for entry in registered("modules"):
        if entry.url_name is None:
            items.append({"label": entry.label, "url": None})
        elif url := _url(user, entry.url_name, entry.model_label):
            items.append({"label": entry.label, "url": url})
    return items


def admin_items(user):
    """The administration entries: pages the user manages (the entry's grant) and may open."""
    items = []
    for entry in registered("admin"):
        model = apps.get_model(entry.model_label)
        if has_perm(user, model, entry.action) and (url := _url(user, entry.url_name, entry.model_label)):
            items.append({"label": entry.label, "url": url})
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Every template rendered with the request runs the context processors (a page and its
    # tables, partials …): the menu is built once per request and user.
    cached = request.__dict__.get("_yuanqu_navigation")
    if cached is None or cached[0] is not user:
        cached = (user, {"nav_modules": module_items(user), "nav_admin": admin_items(user)})
        request._yuanqu_navigation = cached
    return cached[1]
