"""Open a record's edit page in Chromium, press 保存 without touching anything: the record
and its child rows must be exactly as stored, and the change log must have no new entry.

This is the test that would have caught edit pages dropping stored dates (a date input
given 2026/01/02 shows blank and posts nothing) and 5.00 → 5 logged as a change. The table
EDIT_CASES names every edit page whose form has a date or datetime field;
``test_every_dated_edit_page_is_in_the_table`` fails when a new one is missing."""

import datetime
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from yuanqu.core.models import CalendarDay, ObjectChange
from yuanqu.enterprises.models import Qualification
from yuanqu.evaluation.models import EvaluationScheme, SchemeIndicator
from yuanqu.investment.models import Lead
from yuanqu.projects.models import Blocker, KeyProject, Milestone, ProjectYearPlan
from yuanqu.supervision.models import AssessmentPeriod, Task, TaskMilestone, WorkPoint
from yuanqu.users.choices import Role
from yuanqu.users.models import ObjectPermission
from yuanqu.users.permissions import model_key
from yuanqu.utilities import views as generic
from yuanqu.utilities.testing import factories as f

from .conftest import login_as

D = datetime.date


def _project(dept, leader):
    return KeyProject.objects.create(
        code="XM-2025-001",
        name="智能装备产业园",
        type="industry",
        total_investment_wan=Decimal("5.00"),
        fai_registered=True,
        fai_registered_on=D(2025, 2, 3),
        leader=leader,
        department=dept,
        image_progress="主体施工",
    )


def make_task(dept, leader):
    point = WorkPoint.objects.create(year=2025, number="01", title="优化营商环境", source="work_point")
    task = Task.objects.create(
        number="DB2025-001",
        work_point=point,
        text="推进企业服务专员制度全覆盖",
        target="规上企业全覆盖",
        department=dept,
        leader=leader,
        report_cycle="monthly",
        start_on=D(2025, 1, 2),
        due_on=D(2025, 9, 30),
        due_text="9月底前完成",
        status="done",
        done_on=D(2025, 9, 20),
    )
    task.supporting_departments.add(f.department("投资促进局"))
    TaskMilestone.objects.create(task=task, text="制定方案", due_on=D(2025, 3, 31), done_on=D(2025, 3, 28))
    TaskMilestone.objects.create(task=task, text="全面推开", due_on=D(2025, 6, 30), done_on=D(2025, 7, 2))
    return task


def make_enterprise(dept, leader):
    return f.enterprise(
        name="精密机械有限公司",
        dept=dept,
        zone_obj=f.zone("东区", parent=f.zone("高新区", kind="park")),
        short_name="精密机械",
        founded_on=D(2018, 5, 6),
        registered_capital_wan=Decimal("5.00"),
        land_area_mu=Decimal("12.50"),
        address="高新路1号",
    )


def make_qualification(dept, leader):
    return Qualification.objects.create(
        enterprise=f.enterprise(dept=dept),
        kind="hnte",
        certificate_no="GR202361000123",
        granted_on=D(2023, 11, 1),
        valid_until=D(2026, 10, 31),
        revoked_on=D(2025, 4, 1),
        notes="复审中",
    )


def make_lead(dept, leader):
    return Lead.objects.create(
        name="新能源电池项目",
        investor="某某新能源集团",
        origin_region="yangtze",
        origin_city="宁波",
        content="年产10GWh电池",
        contracted_investment_wan=Decimal("5.00"),
        expected_tax_wan=Decimal("1200.50"),
        land_mu=Decimal("80.00"),
        power_kva=5000,
        source="business",
        leader=leader,
        department=dept,
        stage_changed_on=D(2025, 3, 1),
        lead_on=D(2025, 1, 6),
        negotiating_on=D(2025, 2, 1),
        signed_on=D(2025, 3, 1),
    )


def make_key_project(dept, leader):
    return _project(dept, leader)


def make_milestone(dept, leader):
    return Milestone.objects.create(
        project=_project(dept, leader), kind="start", planned_on=D(2025, 4, 1), actual_on=D(2025, 4, 15)
    )


def make_blocker(dept, leader):
    return Blocker.objects.create(
        project=_project(dept, leader),
        kind="power",
        description="双回路供电未接入",
        owner_department=dept,
        deadline=D(2025, 6, 30),
        resolved_on=D(2025, 6, 20),
    )


def make_year_plan(dept, leader):
    return ProjectYearPlan.objects.create(
        project=_project(dept, leader), year=2025, level="city", annual_plan_wan=Decimal("5.00")
    )


def make_scheme(dept, leader):
    scheme = EvaluationScheme.objects.create(
        year=2024,
        populations=["industry"],
        land_threshold_mu=Decimal("5.00"),
        cut_a=Decimal("20.00"),
        status="published",
        published_on=D(2025, 4, 30),
        department=dept,
    )
    SchemeIndicator.objects.create(
        scheme=scheme,
        code="tax_per_mu",
        weight=Decimal("60.00"),
        benchmark=Decimal("5.000000"),
        max_points=120,
    )
    SchemeIndicator.objects.create(
        scheme=scheme, code="va_per_mu", weight=Decimal("40.00"), benchmark=Decimal("30")
    )
    return scheme


