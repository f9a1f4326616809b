"""Links drawn from the same check as the page they open.

``can_open(user, target, *args)`` resolves a URL name (or a path) to its view and asks that
view the question it asks when the page is requested: the generic list page asks for the
``view`` grant, a record's page and edit page run their own ``get_object`` (with whatever a
concrete view adds, e.g. nobody edits their own account), the delete page restricts by
``delete``, an import page asks for ``import``. Any other view answers through an
``allows(self, **kwargs)`` method that its own ``get`` uses too. A view that declares nothing
is not known to refuse: ``default`` is returned for it.

Navigation, tabs, buttons and table link columns ask ``can_open`` (templates through
``{% load links %}``), so a user is never offered a page that answers 403 or 404.
"""

from functools import lru_cache
from urllib.parse import urlsplit

import django_tables2 as tables
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, Resolver404, get_script_prefix, get_urlconf, resolve, reverse
from django.utils.html import format_html

from yuanqu.users.permissions import has_perm


def _probe_request(user, path):
    """A GET of ``path`` by ``user``, for a view to answer whether it would open."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.user = user
    return request


def _ask_view(view_class, initkwargs, user, path, kwargs, default):
    from .import_views import ImporterView
    from .views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView

    view = view_class(**initkwargs)
    view.setup(_probe_request(user, path), **kwargs)
    pk = kwargs.get("pk")
    if hasattr(view, "allows"):
        return bool(view.allows(**kwargs))
    if isinstance(view, ImporterView):
        return has_perm(user, view.model, "import")
    if isinstance(view, ObjectListView):
        return has_perm(user, view.model, "view")
    if isinstance(view, ObjectEditView | ObjectView):
        view.get_object(pk)
        return True
    if isinstance(view, ObjectDeleteView):
        get_object_or_404(view.restricted("delete"), pk=pk)
        return True
    return default


@lru_cache(maxsize=4096)
def _resolved(target, args, urlconf, prefix):
    """(url, view function, view kwargs) of a URL name with its arguments, or of a path;
    function and kwargs None when nothing answers there. The URL patterns do not change
    while the process runs, so the lookup is remembered (keyed by the URL conf and script
    prefix in force); the question to the view is asked afresh every time."""
    if target.startswith("/"):
        url, path = target, urlsplit(target).path
    else:
        try:
            url = path = reverse(target, args=args, urlconf=urlconf)
        except NoReverseMatch:
            return "", None, None
    try:
        match = resolve(path, urlconf=urlconf)
    except Resolver404:
        return url, None, None
    return url, match.func, match.kwargs


def _answer(user, target, args, default):
    """(the URL of ``target``, whether its page opens for ``user``)."""
    url, func, kwargs = _resolved(target, args, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if func is None:
        return url, False
    path = urlsplit(url).path
    view_class = getattr(func, "view_class", None)
    try:
        if view_class is not None:
            initkwargs = getattr(func, "view_initkwargs", {})
            return url, _ask_view(view_class, initkwargs, user, path, dict(kwargs), default)
        allows = getattr(func, "allows", None)
        if allows is not None:
            return url, bool(allows(_probe_request(user, path), **kwargs))
    except (PermissionDenied, Http404):
        return url, False
    return url, default


def _cached_answer(user, target, args, default):
    """The answer, remembered on the user object, which lives for one request: the
    navigation, the tabs and the buttons of a page ask many of the same questions."""
    if user is None or not user.is_authenticated:
        return "", False
    cache = user.__dict__.setdefault("_yuanqu_links", {})
    args = tuple(str(a) for a in args)
    key = (target, args, default)
    if key not in cache:
        cache[key] = _answer(user, target, args, default)
    return cache[key]


def can_open(user, target, *args, default=True) -> bool:
    """Whether ``target`` (a URL name with its arguments, or a path) opens for ``user``."""
    return _cached_answer(user, target, args, default)[1]


def url_if_open(user, target, *args, default=True) -> str:
    """The URL of ``target`` when it opens for ``user``, else ""."""
    url, opens = _cached_answer(user, target, args, default)
    return url if opens else ""


def object_action_url(user, obj, action) -> str:
    """The URL of a record's ``edit`` / ``delete`` page when the user may open it, else ""."""
    meta = obj._meta
    return url_if_open(user, f"{meta.app_label}:{meta.model_name}_{action}", obj.pk)


def openable_pks(user, viewname, pks) -> set:
    """The records among ``pks`` whose ``viewname`` page (one pk argument) opens for ``user``:
    one query when the page is a generic one that only restricts by its action, else asked
    record by record."""
    from .views import ObjectDeleteView, ObjectEditView, ObjectView

    pks = list(pks)
    if not pks:
        return set()
    try:
        func = resolve(reverse(viewname, args=[pks[0]])).func
    except (NoReverseMatch, Resolver404):
        return set()
    view_class = getattr(func, "view_class", None)
    action = None
    if view_class is not None and not hasattr(view_class, "allows"):
        if issubclass(view_class, ObjectDeleteView):
            action = "delete"
        elif issubclass(view_class, ObjectEditView) and view_class.get_object is ObjectEditView.get_object:
            action = "change"
        elif issubclass(view_class, ObjectView) and view_class.get_object is ObjectView.get_object:
            action = "view"
    if action is None:
        return {pk for pk in pks if can_open(user, viewname, pk)}
    from yuanqu.users.permissions import restrict

    queryset = view_class(**getattr(func, "view_initkwargs", {})).queryset
    return set(restrict(queryset.filter(pk__in=pks), user, action).values_list("pk", flat=True))


def model_action_url(user, model, action) -> str:
    """The URL of a model's ``add`` / ``import`` / ``list`` page when the user may open it, else ""."""
    meta = model._meta
    return url_if_open(user, f"{meta.app_label}:{meta.model_name}_{action}")


class GuardedLinkColumn(tables.Column):
    """A column linking each row to ``viewname`` (args from the record) only where the
    table's user may open it; other rows show the text unlinked, or nothing for a pure
    action column (``text`` given)."""

    def __init__(self, viewname, args=("pk",), text=None, fallback=None, **kwargs):
        kwargs.setdefault("empty_values", ())
        super().__init__(**kwargs)
        self.viewname = viewname
        self.arg_names = args
        self.text = text
        self.fallback = fallback  # a callable record → URL for rows the view refuses

    def _open(self, table, record):
        """Whether the row's page opens, asked once for all rows of the table's page."""
        cache = table.__dict__.setdefault("_guarded_links", {})
        if self.viewname not in cache:
            rows = table.page.object_list if getattr(table, "page", None) else table.data
            records = [getattr(row, "record", row) for row in rows]  # a page holds bound rows
            pks = [tables.A(self.arg_names[0]).resolve(record) for record in records]
            cache[self.viewname] = openable_pks(getattr(table, "user", None), self.viewname, pks)
        return tables.A(self.arg_names[0]).resolve(record) in cache[self.viewname]

    def render(self, value, record, table):
        args = [tables.A(name).resolve(record) for name in self.arg_names]
        label = self.text if self.text is not None else value
        user = getattr(table, "user", None)
        if len(args) == 1:
            opens = self._open(table, record)
        else:
            opens = can_open(user, self.viewname, *args)
        url = reverse(self.viewname, args=args) if opens else ""
        if not url and self.fallback is not None:
            candidate = self.fallback(record)
            url = url_if_open(user, candidate) if candidate else ""
        if url:
            return format_html('<a href="{}">{}</a>', url, label)
        return "" if self.text is not None else label

    def value(self, value, record, table=None):
        return "" if self.text is not None else value
