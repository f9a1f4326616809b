"""Reports are versioned: a correction is a new version, the old one is kept; a published
month is locked; 当月 and 1–N月累计 derive from each other."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from yuanqu.core.context import acting_as
from yuanqu.core.models import ObjectChange
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator, PeriodLock
from yuanqu.economy.services import record_enterprise_value, record_zone_figure

JAN, FEB, MAR = (datetime.date(2024, m, 1) for m in (1, 2, 3))


def versions(enterprise, indicator, period):
    rows = EnterpriseMonthlyValue.objects.filter(enterprise=enterprise, indicator=indicator, period=period)
    return list(rows.order_by("version").values_list("version", "is_current", "ytd_value", "reason"))


def test_month_and_ytd_are_derived_from_the_same_enterprises_earlier_months(owned_enterprise, output):
    jan = record_enterprise_value(owned_enterprise, output, JAN, ytd_value=D(100))
    feb = record_enterprise_value(owned_enterprise, output, FEB, ytd_value=D(230))
    mar = record_enterprise_value(owned_enterprise, output, MAR, month_value=D(140))
    assert (jan.month_value, jan.ytd_value) == (D(100), D(100))
    assert (feb.month_value, feb.ytd_value) == (D(130), D(230))
    assert (mar.month_value, mar.ytd_value) == (D(140), D(370))


def test_a_missing_earlier_month_is_refused_with_the_month_named(owned_enterprise, output):
    record_enterprise_value(owned_enterprise, output, JAN, ytd_value=D(100))
    with pytest.raises(ValidationError) as ytd_only:
        record_enterprise_value(owned_enterprise, output, MAR, ytd_value=D(300))
    assert ytd_only.value.message_dict == {
        "month_value": ["缺少1–2月累计值，无法推算3月当月值，请填写当月值"]
    }
    with pytest.raises(ValidationError) as month_only:
        record_enterprise_value(owned_enterprise, output, MAR, month_value=D(90))
    assert month_only.value.message_dict == {
        "ytd_value": ["缺少2月当月值，无法推算1–3月累计，请填写1–N月累计值"]
    }
    with pytest.raises(ValidationError) as neither:
        record_enterprise_value(owned_enterprise, output, MAR)
    assert neither.value.message_dict == {"month_value": ["当月值和1–N月累计值至少填写一项"]}
    assert not EnterpriseMonthlyValue.objects.filter(period=MAR).exists()


def test_a_stock_is_its_level_at_month_end(owned_enterprise):
    employees = Indicator.objects.get(code="employees")
    value = record_enterprise_value(owned_enterprise, employees, MAR, ytd_value=D(235))
    assert (value.month_value, value.ytd_value) == (D(235), D(235))


def test_a_correction_is_a_new_version_and_the_old_one_is_kept(owned_enterprise, output, alice):
    with acting_as(alice):
        first = record_enterprise_value(owned_enterprise, output, JAN, ytd_value=D(100), user=alice)
        with pytest.raises(ValidationError) as no_reason:
            record_enterprise_value(owned_enterprise, output, JAN, ytd_value=D(120), user=alice)
        assert no_reason.value.message_dict == {"reason": ["2024年1月已有第1版数据，更正须填写更正原因"]}
        second = record_enterprise_value(
            owned_enterprise, output, JAN, ytd_value=D(120), reason="统计局审核后更正", user=alice
        )
    assert versions(owned_enterprise, output, JAN) == [
        (1, False, D(100), ""),
        (2, True, D(120), "统计局审核后更正"),
    ]
    assert second.reported_by == alice
    changes = ObjectChange.objects.filter(content_type__model="enterprisemonthlyvalue")
    created = changes.get(action="create", object_id=str(second.pk))
    assert created.user_name == "alice" and created.postchange_data["ytd_value"] == "120.0000"  # field places
    update = changes.get(action="update", object_id=str(first.pk))
    assert (update.prechange_data["is_current"], update.postchange_data["is_current"]) == (True, False)
    assert update.postchange_data["ytd_value"] == "100.0000"  # the value itself never changes


def test_the_same_version_cannot_be_stored_twice(owned_enterprise, output):
    record_enterprise_value(owned_enterprise, output, JAN, ytd_value=D(100))
    with pytest.raises(IntegrityError), transaction.atomic():
        EnterpriseMonthlyValue.objects.create(
            enterprise=owned_enterprise,
            indicator=output,
            period=JAN,
            ytd_value=D(1),
            month_value=D(1),
            version=1,
        )


def test_a_locked_month_refuses_new_versions(owned_enterprise, park, output):
    record_enterprise_value(owned_enterprise, output, JAN, ytd_value=D(100))
    PeriodLock.objects.create(period=JAN, comments="2024年1月数据已发布")
    with pytest.raises(ValidationError) as locked:
        record_enterprise_value(owned_enterprise, output, JAN, ytd_value=D(110), reason="更正")
    assert locked.value.message_dict == {"period": ["2024年1月数据已发布并锁定，不能再新增或更正"]}
    gdp = Indicator.objects.get(code="gdp")
    with pytest.raises(ValidationError, match="已发布并锁定"):
        record_zone_figure(park, gdp, JAN, ytd_value=D("20.5"), published_growth=D("0.062"))
    assert versions(owned_enterprise, output, JAN) == [(1, True, D(100), "")]


def test_zone_figures_are_versioned_with_the_published_growth(park):
    gdp = Indicator.objects.get(code="gdp")
    record_zone_figure(park, gdp, MAR, ytd_value=D("61.2"), published_growth=D("0.058"))
    corrected = record_zone_figure(
        park, gdp, MAR, ytd_value=D("61.5"), published_growth=D("0.061"), reason="修订"
    )
    assert corrected.version == 2 and corrected.is_current
    assert corrected.published_growth == D("0.061")
    assert corrected.month_value is None  # a quarterly figure: no month value to derive it from