def make_assessment(dept, leader):
    return AssessmentPeriod.objects.create(
        name="2025年度考核",
        kind="year",
        start_on=D(2025, 1, 1),
        end_on=D(2025, 12, 31),
        notice_deduction=Decimal("5.00"),
    )


def make_calendar_day(dept, leader):
    # The migrated calendar already carries the day (core.0004); the test's own copy of it
    return CalendarDay.objects.update_or_create(
        date=D(2025, 10, 1), defaults={"is_workday": False, "kind": "holiday", "name": "国庆节"}
    )[0]


# (URL name of the edit page, record factory, child rows saved with it)
EDIT_CASES = [
    ("supervision:task_edit", make_task, lambda task: task.milestones.all()),
    ("enterprises:enterprise_edit", make_enterprise, None),
    ("enterprises:qualification_edit", make_qualification, None),
    ("investment:lead_edit", make_lead, None),
    ("projects:keyproject_edit", make_key_project, None),
    ("projects:milestone_edit", make_milestone, None),
    ("projects:blocker_edit", make_blocker, None),
    ("projects:projectyearplan_edit", make_year_plan, None),
    ("evaluation:evaluationscheme_edit", make_scheme, lambda scheme: scheme.indicators.all()),
    ("supervision:assessmentperiod_edit", make_assessment, None),
    ("core:calendarday_edit", make_calendar_day, None),
]


def _snapshot(record, children):
    record = type(record)._default_manager.get(pk=record.pk)
    data = {
        f.name: f.value_from_object(record) for f in record._meta.concrete_fields if f.name != "last_updated"
    }
    m2m = {f.name: sorted(o.pk for o in f.value_from_object(record)) for f in record._meta.many_to_many}
    rows = (
        [{f.name: f.value_from_object(r) for f in r._meta.concrete_fields} for r in children(record)]
        if children
        else []
    )
    return data, m2m, rows


@pytest.fixture
def editor(econ_dept, leader):
    """A clerk granted to view and change every model in the table, in all departments."""
    user = f.user("editor", role=Role.STAFF, dept=econ_dept, name="编辑员")
    labels = {model_key(resolve_form_view(name).queryset.model) for name, _, _ in EDIT_CASES} | {
        model_key(TaskMilestone)
    }
    for label in sorted(labels):
        ObjectPermission.objects.create(
            name=f"编辑{label}", user=user, model=label, actions=["view", "change"], constraint="all"
        )
    return user


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("name", "factory", "children"), EDIT_CASES, ids=[c[0] for c in EDIT_CASES])
def test_saving_an_edit_page_untouched_changes_nothing(
    page, editor, econ_dept, leader, name, factory, children
):
    record = factory(econ_dept, leader)
    before = _snapshot(record, children)
    last = ObjectChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    login_as(page, "editor")
    page.goto(reverse(name, args=[record.pk]))
    with page.expect_navigation():
        page.locator("form button[type=submit].primary", has_text="保存").click()
    assert "/edit/" not in page.url, page.locator("main").inner_text()
    assert _snapshot(record, children) == before
    new = [
        (c.object_repr, c.prechange_data, c.postchange_data) for c in ObjectChange.objects.filter(pk__gt=last)
    ]
    assert new == []


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else prefix
            yield from _walk(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", p


def resolve_form_view(name):
    for full, pattern in _walk(get_resolver().url_patterns):
        if full == name:
            return pattern.callback.view_class
    raise LookupError(name)


def _dated(form_class):
    from django import forms

    return form_class is not None and any(
        isinstance(field, forms.DateField | forms.DateTimeField) for field in form_class.base_fields.values()
    )


def test_every_dated_edit_page_is_in_the_table(db):
    dated = set()
    for name, pattern in _walk(get_resolver().url_patterns):
        view = getattr(pattern.callback, "view_class", None)
        edits_a_record = name.endswith("_edit") and "pk" in str(pattern.pattern)  # not new records
        if view is None or not issubclass(view, generic.ObjectEditView) or not edits_a_record:
            continue
        formset_form = view.formset.form if view.formset is not None else None
        if _dated(view.form) or _dated(formset_form):
            dated.add(name)
    assert len(dated) >= 10
    assert dated - {name for name, _, _ in EDIT_CASES} == set()


def test_task_edit_page_shows_stored_dates_in_its_inputs(client, editor, econ_dept, leader):
    task = make_task(econ_dept, leader)
    client.force_login(editor)
    html = client.get(reverse("supervision:task_edit", args=[task.pk])).content.decode()
    for name, value in [("start_on", "2025-01-02"), ("due_on", "2025-09-30"), ("done_on", "2025-09-20")]:
        assert f'name="{name}" value="{value}"' in html, name
    for value in ["2025-03-31", "2025-03-28", "2025-06-30", "2025-07-02"]:
        assert f'value="{value}"' in html, value
    assert "2025/" not in html
