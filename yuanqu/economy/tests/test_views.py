"""The pages: the shared cases for enterprise monthly values, what each role sees, the
indicator catalogue and the per-indicator summary."""

import datetime
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator, PeriodLock
from yuanqu.economy.services import record_enterprise_value
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import ALL, ViewTestCases, xlsx_rows

VALUES = reverse("economy:enterprisemonthlyvalue_list")
ADD_VALUE = reverse("economy:enterprisemonthlyvalue_add")
SUMMARY = reverse("economy:summary")
AUG = datetime.date(2024, 8, 1)


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


class TestEnterpriseMonthlyValueViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = EnterpriseMonthlyValue
    # The indicator list of the form and the filter is what the tester may view.
    base_grants = [("enterprises.enterprise", ["view"], ALL), ("economy.indicator", ["view"], ALL)]

    def make_record(self, department):
        output = Indicator.objects.get(code="industrial_output")
        return record_enterprise_value(
            f.enterprise(dept=department), output, AUG, month_value=D(9), ytd_value=D(80)
        )

    def record_text(self, record):
        return record.enterprise.name

    def create_data(self, department):
        return {
            "enterprise": f.enterprise(dept=department).pk,
            "indicator": Indicator.objects.get(code="industrial_output").pk,
            "period": "2024-01-01",
            "month_value": "123.45",
        }


@pytest.fixture
def reports(owned_enterprise, other_enterprise, output):
    return (
        record_enterprise_value(owned_enterprise, output, AUG, month_value=D(6), ytd_value=D(50)),
        record_enterprise_value(other_enterprise, output, AUG, month_value=D(9), ytd_value=D(62)),
    )


