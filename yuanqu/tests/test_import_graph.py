"""The import graph keeps its layers: the shared layers (core, users, utilities) import no
domain app, not even inside a function to list it, and no two apps import each other in a
cycle of modules. Parsed with ``ast`` over ``yuanqu/**/*.py`` (tests and migrations aside)."""

import ast
from pathlib import Path

import pytest

import yuanqu

pytestmark = pytest.mark.engine_free

ROOT = Path(yuanqu.__file__).parent
SHARED = {"core", "users", "utilities", "figures", "targets", "jobs"}
DOMAIN = {
    "enterprises",
    "economy",
    "evaluation",
    "investment",
    "projects",
    "demands",
    "supervision",
    "notifications",
    "documents",
}
# Test code: test modules, browser tests, fixtures and the test factories (utilities/testing).
NOT_COUNTED = {"tests", "migrations", "e2e", "testing", "conftest"}

# (importing module, imported module) → why it is still there. An entry that no longer
# occurs fails the test, so the list only shrinks.
KNOWN_SHARED_TO_DOMAIN: dict[tuple, str] = {}
KNOWN_CYCLES: dict[frozenset, str] = {}


def modules(root=ROOT) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if NOT_COUNTED & set(parts):
            continue
        name = ".".join(parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports(name: str, source: str, is_package: bool, known: set[str]) -> set[str]:
    """The project modules ``name`` imports, at module level or inside functions."""
    package = name if is_package else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            candidates = [[alias.name] for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            candidates = [[f"{base}.{alias.name}", base] for alias in node.names]
        else:
            continue
        for names in candidates:
            for candidate in names:
                target = candidate
                while target and target not in known:
                    target = target.rpartition(".")[0]
                if target and target != name and target.count("."):
                    found.add(target)
                    break
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in SHARED | DOMAIN) else None


def graph(root=ROOT) -> dict[str, set[str]]:
    found = modules(root)
    known = set(found)
    return {
        name: imports(name, path.read_text(encoding="utf-8"), path.name == "__init__.py", known)
        for name, path in found.items()
    }


def cycles_between_apps(edges: dict[str, set[str]]) -> list[frozenset]:
    """Strongly connected groups of modules (Tarjan) spanning more than one app."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len({app_of(m) for m in group} - {None}) > 1:
                groups.append(frozenset(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_the_parser_sees_module_level_function_level_and_relative_imports():
    known = {"yuanqu.core.views", "yuanqu.enterprises.models", "yuanqu.core.search", "yuanqu.registry"}
    source = (
        "from yuanqu.registry import registry\n"
        "from .search import global_search\n"
        "def home(request):\n"
        "    from yuanqu.enterprises.models import Enterprise\n"
    )
    assert imports("yuanqu.core.views", source, False, known) == {
        "yuanqu.registry",
        "yuanqu.core.search",
        "yuanqu.enterprises.models",
    }
    edges = graph()
    assert "yuanqu.core.signals" in edges["yuanqu.economy.rollups"]
    assert "yuanqu.registry" in edges["yuanqu.core.context_processors"]


def test_the_cycle_finder_reports_a_cycle_across_apps_only():
    edges = {
        "yuanqu.economy.services": {"yuanqu.projects.services"},
        "yuanqu.projects.services": {"yuanqu.economy.services"},
        "yuanqu.core.a": {"yuanqu.core.b"},
        "yuanqu.core.b": {"yuanqu.core.a"},
    }
    assert cycles_between_apps(edges) == [frozenset({"yuanqu.economy.services", "yuanqu.projects.services"})]


def test_shared_layers_import_no_domain_app():
    found = {
        (module, target)
        for module, targets in graph().items()
        if app_of(module) in SHARED
        for target in targets
        if app_of(target) in DOMAIN
    }
    assert sorted(found - set(KNOWN_SHARED_TO_DOMAIN)) == [], "a shared layer imports a domain app"
    assert sorted(set(KNOWN_SHARED_TO_DOMAIN) - found) == [], (
        "a known exception is gone: remove it from the list"
    )


def test_no_import_cycle_between_apps():
    found = set(cycles_between_apps(graph()))
    assert [sorted(group) for group in found - set(KNOWN_CYCLES)] == []
    assert [sorted(group) for group in set(KNOWN_CYCLES) - found] == []


def test_domain_apps_are_not_imported_to_be_listed():
    """seed-demo, the start page, search and the menus reach other apps only through the registry."""
    edges = graph()
    listing = {
        "yuanqu.enterprises.management.commands.seed_demo": {"enterprises"},
        "yuanqu.core.views": set(),
        "yuanqu.core.search": set(),
        "yuanqu.core.context_processors": set(),
        "yuanqu.core.management.commands.import": set(),
        "yuanqu.core.management.commands.export": set(),
    }
    for module, own in listing.items():
        assert {app_of(t) for t in edges[module]} & DOMAIN <= own, module
