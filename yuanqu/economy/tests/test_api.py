"""The economy API: indicators (read), enterprise monthly values and zone figures (list, add
as a new version), and the indicator summary of ``yuanqu indicators``."""

import datetime
import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from yuanqu.economy.models import (
    EnterpriseMonthlyValue,
    Indicator,
    PeriodLock,
    ZoneMonthlyFigure,
)
from yuanqu.economy.services import record_enterprise_value, record_zone_figure
from yuanqu.utilities.api import OUTSIDE_GRANT_ERROR
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.api import ALL, APIViewTestCases, result_ids

AUG = datetime.date(2024, 8, 1)


def output():
    return Indicator.objects.get(code="industrial_output")


class TestEnterpriseMonthlyValueAPI(
    APIViewTestCases.ListObjectsTestCase,
    APIViewTestCases.GetObjectTestCase,
    APIViewTestCases.CreateObjectTestCase,
):
    model = EnterpriseMonthlyValue
    url_namespace = "economy-api"
    # The indicator list of the form and the filter is what the tester may view.
    base_grants = [("enterprises.enterprise", ["view"], ALL), ("economy.indicator", ["view"], ALL)]

    def make_record(self, department):
        return record_enterprise_value(
            f.enterprise(dept=department), output(), AUG, month_value=D(9), ytd_value=D(80)
        )

    def create_data(self, department):
        return {
            "enterprise": f.enterprise(dept=department).pk,
            "indicator": output().pk,
            "period": "2024-01",
            "month_value": "123.4500",
        }

    def test_a_correction_is_a_new_version_with_a_reason(self):
        record = self.make_record(self.own_department)
        self.grant(["view", "add"])
        data = {"enterprise": record.enterprise_id, "indicator": record.indicator_id, "period": "2024-08",
                "month_value": "9", "ytd_value": "81"}  # fmt: skip
        refused = self.client.post(self.list_url(), data, format="json")
        assert refused.status_code == 400 and refused.json() == {
            "reason": ["该月已有此指标数据，更正须填写更正原因"]
        }
        response = self.client.post(self.list_url(), {**data, "reason": "企业更正"}, format="json")
        assert response.status_code == 201, response.json()
        assert (response.json()["version"], response.json()["reported_by"]) == (2, str(self.user))
        assert self.client.get(self.list_url(), {"period": "2024-08"}).json()["count"] == 1
        assert self.client.get(self.list_url(), {"all_versions": "true"}).json()["count"] == 2

    def test_filters_and_a_locked_month(self):
        own, other = self.make_own_and_other()
        self.grant(["view", "add"])
        assert result_ids(self.client.get(self.list_url(), {"enterprise": own.enterprise.uscc})) == {own.pk}
        assert result_ids(self.client.get(self.list_url(), {"period": "2024-07"})) == set()
        assert result_ids(self.client.get(self.list_url(), {"indicator": output().pk})) == {own.pk, other.pk}
        PeriodLock.objects.create(period=datetime.date(2024, 1, 1))
        response = self.client.post(self.list_url(), self.create_data(self.own_department), format="json")
        assert response.status_code == 400
        assert response.json() == {"period": ["2024年1月数据已发布并锁定，不能再新增或更正"]}
        bad = self.client.post(
            self.list_url(), {**self.create_data(self.own_department), "period": "2024年1月"}, format="json"
        )
        assert bad.json() == {"period": ["月份“2024年1月”格式不对，应为“2023-10”这样的年-月"]}


# --- zone figures, indicators and the summary (users of the standard cast) -----------------


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


ZONE_FIGURES = "/api/economy/zone-figures/"
SUMMARY = "/api/economy/indicator-summary/"


@pytest.fixture
def figures(park, east, west):
    gdp = Indicator.objects.get(code="gdp")
    return [
        record_zone_figure(z, gdp, AUG, ytd_value=D(v)) for z, v in ((park, 500), (east, 200), (west, 150))
    ]


def test_zone_figures_by_role(leader, grid_worker, enterprise_user, alice, figures, east):
    assert api(leader).get(ZONE_FIGURES).json()["count"] == 3
    assert result_ids(api(grid_worker).get(ZONE_FIGURES)) == {figures[1].pk}
    assert api(grid_worker).get(f"{ZONE_FIGURES}{figures[2].pk}/").status_code == 404
    assert api(enterprise_user).get(ZONE_FIGURES).status_code == 403
    data = {"zone": east.pk, "indicator": figures[0].indicator_id, "period": "2024-08", "ytd_value": "210",
            "published_growth": "0.065", "reason": "统计局修订"}  # fmt: skip
    assert api(alice).post(ZONE_FIGURES, data, format="json").status_code == 403
    from yuanqu.users.models import ObjectPermission

    ObjectPermission.objects.create(name="网格员录入", user=grid_worker, model="economy.zonemonthlyfigure",
                                    actions=["add"], constraint="own_zone")  # fmt: skip
    response = api(grid_worker).post(ZONE_FIGURES, data, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["version"], response.json()["published_growth"]) == (2, "0.065000")
    response = api(grid_worker).post(ZONE_FIGURES, {**data, "zone": figures[2].zone_id}, format="json")
    assert response.status_code == 403 and response.json()["detail"] == OUTSIDE_GRANT_ERROR  # 西区
    assert ZoneMonthlyFigure.objects.filter(zone=figures[2].zone).count() == 1


def test_indicators_are_read_only(sysadmin):
    client = api(sysadmin)  # who may add indicators on the pages
    response = client.get("/api/economy/indicators/", {"level": "zone"})
    assert response.status_code == 200 and "gdp" in {r["code"] for r in response.json()["results"]}
    assert (
        client.post("/api/economy/indicators/", {"code": "x", "name": "x"}, format="json").status_code == 405
    )


def test_summary_matches_the_command(
    leader, grid_worker, enterprise_user, owned_enterprise, other_enterprise, figures
):
    record_enterprise_value(owned_enterprise, output(), AUG, month_value=D(6), ytd_value=D(50))
    record_enterprise_value(other_enterprise, output(), AUG, month_value=D(9), ytd_value=D(62))
    out = io.StringIO()
    call_command("indicators", "--period", "2024-08", "--json", stdout=out)
    response = api(leader).get(SUMMARY, {"period": "2024-08"})
    assert response.status_code == 200 and response.json() == json.loads(out.getvalue())
    rows = {r["code"]: r for r in response.json()}
    assert rows["industrial_output"]["ytd"] == 112.0 and rows["gdp"]["ytd"] == 500.0
    limited = {r["code"]: r for r in api(grid_worker).get(SUMMARY, {"period": "2024-08"}).json()}
    assert limited["industrial_output"]["ytd"] == 50.0  # 网格员 (东区): its 片区's enterprises only
    assert api(leader).get(SUMMARY, {"period": "2024-13"}).json() == {
        "period": ["月份“2024-13”格式不对，应为“2023-10”这样的年-月"]
    }
    assert api(leader).get(SUMMARY, {"period": "2024-08", "zone": "999"}).status_code == 400
    east_only = {
        r["code"]: r
        for r in api(leader).get(SUMMARY, {"period": "2024-08", "zone": owned_enterprise.zone_id}).json()
    }
    assert east_only["industrial_output"]["ytd"] == 50.0 and east_only["gdp"]["ytd"] == 200.0
    assert APIClient().get(SUMMARY, {"period": "2024-08"}).status_code == 401


def test_summary_needs_a_grant(sysadmin):
    assert api(sysadmin).get(SUMMARY, {"period": "2024-08"}).status_code == 403
    assert reverse("economy-api:indicator-summary") == SUMMARY