def test_enterprise_user_sees_and_reports_only_its_own_company(client, enterprise_user, reports, output):
    own, other = reports
    client.force_login(enterprise_user)
    page = text(client.get(VALUES))
    assert own.enterprise.name in page and other.enterprise.name not in page
    assert client.get(own.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(VALUES, {"export": "xlsx"}).status_code == 403

    form = client.get(ADD_VALUE).context["form"]
    assert list(form.fields["enterprise"].queryset) == [own.enterprise]
    data = {"indicator": output.pk, "period": "2024-09", "ytd_value": "57", "month_value": "7"}
    refused = client.post(ADD_VALUE, {**data, "enterprise": other.enterprise.pk})
    assert refused.status_code == 200
    assert "选择一个有效的选项" in text(refused)
    assert not EnterpriseMonthlyValue.objects.filter(period="2024-09-01").exists()
    response = client.post(ADD_VALUE, {**data, "enterprise": own.enterprise.pk})
    assert response.status_code == 302
    saved = EnterpriseMonthlyValue.objects.get(period="2024-09-01")
    assert (saved.enterprise, saved.ytd_value, saved.reported_by) == (own.enterprise, D(57), enterprise_user)


def test_a_correction_through_the_form_needs_a_reason_and_keeps_the_old_version(
    client, alice, reports, output
):
    own, _ = reports
    client.force_login(alice)
    data = {
        "enterprise": own.enterprise.pk,
        "indicator": output.pk,
        "period": "2024-08",
        "month_value": "7",
        "ytd_value": "51",
    }
    response = client.post(ADD_VALUE, data)
    assert response.status_code == 200
    assert "该企业该月已有此指标数据，更正须填写更正原因" in text(response)
    response = client.post(ADD_VALUE, {**data, "reason": "企业补报发票"})
    assert response.status_code == 302
    rows = EnterpriseMonthlyValue.objects.filter(enterprise=own.enterprise, period=AUG).order_by("version")
    assert [(r.version, r.is_current, r.ytd_value) for r in rows] == [(1, False, D(50)), (2, True, D(51))]
    current = text(client.get(VALUES, {"period": "2024-08"}))
    mine = re.compile(rf"{own.enterprise.uscc} \S+ 规上工业总产值 2024年8月 \S+ (\d+) 万元")
    assert "企业补报发票" in current and mine.findall(current) == ["51"]
    every = text(client.get(VALUES, {"period": "2024-08", "all_versions": "on"}))
    assert "企业补报发票" in every and sorted(mine.findall(every)) == ["50", "51"]  # 50, not 50.0000


def test_a_locked_month_is_refused_on_the_form(client, alice, reports, output):
    own, _ = reports
    PeriodLock.objects.create(period=AUG)
    client.force_login(alice)
    data = {
        "enterprise": own.enterprise.pk,
        "indicator": output.pk,
        "period": "2024-08",
        "ytd_value": "51",
        "month_value": "7",
        "reason": "更正",
    }
    response = client.post(ADD_VALUE, data)
    assert response.status_code == 200
    assert "2024年8月数据已发布并锁定，不能再新增或更正" in text(response)
    assert EnterpriseMonthlyValue.objects.filter(enterprise=own.enterprise, period=AUG).count() == 1


def test_grid_worker_sees_own_zone_and_staff_exports_own_department(client, grid_worker, alice, reports):
    own, other = reports
    client.force_login(grid_worker)
    page = text(client.get(VALUES))
    assert own.enterprise.name in page and other.enterprise.name not in page
    client.force_login(alice)
    page = text(client.get(VALUES))
    assert own.enterprise.name in page and other.enterprise.name in page
    exported = " ".join(str(c) for row in xlsx_rows(client.get(VALUES, {"export": "xlsx"})) for c in row)
    assert own.enterprise.name in exported and other.enterprise.name not in exported


def test_filters_by_period_indicator_enterprise_and_zone(client, leader, reports, east):
    own, other = reports
    client.force_login(leader)
    for params in ({"zone": east.pk}, {"enterprise": "东区精密"}, {"q": own.enterprise.uscc}):
        page = text(client.get(VALUES, params))
        assert own.enterprise.name in page and other.enterprise.name not in page, params
    assert other.enterprise.name not in text(client.get(VALUES, {"period": "2024-07"}))
    revenue = Indicator.objects.get(code="revenue")
    assert own.enterprise.name not in text(client.get(VALUES, {"indicator": revenue.pk}))


def test_summary_page_shows_the_same_figures_as_the_command(client, leader, enterprise_user, reports, output):
    record_enterprise_value(
        reports[0].enterprise, output, datetime.date(2023, 8, 1), month_value=D(5), ytd_value=D(40)
    )
    client.force_login(leader)
    response = client.get(SUMMARY, {"period": "2024-08"})
    page = text(response)
    assert "经济运行 · 2024年8月" in page
    row = next(r for r in response.context["rows"] if r["code"] == "industrial_output")
    assert (row["month_value"], row["ytd"], row["base"]) == (15, 112, 40)  # 万元, as stored
    assert "规上工业总产值 亿元 0.00 0.01 0.00 25.0%" in page  # shown in the indicator's unit
    assert "1家企业无上年同期数据" in page
    home = client.get(reverse("home")).content.decode()
    assert f'href="{SUMMARY}"' in home
    client.force_login(enterprise_user)  # only its own company's figures
    response = client.get(SUMMARY, {"period": "2024-08"})
    row = next(r for r in response.context["rows"] if r["code"] == "industrial_output")
    assert (row["month_value"], row["ytd"], row["base"], row["growth_pct"]) == (6, 50, 40, "25.0%")
    bad = client.get(SUMMARY, {"period": "八月"})
    assert bad.status_code == 200 and "月份“八月”格式不对" in text(bad)


def test_summary_page_needs_a_grant(client, sysadmin):
    client.force_login(sysadmin)
    assert client.get(SUMMARY).status_code == 403


def test_indicator_catalogue_is_extended_by_the_system_administrator(client, sysadmin, alice):
    client.force_login(alice)
    assert "规上工业总产值" in text(client.get(reverse("economy:indicator_list")))
    assert client.get(reverse("economy:indicator_add")).status_code == 403
    client.force_login(sysadmin)
    data = {
        "code": "patents",
        "name": "专利授权量",
        "unit": "items",
        "kind": "ytd_flow",
        "level": "enterprise",
        "population": "all",
        "order": "200",
        "active": "on",
    }
    response = client.post(reverse("economy:indicator_add"), data)
    assert response.status_code == 302
    added = Indicator.objects.get(code="patents")
    assert ObjectChange.objects.filter(
        object_id=str(added.pk), action="create", user_name="sysadmin"
    ).exists()
    duplicate = client.post(reverse("economy:indicator_add"), {**data, "code": "patents2"})
    assert "具有 指标名称 的 经济指标 已存在。" in text(duplicate)
