"""Every date and datetime input in the project is ours: ISO values a browser accepts."""

import datetime
import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.utils import timezone

import yuanqu
from yuanqu.utilities.forms import BaseModelForm, DateField, DateInput, DateTimeField, DateTimeInput

SKIPPED_MODULES = (".tests", ".migrations", ".e2e", "yuanqu.wsgi", "yuanqu.settings", "conftest")


def _import_project():
    for module in pkgutil.walk_packages(yuanqu.__path__, "yuanqu."):
        if not any(part in module.name for part in SKIPPED_MODULES):
            importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_classes(base):
    _import_project()
    return sorted(
        {c for c in _subclasses(base) if c.__module__.startswith("yuanqu.") and ".tests" not in c.__module__},
        key=lambda c: f"{c.__module__}.{c.__qualname__}",
    )


def _wrong_widget(field):
    if isinstance(field, forms.DateTimeField) and not isinstance(field.widget, DateTimeInput):
        return type(field.widget).__name__
    if isinstance(field, forms.DateField) and not isinstance(field.widget, DateInput):
        return type(field.widget).__name__
    return None


def test_every_form_date_field_uses_our_widget():
    classes = project_classes(forms.BaseForm)
    assert len(classes) > 50  # the walk found the project's forms
    wrong = [
        f"{c.__module__}.{c.__qualname__}.{name}: {widget}"
        for c in classes
        for name, field in c.base_fields.items()
        if (widget := _wrong_widget(field))
    ]
    assert wrong == []


def test_every_filterset_date_filter_uses_our_widget():
    classes = project_classes(django_filters.FilterSet)
    assert len(classes) > 10
    wrong = []
    dated = 0
    for c in classes:
        for name, filter_ in c.base_filters.items():
            if issubclass(filter_.field_class, forms.DateField | forms.DateTimeField):
                dated += 1
                if widget := _wrong_widget(filter_.field):
                    wrong.append(f"{c.__module__}.{c.__qualname__}.{name}: {widget}")
    assert dated >= 8  # demands, investment, enterprises, audit pages …
    assert wrong == []


def test_a_new_model_form_gets_our_widgets_even_when_it_names_djangos():
    from yuanqu.supervision.models import TaskMilestone

    class MilestoneForm(BaseModelForm):
        class Meta:
            model = TaskMilestone
            fields = ["text", "due_on", "done_on"]
            widgets = {"done_on": forms.DateInput(attrs={"type": "date", "class": "narrow"})}

    form = MilestoneForm(
        instance=TaskMilestone(due_on=datetime.date(2026, 1, 2), done_on=datetime.date(2026, 3, 4))
    )
    html = str(form["due_on"]) + str(form["done_on"])
    assert 'value="2026-01-02"' in html
    assert 'value="2026-03-04"' in html
    assert 'class="narrow"' in html
    assert "2026/01/02" not in html


def test_a_new_plain_form_and_filterset_get_our_widgets():
    from yuanqu.utilities.filtersets import BaseFilterSet
    from yuanqu.utilities.forms import BaseForm

    class PeriodForm(BaseForm):
        start = forms.DateField(label="起")

    class TaskFilterSet(BaseFilterSet):
        since = django_filters.DateFilter(field_name="start_on", lookup_expr="gte", widget=forms.DateInput)

        class Meta:
            from yuanqu.supervision.models import Task

            model = Task
            fields = ["q", "due_on"]

    html = str(PeriodForm(initial={"start": datetime.date(2026, 1, 2)})["start"])
    assert 'type="date"' in html and 'value="2026-01-02"' in html
    for name in ("since", "due_on"):
        assert isinstance(TaskFilterSet.base_filters[name].field.widget, DateInput), name


@pytest.mark.parametrize("typed", ["2026-01-02", "2026/01/02"])
def test_date_field_reads_iso_and_the_localised_forms(typed):
    assert DateField().clean(typed) == datetime.date(2026, 1, 2)


def test_a_bad_date_is_refused_with_a_chinese_message():
    with pytest.raises(forms.ValidationError) as error:
        DateField(label="完成时限").clean("2026-13-40")
    assert "日期" in error.value.messages[0]


def test_datetime_widget_shows_local_time_and_reads_it_back():
    moment = datetime.datetime(2026, 1, 2, 1, 30, tzinfo=datetime.UTC)  # 09:30 in Shanghai
    html = DateTimeInput().render("received_at", DateTimeField().prepare_value(moment))
    assert 'type="datetime-local"' in html and 'value="2026-01-02T09:30"' in html
    assert DateTimeField().clean("2026-01-02T09:30") == moment
    assert DateTimeField().clean("2026-01-02 09:30") == moment


def test_a_stored_moment_with_seconds_is_kept_when_its_minute_is_posted_back():
    from yuanqu.demands.models import Demand

    class MomentForm(BaseModelForm):
        class Meta:
            model = Demand
            fields = ["received_at"]

    stored = timezone.make_aware(datetime.datetime(2026, 1, 2, 9, 30, 45, 123456))
    form = MomentForm(data={"received_at": "2026-01-02T09:30"}, instance=Demand(received_at=stored))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["received_at"] == stored
    assert form.instance.received_at == stored

    moved = MomentForm(data={"received_at": "2026-01-02T09:31"}, instance=Demand(received_at=stored))
    assert moved.is_valid(), moved.errors
    assert moved.cleaned_data["received_at"] == timezone.make_aware(datetime.datetime(2026, 1, 2, 9, 31))
    assert moved.instance.received_at == moved.cleaned_data["received_at"]
