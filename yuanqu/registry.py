"""The app registry: where each app lists what it contributes, from its ``AppConfig.ready()``.

Nothing lists an app by importing it. The demo command, the console import/export, global
search, the navigation and the start page read the stores below; an app adds itself to them
in its ``apps.py``::

    class LandConfig(AppConfig):
        name = "yuanqu.land"

        def ready(self):
            from yuanqu import registry
            from . import importers, search  # noqa: F401  (their @register lines fill the stores)

            registry.register_navigation("modules", "土地载体", "land:parcel_list", "land.parcel", order=100)
            registry.register_demo("land", "yuanqu.land.demo.generate_land", order=70, requires=["economy"])

The stores (keys of ``registry``):

``demo``
    Demo generators, run by ``seed-demo`` in ``order`` after the enterprise zone is built;
    ``requires`` names generators that must run earlier (checked).
``search``
    Models global search looks in, with the fields it matches (``register_search``).
``importers`` / ``exporters``
    name → class for ``yuanqu import NAME`` (``utilities.importing.register``) and the
    app's own ``yuanqu export NAME`` (``register_exporter``); every importer with a table is
    exportable as well.
``navigation``
    Menu entries of the three menus — ``modules`` (staff), ``enterprise`` (an enterprise
    user's own pages) and ``admin`` — in ``order``; an entry without a URL name is a module not
    built yet, shown disabled. Each entry is shown only when its page opens for the user
    (``core.context_processors``).
``home_panels``
    Pieces of the start page in ``order``: ``slot="actions"`` (buttons in one row) or
    ``"main"`` (blocks below). A panel is a function ``(request) -> str`` returning safe HTML
    (``format_html``, a rendered template; plain text is shown escaped), or "" when it has
    nothing for this user.
``figures``
    Figure providers for the figure catalogue: name → provider (a dotted path or an object
    with the figures it can compute). The slot exists so the catalogue can read it; no app
    provides figures yet.
``cached_pages``
    Pages answered again from a cache while nothing they show can have changed
    (``core.pagecache``): ``views``, the URL names an app opts in with ``register_cached_page``,
    and ``state``, functions of the request whose value every cached page shows besides the
    data (the unread-message count of the page shell), registered with
    ``register_page_state``.
``signals``
    The receivers apps connect in ``ready()`` through ``connect_signal``, each with the
    receivers it relies on (``after``): connecting one whose requirements are not connected
    yet raises ``ImproperlyConfigured``, so a dependency on core's change-log receivers is
    written down, and checked, instead of depending on import order.

Functions may be given as dotted paths (``"yuanqu.economy.demo.generate_economy"``), so that
``ready()`` does not import code it only lists; ``resolve()`` imports them when used.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class Registry(dict):
    """A dict whose stores are fixed when it is made: they can be filled, never replaced or
    removed (as NetBox's registry)."""

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except KeyError:
            raise KeyError(f"the registry has no store “{key}”") from None

    def __setitem__(self, key, value):
        raise TypeError("the registry's stores cannot be replaced")

    def __delitem__(self, key):
        raise TypeError("the registry's stores cannot be removed")


registry = Registry(
    {
        "demo": [],
        "search": [],
        "importers": {},
        "exporters": {},
        "navigation": {"modules": [], "enterprise": [], "admin": []},
        "home_panels": [],
        "figures": {},
        "cached_pages": {"views": set(), "state": []},
        "signals": [],
    }
)


def resolve(target):
    """A registered function or class: itself, or imported from its dotted path."""
    return import_string(target) if isinstance(target, str) else target


def _unique(store, name, what):
    if any(entry.name == name for entry in store):
        raise ImproperlyConfigured(f"{what} “{name}” is registered twice")


def _ordered(entries):
    return sorted(entries, key=lambda entry: entry.order)


# --- demo --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoGenerator:
    name: str
    generator: Callable | str  # called with no arguments; skips itself when its data exist
    order: int
    requires: tuple[str, ...] = ()

    def run(self):
        return resolve(self.generator)()


def register_demo(name: str, generator, *, order: int, requires: Sequence[str] = ()):
    """A demo generator that adds its module's data to the demo zone (``seed-demo``)."""
    _unique(registry["demo"], name, "demo generator")
    registry["demo"].append(DemoGenerator(name, generator, order, tuple(requires)))


def demo_generators() -> list[DemoGenerator]:
    """The demo generators in their order; raises if one runs before a generator it requires."""
    ordered = _ordered(registry["demo"])
    done = set()
    for entry in ordered:
        missing = [name for name in entry.requires if name not in done]
        if missing:
            raise ImproperlyConfigured(
                f"demo generator “{entry.name}” (order {entry.order}) requires {missing}, which do not run before it"
            )
        done.add(entry.name)
    return ordered


# --- search ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchEntry:
    model: type
    fields: tuple[str, ...]
    label: str | None = None

    @property
    def name(self):
        return self.model._meta.label_lower


def register_search(model, fields: Sequence[str], label=None):
    """Make ``model`` findable by global search on ``fields`` (each matched with icontains)."""
    entry = SearchEntry(model, tuple(fields), label)
    _unique(registry["search"], entry.name, "search entry")
    registry["search"].append(entry)


# --- import and export -------------------------------------------------------------------------


def register_importer(importer):
    """Make an importer class reachable by its ``name`` (``yuanqu import NAME FILE``)."""
    existing = registry["importers"].get(importer.name)
    if existing is not None and existing is not importer:
        raise ImproperlyConfigured(f"importer “{importer.name}” is registered twice")
    registry["importers"][importer.name] = importer
    return importer


def register_exporter(name: str, exporter):
    """An app's own console export (``yuanqu export NAME FILE``): a class with ``model``,
    ``accepts_period``, ``title`` and ``export(queryset, user)``, or its dotted path."""
    if name in registry["exporters"]:
        raise ImproperlyConfigured(f"exporter “{name}” is registered twice")
    registry["exporters"][name] = exporter


def importers() -> dict:
    return dict(registry["importers"])


def exporters() -> dict:
    """name → exporter class (dotted paths imported)."""
    return {name: resolve(exporter) for name, exporter in registry["exporters"].items()}


# --- navigation --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavEntry:
    menu: str
    label: str
    url_name: str | None  # None: a module not built yet, shown disabled
    model_label: str | None  # the model whose grant guards the entry ("app.model")
    order: int
    action: str = "view"  # admin entries: the grant that makes the page one the user manages
    url_args: Callable | None = None  # user -> list of URL arguments (all must be set)

    @property
    def name(self):
        return self.label


def register_navigation(
    menu: str,
    label: str,
    url_name: str | None,
    model_label: str | None,
    *,
    order: int,
    action="view",
    url_args=None,
):
    """An entry of one of the menus: ``modules``, ``enterprise`` or ``admin``."""
    if menu not in registry["navigation"]:
        raise ImproperlyConfigured(f"no menu “{menu}”; the menus are {sorted(registry['navigation'])}")
    entries = registry["navigation"][menu]
    _unique(entries, label, f"{menu} menu entry")
    entries.append(NavEntry(menu, label, url_name, model_label, order, action, url_args))


def navigation(menu: str) -> list[NavEntry]:
    return _ordered(registry["navigation"][menu])


# --- start page --------------------------------------------------------------------------------

PANEL_SLOTS = ("actions", "main")


@dataclass(frozen=True)
class HomePanel:
    name: str
    render: Callable | str  # (request) -> HTML, "" for nothing
    order: int
    slot: str = "main"


def register_home_panel(name: str, render, *, order: int, slot: str = "main"):
    """A piece of the start page, rendered in ``order`` within its ``slot``."""
    if slot not in PANEL_SLOTS:
        raise ImproperlyConfigured(f"no start-page slot “{slot}”; the slots are {PANEL_SLOTS}")
    _unique(registry["home_panels"], name, "start-page panel")
    registry["home_panels"].append(HomePanel(name, render, order, slot))


def home_panels(slot: str) -> list[HomePanel]:
    return _ordered(entry for entry in registry["home_panels"] if entry.slot == slot)


# --- figures -----------------------------------------------------------------------------------


def register_figures(name: str, provider):
    """A figure provider for the figure catalogue (a dotted path or an object)."""
    if name in registry["figures"]:
        raise ImproperlyConfigured(f"figure provider “{name}” is registered twice")
    registry["figures"][name] = provider


# --- cached pages ------------------------------------------------------------------------------


def register_cached_page(view_name: str):
    """Opt a read-only page in to the response cache (``core.pagecache``): ``view_name`` is its
    namespaced URL name (``"economy:cockpit"``). Only pages whose whole content follows from
    the change-logged data, the user, the day and the request's URL belong here."""
    views = registry["cached_pages"]["views"]
    if view_name in views:
        raise ImproperlyConfigured(f"cached page “{view_name}” is registered twice")
    views.add(view_name)


def register_page_state(name: str, state):
    """A function ``(request) -> value`` (or its dotted path) of something every page shows
    that the change log does not version (a count of unread messages): part of every cached
    page's key."""
    _unique(registry["cached_pages"]["state"], name, "page state")
    registry["cached_pages"]["state"].append(PageState(name, state))


@dataclass(frozen=True)
class PageState:
    name: str
    function: Callable | str

    def __call__(self, request):
        return resolve(self.function)(request)


# --- signals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalConnection:
    signal: object
    receiver: Callable
    sender: object
    uid: str
    after: tuple[str, ...] = field(default=())


def connect_signal(signal, receiver, *, uid: str, sender=None, after: Sequence[str] = ()):
    """Connect ``receiver`` and record it under ``uid``. ``after``: uids of receivers this one
    relies on (a snapshot taken before the save, say); they must be connected already."""
    connected = {entry.uid for entry in registry["signals"]}
    if uid in connected:
        raise ImproperlyConfigured(f"signal receiver “{uid}” is connected twice")
    missing = [name for name in after if name not in connected]
    if missing:
        raise ImproperlyConfigured(
            f"signal receiver “{uid}” relies on {missing}, which are not connected; "
            "list the app providing them earlier in INSTALLED_APPS"
        )
    signal.connect(receiver, sender=sender, dispatch_uid=uid, weak=False)
    registry["signals"].append(SignalConnection(signal, receiver, sender, uid, tuple(after)))
