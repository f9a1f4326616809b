"""A save that changes nothing writes no change record; a real change still does."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from yuanqu.core.changelog import serialize_object
from yuanqu.core.models import ObjectChange
from yuanqu.supervision.models import AssessmentPeriod
from yuanqu.utilities.testing import factories as f


@pytest.fixture
def period(db):
    return AssessmentPeriod.objects.create(
        name="2025年度考核",
        kind="year",
        start_on=datetime.date(2025, 1, 1),
        end_on=datetime.date(2025, 12, 31),
        weight_tasks=Decimal("40.00"),
        notice_deduction=Decimal("5.00"),
        computed_at=timezone.make_aware(datetime.datetime(2025, 12, 31, 18, 5, 7)),
    )


def _changes(obj):
    return ObjectChange.objects.filter(object_id=str(obj.pk), content_type__model=obj._meta.model_name)


def test_decimal_typed_without_places_is_no_change(period):
    before = _changes(period).count()
    period.refresh_from_db()
    period.notice_deduction = Decimal("5")  # what a form gives for “5”
    period.weight_tasks = 40  # and what code may assign
    period.save()
    assert _changes(period).count() == before


def test_the_same_moment_in_another_timezone_is_no_change(period):
    before = _changes(period).count()
    period.refresh_from_db()
    period.computed_at = period.computed_at.astimezone(datetime.UTC)
    period.save()
    period.computed_at = timezone.localtime(period.computed_at)
    period.save()
    assert _changes(period).count() == before


def test_a_date_given_as_text_is_no_change(period):
    before = _changes(period).count()
    period.start_on = "2025-1-1"
    period.save()
    assert _changes(period).count() == before


def test_a_real_change_is_logged_with_both_values_in_the_fields_places(period):
    period.refresh_from_db()
    period.notice_deduction = Decimal("4.5")
    period.save()
    change = _changes(period).latest("pk")
    assert change.action == "update"
    assert change.prechange_data["notice_deduction"] == "5.00"
    assert change.postchange_data["notice_deduction"] == "4.50"
    changed = {k for k in change.postchange_data if change.postchange_data[k] != change.prechange_data[k]}
    assert changed == {"notice_deduction"}


def test_moments_are_logged_as_one_utc_instant(period):
    data = serialize_object(period)
    assert data["computed_at"] == "2025-12-31T10:05:07+00:00"
    assert data["start_on"] == "2025-01-01"
    assert data["weight_tasks"] == "40.00"


def test_a_save_of_some_fields_logs_only_what_it_wrote(econ_dept):
    enterprise = f.enterprise(
        name="新能源电池有限公司", dept=econ_dept, registered_capital_wan=Decimal("5000.00")
    )
    enterprise = type(enterprise).objects.get(pk=enterprise.pk)
    enterprise.name = "名称只改在内存里"
    enterprise.registered_capital_wan = Decimal("6000")
    enterprise.save(update_fields=["registered_capital_wan"])
    change = _changes(enterprise).latest("pk")
    assert change.postchange_data["registered_capital_wan"] == "6000.00"
    assert change.postchange_data["name"] == "新能源电池有限公司"
    assert type(enterprise).objects.get(pk=enterprise.pk).name == "新能源电池有限公司"


def test_an_enterprise_saved_as_read_writes_nothing(econ_dept):
    enterprise = f.enterprise(
        dept=econ_dept, registered_capital_wan=Decimal("500.00"), founded_on=datetime.date(2020, 5, 6)
    )
    before = ObjectChange.objects.count()
    enterprise = type(enterprise).objects.get(pk=enterprise.pk)
    enterprise.registered_capital_wan = Decimal("500")
    enterprise.save()
    assert ObjectChange.objects.count() == before
