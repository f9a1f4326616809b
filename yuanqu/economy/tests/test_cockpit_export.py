"""Excel export of each table the cockpit shows: the same rows, audited, restricted."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from yuanqu.core.models import AuditEvent

from .test_cockpit import make_cockpit_data

COCKPIT = reverse("economy:cockpit")


@pytest.fixture
def data(owned_enterprise, other_enterprise, east):
    return make_cockpit_data(owned_enterprise, other_enterprise, east)


def sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def export(client, table, **params):
    return client.get(COCKPIT, {"period": "2024-08", "export": "xlsx", "table": table, **params})


def test_the_page_links_each_table_to_its_export(client, leader, data):
    client.force_login(leader)
    html = client.get(COCKPIT, {"period": "2024-08"}).content.decode()
    for table in ("chains", "zones", "top", "warnings"):
        assert f'data-export="{table}"' in html
        assert f"period=2024-08&amp;export=xlsx&amp;table={table}" in html


def test_each_table_exports_the_rows_shown_and_is_audited(client, leader, data):
    client.force_login(leader)
    rows = sheet_rows(export(client, "top"))
    assert rows[0] == ["名次", "企业", "累计（亿元）", "同比"]
    assert [r[:3] for r in rows[1:]] == [[1, "东区精密机械有限公司", 12.0], [2, "西区光电科技有限公司", 3.5]]
    assert rows[1][3] == pytest.approx(0.2)

    rows = sheet_rows(export(client, "zones"))
    assert rows[0] == ["片区", "累计（亿元）", "同比", "拉动（百分点）"]
    assert [r[:2] for r in rows[1:]] == [["东区", 12.0], ["西区", 3.5]]

    chains = sheet_rows(export(client, "chains"))
    assert {r[0] for r in chains[1:]} == {"高端装备制造", "未归链"}

    warnings = sheet_rows(export(client, "warnings"))
    assert warnings[0] == ["企业", "预警原因", "增减（亿元）", "同比", "拉动（百分点）"]
    # the largest fall first (35000 − 50000 万元 = −1.5 亿元, −15000 / 150000 = −10 points),
    # then the enterprise that did not report (its fall is not known)
    assert warnings[1] == ["西区光电科技有限公司", "累计同比下降30.0%", -1.5, -0.3, -10.0]
    assert [r[0] for r in warnings[1:]] == ["西区光电科技有限公司", "东区停报机械有限公司"]

    events = AuditEvent.objects.filter(kind="export", data__view="economy:cockpit")
    assert events.count() == 4
    top = events.get(data__table="top")
    assert top.data["rows"] == 2 and top.user_name == leader.username
    assert "驾驶舱2024年8月" in top.detail and "前20名企业2行" in top.detail


def test_export_is_restricted_and_needs_the_grant(client, alice, grid_worker, data):
    client.force_login(grid_worker)  # may view its 片区, may not export
    assert export(client, "top").status_code == 403
    html = client.get(COCKPIT, {"period": "2024-08"}).content.decode()
    assert "data-export=" not in html

    client.force_login(alice)  # exports only her department's enterprises (东区 ones here)
    names = [r[1] for r in sheet_rows(export(client, "top"))[1:]]
    assert names == ["东区精密机械有限公司"]
    assert AuditEvent.objects.filter(kind="export", user_name=alice.username).count() == 1


def test_an_unknown_table_is_refused(client, leader, data):
    client.force_login(leader)
    response = export(client, "everything")
    assert response.status_code == 400
    assert "未知的表格“everything”" in response.content.decode()
    assert not AuditEvent.objects.filter(kind="export").exists()
