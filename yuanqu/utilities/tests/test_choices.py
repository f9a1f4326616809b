"""No choice list shows a record the user may not view: every form and every filterset of the
project, built as its page builds it, for every role of the standard cast, with two
departments, two 片区 and two enterprises so that a leak would show."""

import ast
import inspect
import pathlib
from decimal import Decimal

import django_filters
import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

import yuanqu
from yuanqu.demands.models import DemandCategory
from yuanqu.economy.models import Indicator
from yuanqu.projects.models import KeyProject
from yuanqu.supervision.models import WorkPoint
from yuanqu.users.permissions import restrict
from yuanqu.utilities.forms import BaseForm, BaseModelForm
from yuanqu.utilities.testing import factories as f

from .test_date_widgets import project_classes

ROLES = [
    "leader",
    "alice",
    "charlie",
    "grid_worker",
    "enterprise_user",
    "inspector",
    "sysadmin",
    "secadmin",
    "auditor",
]

# Fields that list records beyond the user's view grant, each declared on the field itself
# (``restrict_choices = False``) with the reason in a comment there.
DECLARED_UNRESTRICTED = {
    # Categories are the intake's reference list: a grid worker or an enterprise files a
    # demand under one without a grant to browse the category pages.
    "yuanqu.demands.forms.DemandForm.category",
    "yuanqu.demands.forms.PortalDemandForm.category",
    # A demand may be handed to any department; who may assign is the workflow's check.
    "yuanqu.demands.forms.AssignForm.department",
    "yuanqu.demands.forms.AssignForm.supporting",
    # People are named as leaders or team members without a grant to the account pages.
    "yuanqu.investment.forms.LeadForm.leader",
    "yuanqu.investment.forms.LeadForm.team",
    "yuanqu.investment.importers.LeadImportForm.leader",
    "yuanqu.investment.forms.ProjectFromLeadForm.leader",
    "yuanqu.projects.forms.KeyProjectForm.leader",
    "yuanqu.projects.importers.ProjectImportForm.leader",
    "yuanqu.supervision.forms.TaskForm.leader",
    "yuanqu.supervision.importers.TaskImportForm.leader",
    # The system administrator binds an account to any enterprise, holding no registry grant.
    "yuanqu.users.forms.UserForm.enterprise",
}


@pytest.fixture
def cast(request, db, econ_dept, invest_dept, east, west, owned_enterprise, other_enterprise):
    """Two of everything a choice list can name, and the standard cast by role."""
    f.enterprise("东区第二企业有限公司", dept=invest_dept, zone_obj=east)
    f.chain("新一代信息技术")
    f.chain("高端装备制造")
    for department in (econ_dept, invest_dept):
        KeyProject.objects.create(
            code=f"P{department.pk}",
            name=f"{department.name}的项目",
            type="industry",
            total_investment_wan=Decimal("5000"),
            department=department,
        )
    WorkPoint.objects.create(year=2024, number="一", title="优化营商环境", source="work_point")
    DemandCategory.objects.get_or_create(name="政策咨询", defaults={"group": "policy"})
    if not Indicator.objects.exists():  # the catalogue is loaded by a data migration
        pytest.fail("no indicators: the choice lists would not show a leak")
    return {role: request.getfixturevalue(role) for role in ROLES}


def _model_choice_fields(fields):
    return {
        name: field
        for name, field in fields.items()
        if isinstance(field, forms.ModelChoiceField) and hasattr(field.queryset.model, "restrict_paths")
    }


def _leaks(label, fields, user):
    """Choices outside what the user may view, as readable strings."""
    found = []
    for name, field in _model_choice_fields(fields).items():
        key = f"{label}.{name}"
        if getattr(field, "restrict_choices", "view") is False:
            assert key in DECLARED_UNRESTRICTED, f"{key} lists every record: add it here with the reason"
            continue
        model = field.queryset.model
        allowed = set(restrict(model._default_manager.all(), user, "view").values_list("pk", flat=True))
        shown = set(field.queryset.values_list("pk", flat=True))
        found += [f"{key} shows {model.__name__} #{pk} to {user.username}" for pk in sorted(shown - allowed)]
    return found


def _name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def _form_classes():
    classes = project_classes(forms.BaseForm)
    ours = [c for c in classes if issubclass(c, BaseForm | BaseModelForm)]
    return classes, ours


