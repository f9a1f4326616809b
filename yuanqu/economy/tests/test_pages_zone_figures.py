"""Zone figures (园区月度数据): list, add as a new version, detail with versions, export,
the ``zone-figures`` import from the web and the console."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.economy.models import Indicator, PeriodLock, ZoneMonthlyFigure
from yuanqu.economy.services import record_zone_figure
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.testing.views import xlsx_rows

from .test_views import text

LIST = reverse("economy:zonemonthlyfigure_list")
ADD = reverse("economy:zonemonthlyfigure_add")
IMPORT = reverse("economy:zonemonthlyfigure_import")
OCT, OCT_LAST = datetime.date(2023, 10, 1), datetime.date(2022, 10, 1)


def grant(user, model, actions, constraint="all"):
    ObjectPermission.objects.create(
        name=f"{user.username}-{model}-{'-'.join(actions)}", user=user, model=model,
        actions=actions, constraint=constraint,
    )  # fmt: skip
    user.__dict__.pop("_yuanqu_grants", None)


@pytest.fixture
def gdp(db):
    return Indicator.objects.get(code="gdp")


@pytest.fixture
def figures(park, east, west, gdp):
    return {
        "park": record_zone_figure(park, gdp, OCT, ytd_value=D("512.3"), published_growth=D("0.065")),
        "east": record_zone_figure(east, gdp, OCT, ytd_value=D("201.7")),
        "west": record_zone_figure(west, gdp, OCT, ytd_value=D("150.2")),
    }


def test_list_by_role_and_zone(client, leader, grid_worker, enterprise_user, figures):
    client.force_login(leader)
    body = text(client.get(LIST, {"period": "2023-10"}))
    assert "512.3" in body and "201.7" in body and "6.5%" in body
    client.force_login(grid_worker)  # 网格员 (东区): its 片区 only
    body = text(client.get(LIST))
    assert "201.7" in body and "512.3" not in body and "150.2" not in body
    assert client.get(reverse("economy:zonemonthlyfigure", args=[figures["west"].pk])).status_code == 404
    client.force_login(enterprise_user)
    assert client.get(LIST).status_code == 403


def test_export_is_audited(client, leader, grid_worker, figures):
    client.force_login(leader)
    rows = xlsx_rows(client.get(LIST, {"export": "xlsx", "zone": figures["park"].zone_id}))
    assert rows[0][:3] == ["园区/片区", "指标", "月份"] and len(rows) == 2
    event = AuditEvent.objects.get(kind="export")
    assert event.user_id == leader.pk and event.data["model"] == "economy.zonemonthlyfigure"
    client.force_login(grid_worker)
    assert client.get(LIST, {"export": "xlsx"}).status_code == 403


def test_add_and_correct_as_new_versions(client, alice, park, gdp):
    client.force_login(alice)
    data = {
        "zone": park.pk,
        "indicator": gdp.pk,
        "period": "2023-10",
        "ytd_value": "500",
        "published_growth": "6.5",
    }
    assert client.post(ADD, data).status_code == 403  # 部门人员 only view zone figures by default
    grant(alice, "economy.zonemonthlyfigure", ["add"])
    response = client.post(ADD, data)
    first = ZoneMonthlyFigure.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "economy:zonemonthlyfigure", args=[first.pk]
    )
    assert (first.ytd_value, first.published_growth, first.version, first.reported_by) == (
        D(500),
        D("0.065"),
        1,
        alice,
    )
    change = ObjectChange.objects.get(
        content_type=ContentType.objects.get_for_model(ZoneMonthlyFigure),
        object_id=str(first.pk),
        action="create",
    )
    assert change.user_id == alice.pk
    refused = client.post(ADD, {**data, "ytd_value": "512.3"})
    assert "该园区/片区该月已有此指标数据，更正须填写更正原因" in text(refused)
    client.post(ADD, {**data, "ytd_value": "512.3", "reason": "统计局反馈修订"})
    versions = ZoneMonthlyFigure.objects.order_by("version")
    assert [(v.version, v.is_current, v.ytd_value) for v in versions] == [
        (1, False, D(500)),
        (2, True, D("512.3")),
    ]
    body = text(client.get(reverse("economy:zonemonthlyfigure", args=[versions[1].pk])))
    assert "版本历史" in body and "统计局反馈修订" in body and "第1版" in body and "6.5%" in body


def test_a_locked_month_is_refused(client, alice, park, gdp):
    grant(alice, "economy.zonemonthlyfigure", ["add"])
    PeriodLock.objects.create(period=OCT)
    client.force_login(alice)
    response = client.post(ADD, {"zone": park.pk, "indicator": gdp.pk, "period": "2023-10", "ytd_value": "1"})
    assert "2023年10月数据已发布并锁定，不能再新增或更正" in text(response)
    assert not ZoneMonthlyFigure.objects.exists()


def test_a_grid_worker_may_add_only_for_its_zone(client, grid_worker, east, west, gdp):
    grant(grid_worker, "economy.zonemonthlyfigure", ["add"], "own_zone")
    client.force_login(grid_worker)
    data = {"indicator": gdp.pk, "period": "2023-10", "ytd_value": "10"}
    response = client.post(ADD, {**data, "zone": west.pk})
    assert "超出了您的权限范围" in text(response) and not ZoneMonthlyFigure.objects.exists()
    assert client.post(ADD, {**data, "zone": east.pk}).status_code == 302


# --- import ---------------------------------------------------------------------------------


def xlsx(rows, header=("园区/片区", "指标", "当月值", "1-N月累计值", "公布增速（%）")) -> bytes:
    workbook = Workbook()
    workbook.active.append(list(header))
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_web_import_previews_then_writes(client, leader, park, east, gdp):
    grant(leader, "economy.zonemonthlyfigure", ["import"])
    record_zone_figure(park, gdp, OCT, ytd_value=D(500))
    client.force_login(leader)
    content = xlsx([("高新区", "地区生产总值", None, 512.3, 6.5), ("东区", "固定资产投资", 3, 30.5, None)])
    preview = client.post(IMPORT, {"file": SimpleUploadedFile("十月.xlsx", content), "period": "2023-10"})
    assert preview.context["result"].counts == {"new": 1, "changed": 1, "unchanged": 0}
    assert ZoneMonthlyFigure.objects.count() == 1
    response = client.post(IMPORT, {"confirm": "1", "token": preview.context["token"]})
    assert response.status_code == 302
    current = ZoneMonthlyFigure.objects.get(zone=park, is_current=True)
    assert (current.ytd_value, current.published_growth, current.version) == (D("512.3"), D("0.065"), 2)
    assert current.reason == "Excel导入：十月.xlsx"
    fai = ZoneMonthlyFigure.objects.get(zone=east)
    assert (fai.indicator.code, fai.month_value, fai.ytd_value) == ("fixed_asset_investment", D(3), D("30.5"))
    assert AuditEvent.objects.filter(kind="import", data__model="economy.zonemonthlyfigure").exists()


def test_bad_rows_are_named_and_nothing_is_written(client, leader, park, gdp):
    grant(leader, "economy.zonemonthlyfigure", ["import"])
    client.force_login(leader)
    content = xlsx([("高新区", "地区生产总值", None, 500, None), ("北区", "地区生产总值", None, 1, None),
                    ("高新区", "固定资产投资", None, "三十", None), ("高新区", "地区生产总值", None, 2, None)])  # fmt: skip
    response = client.post(IMPORT, {"file": SimpleUploadedFile("错.xlsx", content), "period": "2023-10"})
    errors = [str(e) for e in response.context["result"].errors]
    assert errors == [
        "第3行 园区/片区：未找到“北区”，请填写系统中已有的园区/片区名称",
        "第4行 1-N月累计值：“三十”不是数字，应填写数字，如 500 或 1200.5",
        "第5行 指标：与第2行重复（同一文件中同一园区/片区的同一指标只能出现一次）",
    ]
    assert not ZoneMonthlyFigure.objects.exists()
    assert AuditEvent.objects.filter(kind="import_rejected").exists()


def test_console_import_with_period_and_dry_run(tmp_path, park, gdp):
    path = tmp_path / "zone.xlsx"
    path.write_bytes(xlsx([("高新区", "地区生产总值", None, 512.3, 6.5)]))
    out = io.StringIO()
    call_command("import", "zone-figures", str(path), "--period", "2023-10", "--dry-run", stdout=out)
    assert "新增 1 行" in out.getvalue() and not ZoneMonthlyFigure.objects.exists()
    call_command("import", "zone-figures", str(path), "--period", "2023-10", stdout=io.StringIO())
    assert ZoneMonthlyFigure.objects.get().ytd_value == D("512.3")
    PeriodLock.objects.create(period=datetime.date(2023, 11, 1))
    with pytest.raises(CommandError) as caught:
        call_command("import", "zone-figures", str(path), "--period", "2023-11", stdout=out)
    assert caught.value.returncode == 1
    assert "2023年11月数据已发布并锁定" in out.getvalue()
    with pytest.raises(CommandError, match="须用 --period 指定月份"):
        call_command("import", "zone-figures", str(path), stdout=out)


def test_console_export(tmp_path, figures):
    path = tmp_path / "out.xlsx"
    call_command("export", "zone-figures", str(path), stdout=io.StringIO())
    from openpyxl import load_workbook

    rows = list(load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 4 and rows[0][0] == "园区/片区"
    assert AuditEvent.objects.filter(kind="export", data__model="economy.zonemonthlyfigure").exists()
