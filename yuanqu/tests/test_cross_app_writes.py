"""Another app's records are written through that app's services, never through its manager
from outside (ARCHITECTURE: "Every domain app has the same files"). Parsed with ``ast`` over
``yuanqu/**/*.py`` (tests, migrations and the test factories aside): a module that imports a
model of another domain app may read it, but a ``Model.objects.create/bulk_create/...`` or a
``Model.objects....update()/.delete()`` on it is a cross-app write."""

import ast

from yuanqu.tests.test_import_graph import DOMAIN, NOT_COUNTED, ROOT

WRITES = {"create", "bulk_create", "bulk_update", "get_or_create", "update_or_create", "update", "delete"}

# (module, "app.Model.method") → why it is still there. An entry that no longer occurs fails
# the test, so the list only shrinks.
KNOWN: dict[tuple[str, str], str] = {
    ("yuanqu.evaluation.demo", "enterprises.Enterprise.bulk_update"): (
        "the demo seeds 用地面积 on the demo enterprises in bulk, without the change log"
    ),
}


def foreign_models(tree, own_app: str) -> dict[str, str]:
    """Local name → "app.Model" of every model imported from another domain app's ``models``
    (the shared layers' departments, users and zones are seeded by the demo generators)."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            parts = node.module.split(".")
            if parts[0] == "yuanqu" and parts[-1] == "models" and parts[1] in DOMAIN - {own_app}:
                for alias in node.names:
                    found[alias.asname or alias.name] = f"{parts[1]}.{alias.name}"
    return found


def manager_root(node) -> str | None:
    """``X`` when ``node`` is ``X.objects`` or a call chain on it (``X.objects.filter(…)``)."""
    while True:
        if isinstance(node, ast.Attribute) and node.attr == "objects" and isinstance(node.value, ast.Name):
            return node.value.id
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return None


def cross_app_writes(source: str, own_app: str) -> set[str]:
    """ "app.Model.method" of each write to another app's model in ``source``."""
    tree = ast.parse(source)
    models = foreign_models(tree, own_app)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            root = manager_root(node.func.value)
            if root in models:
                found.add(f"{models[root]}.{node.func.attr}")
    return found


def all_cross_app_writes() -> set[tuple[str, str]]:
    found = set()
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if NOT_COUNTED & set(parts) or len(parts) < 3:
            continue
        module = ".".join(parts).removesuffix(".__init__")
        for write in cross_app_writes(path.read_text(encoding="utf-8"), parts[1]):
            found.add((module, write))
    return found


def test_the_finder_sees_manager_writes_and_lets_reads_pass():
    source = (
        "from yuanqu.supervision.models import Task as T\n"
        "from yuanqu.projects.models import Blocker\n"
        "def convert(blocker):\n"
        "    from yuanqu.demands.models import Demand\n"
        "    T.objects.create(number='DB2026-001')\n"
        "    Demand.objects.filter(pk=1).update(title='x')\n"
        "    T.objects.filter(number='x').exists()\n"
        "    Blocker.objects.create(project=None)\n"
    )
    assert cross_app_writes(source, "projects") == {"supervision.Task.create", "demands.Demand.update"}


def test_no_app_writes_another_apps_records_through_its_manager():
    found = all_cross_app_writes()
    assert sorted(found - set(KNOWN)) == [], "write them through the owning app's services"
    assert sorted(set(KNOWN) - found) == [], "a known exception is gone: remove it from the list"
