"""Every CRUD page of every model runs the shared ``ViewTestCases`` (issue 9).

The pages are read from the URL registry, not from a list kept by hand: a URL named
``<app>:<model>_list``, ``<app>:<model>``, ``_add``, ``_edit`` or ``_delete`` served by one of
the generic views of ``utilities/views.py`` is a page of that model, and the case that tests it
is the ``ViewTestCases`` base of the same action (list, record, create, edit, delete). A test
class counts when pytest collects it (its name starts with ``Test``) and its ``model`` is the
page's model. A new model's pages therefore fail this test until its cases are written.

The cases' refusals run inside ``assert_nothing_changed``; the last tests here show it notices
every kind of change, so a refusal case cannot pass by looking away.
"""

import importlib
from pathlib import Path

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

import yuanqu
from yuanqu.enterprises.models import Enterprise
from yuanqu.utilities.testing import factories
from yuanqu.utilities.testing.changes import assert_nothing_changed
from yuanqu.utilities.testing.views import ViewTestCases
from yuanqu.utilities.views import ObjectDeleteView, ObjectEditView, ObjectListView, ObjectView

ROOT = Path(yuanqu.__file__).parent

# URL name suffix → (generic view it is served by, the shared cases that test it). A list page
# also exports (``?export=xlsx``), so it needs the export case too.
ACTIONS = {
    "_list": (
        ObjectListView,
        (ViewTestCases.ListObjectViewTestCase, ViewTestCases.ExportObjectsViewTestCase),
    ),
    "": (ObjectView, (ViewTestCases.GetObjectViewTestCase,)),
    "_add": (ObjectEditView, (ViewTestCases.CreateObjectViewTestCase,)),
    "_edit": (ObjectEditView, (ViewTestCases.EditObjectViewTestCase,)),
    "_delete": (ObjectDeleteView, (ViewTestCases.DeleteObjectViewTestCase,)),
}

# URL name → why that page cannot run the shared case. Each entry must still name a CRUD page,
# so the list can only shrink.
EXCEPTIONS: dict[str, str] = {}


def url_names(resolver=None, namespace=""):
    """(full URL name, view class) of every named URL, namespaces included."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif pattern.name:
            yield namespace + pattern.name, getattr(pattern.callback, "view_class", None)


def crud_pages() -> dict[str, tuple]:
    """URL name → (model, shared cases) for every page a generic view serves for a model."""
    pages = {}
    for name, view in url_names():
        if view is None or getattr(view, "queryset", None) is None or ":" not in name:
            continue
        model = view.queryset.model
        app, _, local = name.rpartition(":")
        for suffix, (generic, cases) in ACTIONS.items():
            if local == f"{model._meta.model_name}{suffix}" and issubclass(view, generic):
                pages[name] = (model, cases)
    return pages


def collected_view_cases() -> list[type]:
    """The ``Test…`` classes built on ``ViewTestCases`` in the apps' test modules."""
    for path in sorted(ROOT.glob("*/tests/test_*.py")):
        if "ViewTestCases" in path.read_text(encoding="utf-8"):
            importlib.import_module(".".join(path.relative_to(ROOT.parent).with_suffix("").parts))
    found, todo = [], [ViewTestCases.BaseViewTestCase]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__name__.startswith("Test") and cls.__module__.startswith("yuanqu."):
            found.append(cls)
    return found


def test_the_registry_lists_the_crud_pages():
    # The walk itself must find what everybody knows is there, or it checks nothing.
    pages = crud_pages()
    assert ViewTestCases.ListObjectViewTestCase in pages["enterprises:enterprise_list"][1]
    assert pages["enterprises:contact_edit"][1] == (ViewTestCases.EditObjectViewTestCase,)
    assert "enterprises:contact_list" not in pages  # contacts have no list page
    assert "economy:cockpit" not in pages
    assert len({model for model, _ in pages.values()}) >= 20


def test_every_crud_page_runs_the_shared_view_cases():
    cases = collected_view_cases()
    pages = crud_pages()
    missing = []
    for name, (model, needed) in sorted(pages.items()):
        if name in EXCEPTIONS:
            continue
        for case in needed:
            if not any(cls.model is model and issubclass(cls, case) for cls in cases):
                missing.append(f"{name} ({model._meta.label}) has no {case.__name__}")
    assert not missing, "pages without their shared view case:\n" + "\n".join(missing)
    stale = [name for name in EXCEPTIONS if name not in pages]
    assert not stale, f"listed as exceptions but no longer CRUD pages: {stale}"


# --- the helper every refusal runs in -----------------------------------------------------


ATTEMPTS = {
    "a new row": lambda kept: factories.enterprise("新增企业有限公司", dept=kept.department),
    "a changed value": lambda kept: Enterprise.objects.filter(pk=kept.pk).update(name="改名企业有限公司"),
    "a removed row": lambda kept: Enterprise.objects.filter(pk=kept.pk).delete(),
    # another model, not watched, but the change log grows
    "a change-log row": lambda kept: factories.chain("未被监视的产业链"),
}


def test_nothing_changed_passes_when_only_reading(db, econ_dept):
    kept = factories.enterprise("留存企业有限公司", dept=econ_dept)
    with assert_nothing_changed(Enterprise):
        assert Enterprise.objects.get(pk=kept.pk).name == "留存企业有限公司"


@pytest.mark.parametrize("attempt", ATTEMPTS.values(), ids=ATTEMPTS.keys())
def test_nothing_changed_fails_on_any_change(db, econ_dept, attempt):
    """``assert_nothing_changed`` is what makes the refusal cases mean something: it must
    notice a new row, a changed value, a removed row and a change-log row of another model."""
    kept = factories.enterprise("留存企业有限公司", dept=econ_dept)
    with pytest.raises(AssertionError, match="changed|change log"):
        with assert_nothing_changed(Enterprise):
            attempt(kept)