def test_forms_with_model_choices_are_ours():
    """A form outside our bases would skip the restriction: none lists records."""
    classes, ours = _form_classes()
    assert len(ours) > 40
    plain = [
        _name(c)
        for c in classes
        if c not in ours
        and _model_choice_fields(c.base_fields)
        and not c.__module__.startswith("yuanqu.users.auth")
    ]
    assert plain == []


def test_no_form_choice_outside_the_grant(cast):
    _classes, ours = _form_classes()
    checked, leaks = 0, []
    for cls in ours:
        if issubclass(cls, forms.ModelForm) and cls._meta.model is None:
            continue  # a base for model forms (EnterpriseChildForm …), built through its subclasses
        for user in cast.values():
            form = cls(user=user)
            if _model_choice_fields(form.fields):
                checked += 1
            leaks += _leaks(_name(cls), form.fields, user)
    assert checked > 100  # the forms with choice lists, for every role
    assert leaks == []


def test_no_filter_choice_outside_the_grant(cast):
    classes = [c for c in project_classes(django_filters.FilterSet) if c._meta.model is not None]
    checked, leaks = 0, []
    for cls in classes:
        for user in cast.values():
            request = RequestFactory().get("/")
            request.user = user
            filterset = cls(None, queryset=cls._meta.model._default_manager.all(), request=request)
            if _model_choice_fields(filterset.form.fields):
                checked += 1
            leaks += _leaks(_name(cls), filterset.form.fields, user)
    assert checked > 60
    assert leaks == []


def test_a_choice_outside_the_grant_is_refused_and_nothing_changes(cast, other_enterprise):
    """The list is not only hidden: posting another enterprise's id is an invalid choice."""
    from yuanqu.enterprises.forms import ContactForm
    from yuanqu.enterprises.models import Contact

    user = cast["enterprise_user"]
    form = ContactForm(
        data={"enterprise": other_enterprise.pk, "name": "张三", "mobile": "13800000000"}, user=user
    )
    assert not form.is_valid()
    assert "enterprise" in form.errors
    assert form.data["name"] == "张三"  # the user's input is kept
    assert not Contact.objects.exists()


def test_an_anonymous_user_gets_empty_lists(cast):
    from yuanqu.enterprises.filtersets import QualificationFilterSet

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    filterset = QualificationFilterSet(None, queryset=None, request=request)
    assert list(filterset.form.fields["enterprise"].queryset) == []


def _module_of(path, root):
    return ".".join(("yuanqu", *path.relative_to(root).with_suffix("").parts)).removesuffix(".__init__")


def _calls_without(classes, keyword):
    """Calls of ``classes`` in the project's pages that pass neither ``keyword=`` nor
    **kwargs; a call's name is resolved through the file's imports (two apps may both have
    a ``StatisticsForm``)."""
    wanted = {_name(c) for c in classes}
    root = pathlib.Path(inspect.getfile(yuanqu)).parent
    missing = []
    for path in sorted(root.rglob("*.py")):
        if any(part in {"tests", "migrations", "e2e", "management"} for part in path.parts):
            continue
        module = _module_of(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        origin = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # from .forms import X inside yuanqu.app.views
                    package = module.rsplit(
                        ".", node.level if path.name != "__init__.py" else node.level - 1
                    )[0]
                    base = f"{package}.{base}" if base else package
                for alias in node.names:
                    origin[alias.asname or alias.name] = f"{base}.{alias.name}"
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            name = node.func.id
            full = origin.get(name, f"{module}.{name}")
            if full in wanted and not any(k.arg in (keyword, None) for k in node.keywords):
                missing.append(f"{path.relative_to(root)}:{node.lineno} {name}(…) without {keyword}=")
    return missing


def test_pages_build_forms_with_the_user():
    """Without ``user=`` a form acts for the command line, with every record in its lists."""
    _classes, ours = _form_classes()
    listing = [c for c in ours if _model_choice_fields(c.base_fields) or c.__name__ == "LinkProjectForm"]
    assert {"ContactForm", "AssignForm", "StatisticsForm"} <= {c.__name__ for c in listing}
    assert _calls_without(listing, "user") == []


def test_pages_build_filtersets_with_the_request():
    classes = project_classes(django_filters.FilterSet)
    assert "QualificationFilterSet" in {c.__name__ for c in classes}
    assert _calls_without(classes, "request") == []
