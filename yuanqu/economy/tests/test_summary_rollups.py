"""The summary page reads the rollups for the whole park and a grid worker's 片区 and the
restricted value table for everyone else, with the same figures either way."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from yuanqu.economy.models import EnterpriseMonthlyValue, ZoneMonthlyFigure
from yuanqu.economy.services import indicator_summary, record_enterprise_value
from yuanqu.users.choices import Constraint
from yuanqu.users.models import ObjectPermission
from yuanqu.users.permissions import restrict
from yuanqu.utilities.testing import factories as f

from .sheet import sheet_target

SUMMARY = reverse("economy:summary")
OCT = datetime.date(2024, 10, 1)
LAST_OCT = datetime.date(2023, 10, 1)
LAST_DEC = datetime.date(2023, 12, 1)
FIGURES = ("month_value", "ytd", "base", "growth", "target", "completion", "time_progress", "gap_pp", "note")
VALUE_TABLE = EnterpriseMonthlyValue._meta.db_table


@pytest.fixture
def reports(owned_enterprise, other_enterprise, econ_dept, invest_dept, east, west, output):
    """Reports of five enterprises in both 片区 and departments: one new this year, one that
    stopped reporting, and a park target for the year."""
    newcomer = f.enterprise("东区新材料有限公司", dept=invest_dept, zone_obj=east)
    leaver = f.enterprise("西区纺织有限公司", dept=econ_dept, zone_obj=west)
    third = f.enterprise("东区电子有限公司", dept=econ_dept, zone_obj=east)
    figures = {
        owned_enterprise: [(D(90), D(800)), (D(70), D(700)), (D(850), D(850))],
        other_enterprise: [(D(40), D(410)), (D(35), D(380)), (D(460), D(460))],
        third: [(D(12), D(133.5)), (D(10), D(120)), (D(150), D(150))],
        newcomer: [(D(30), D(95)), None, None],
        leaver: [None, (D(20), D(210)), (D(260), D(260))],
    }
    for enterprise, (now, before, december) in figures.items():
        for period, pair in ((OCT, now), (LAST_OCT, before), (LAST_DEC, december)):
            if pair:
                record_enterprise_value(enterprise, output, period, month_value=pair[0], ytd_value=pair[1])
    sheet_target(output, 2024, 1900)
    return figures


def page_rows(client, user, **params):
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SUMMARY, {"period": "2024-10", **params})
    assert response.status_code == 200
    rows = {row["code"]: {key: row[key] for key in FIGURES} for row in response.context["rows"]}
    return rows, " ".join(q["sql"] for q in queries.captured_queries)


def direct_rows(user, zone=None):
    """The summary computed from the (restricted) value table, without rollups."""
    rows = indicator_summary(
        OCT,
        zone,
        values=restrict(EnterpriseMonthlyValue.objects.all(), user, "view"),
        figures=restrict(ZoneMonthlyFigure.objects.all(), user, "view"),
    )
    return {row["code"]: {key: row[key] for key in FIGURES} for row in rows}


def test_leader_sees_the_value_tables_figures_read_from_the_rollups(client, leader, reports, park, east):
    rows, sql = page_rows(client, leader)
    assert rows == direct_rows(leader)
    assert VALUE_TABLE not in sql  # read from the rollups
    output = rows["industrial_output"]
    assert output["ytd"] == D("1438.5") and output["month_value"] == D(172)
    assert output["base"] == D(1200)  # the newcomer and the leaver are out of the comparable set
    assert "1家企业无上年同期数据" in output["note"]
    assert output["completion"] is not None

    rows, sql = page_rows(client, leader, zone=east.pk)
    assert rows == direct_rows(leader, east)
    assert rows["industrial_output"]["ytd"] == D("1028.5")
    assert VALUE_TABLE not in sql


def test_grid_worker_sees_its_zones_figures_read_from_the_rollups(client, grid_worker, reports, east):
    rows, sql = page_rows(client, grid_worker)
    assert rows == direct_rows(grid_worker)
    assert rows["industrial_output"]["ytd"] == D("1028.5")  # 东区 only
    assert rows["industrial_output"]["base"] == D(820)
    assert VALUE_TABLE not in sql


def test_department_restricted_user_still_sees_only_its_departments_records(client, alice, reports):
    ObjectPermission.objects.filter(name="部门人员-查看企业月报数据").update(enabled=False)
    ObjectPermission.objects.create(
        name="测试-本部门查看企业月报数据",
        user=alice,
        model="economy.enterprisemonthlyvalue",
        actions=["view"],
        constraint=Constraint.OWN_DEPARTMENT,
    )
    rows, sql = page_rows(client, alice)
    assert VALUE_TABLE in sql  # not by 片区: the restricted value table
    assert rows == direct_rows(alice)
    output = rows["industrial_output"]
    # 经济发展局's enterprises: the owned one and the third (the leaver stopped reporting).
    assert output["ytd"] == D("933.5") and output["month_value"] == D(102)
    assert output["base"] == D(820)
