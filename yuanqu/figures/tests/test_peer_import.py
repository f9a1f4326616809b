"""The city bureau's monthly 通报 imported as peers' values: one transaction, errors by row and
column with nothing written, growth typed in percent and kept as a fraction, the list's export
importing back unchanged (nothing in the change log), and the standing the catalogue then
shows."""

import datetime
import io
import json
from decimal import Decimal as Dec

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.economy.tests.conftest import output  # noqa: F401 (a fixture)
from yuanqu.economy.tests.test_command import zone_data  # noqa: F401 (a fixture)
from yuanqu.figures.catalogue import figures
from yuanqu.figures.models import PeerValue
from yuanqu.utilities.testing.views import xlsx_rows

pytestmark = pytest.mark.django_db
D = datetime.date
HEADER = ["月份", "数据项", "园区", "数值", "增速（%）", "来源"]
KEY = "economy.industrial_output"
URL = reverse("figures:peervalue_import")


def xlsx(header, rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write(tmp_path, rows, header=HEADER, name="通报.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx(header, rows))
    return str(path)


def run(*args) -> str:
    out = io.StringIO()
    call_command("import", "peers", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import", "peers", *args, stdout=out)
    assert error.value.returncode == 1
    return out.getvalue()


def peer_changes():
    return ObjectChange.objects.filter(content_type__model="peervalue")


def output_name():
    return figures()[KEY].name


def bulletin():
    """The bureau's rows for 规上工业总产值, 1–8月 2024: the month written three ways, the
    figure by its name and by its key."""
    return [
        ["2024-08", output_name(), "高新区", 300, 15, "市统计局2024年8月通报"],
        ["2024年8月", KEY, "经开区", 100, 5, "市统计局2024年8月通报"],
        [D(2024, 8, 1), output_name(), "全市", 1220, None, "市统计局2024年8月通报"],
    ]


def test_the_bulletin_imports_and_the_catalogue_ranks_the_zone(zone_data, tmp_path):  # noqa: F811
    text = run(write(tmp_path, bulletin()))
    assert "导入完成：新增 3 行、修改 0 行、未变 0 行" in text
    rows = {r.peer: r for r in PeerValue.objects.all()}
    assert set(rows) == {"高新区", "经开区", "全市"}
    high = rows["高新区"]
    assert (high.figure, high.period, high.value, high.growth) == (KEY, D(2024, 8, 1), Dec(300), Dec("0.15"))
    assert rows["经开区"].growth == Dec("0.05") and rows["全市"].growth is None
    assert high.source == "市统计局2024年8月通报"
    assert peer_changes().filter(action="create").count() == 3
    event = AuditEvent.objects.get(kind="import", data__model="figures.peervalue")
    assert event.user_name == "命令行" and "新增 3 行" in event.detail

    out = io.StringIO()
    call_command("figures", "--period", "2024-08", "--json", stdout=out)
    row = next(r for r in json.loads(out.getvalue()) if r["key"] == KEY)
    # Our 122 万元 after 高新区's 300 and ahead of 经开区's 100, our growth between their 15% and
    # 5%, and 122 of the city's 1220.
    assert (row["rank"], row["rank_of"], row["growth_rank"], row["share"]) == (2, 3, 2, 0.1)


def test_an_entered_value_is_updated_and_a_half_filled_row_is_fine(tmp_path):
    PeerValue.objects.create(figure=KEY, period=D(2024, 8, 1), peer="高新区", value=Dec(280))
    text = run(
        write(
            tmp_path, [["2024-08", KEY, "高新区", 300, 9.5, ""], ["2024-08", KEY, "经开区", None, 7.25, ""]]
        )
    )
    assert "新增 1 行、修改 1 行" in text
    high = PeerValue.objects.get(peer="高新区")
    assert (high.value, high.growth) == (Dec(300), Dec("0.095"))
    change = peer_changes().get(action="update", object_id=str(high.pk))
    assert Dec(change.prechange_data["value"]) == 280 and Dec(change.postchange_data["value"]) == 300
    assert PeerValue.objects.get(peer="经开区").value is None
    assert PeerValue.objects.get(peer="经开区").growth == Dec("0.0725")


def test_a_file_without_the_growth_column_keeps_the_growth_entered(tmp_path):
    PeerValue.objects.create(
        figure=KEY, period=D(2024, 8, 1), peer="高新区", value=Dec(280), growth=Dec("0.12")
    )
    run(write(tmp_path, [["2024-08", KEY, "高新区", 300]], header=["月份", "数据项", "园区", "数值"]))
    assert PeerValue.objects.get().growth == Dec("0.12")


def test_every_fault_is_named_by_row_and_column_and_nothing_is_written(tmp_path):
    PeerValue.objects.create(figure=KEY, period=D(2024, 8, 1), peer="高新区", value=Dec(280))
    before = peer_changes().count()
    rows = [
        ["2024-08", KEY, "高新区", 999, None, ""],  # good, but the file is refused as a whole
        ["2024-08", "不存在的指标", "经开区", 100, None, ""],
        ["2024-08", KEY, "临港区", "一百", None, ""],
        ["2024-13", KEY, "滨江区", 100, None, ""],
        ["八月", KEY, "湖滨区", 100, None, ""],
        ["2024-08", KEY, "城北区", None, None, "只写了来源"],
        ["2024-08", KEY, "高新区", 1000, None, ""],
        ["2024-08", KEY, "城南区", 100, "很快", ""],
    ]
    text = refused(write(tmp_path, rows))
    assert "第3行 数据项：数据目录中没有“不存在的指标”" in text
    assert "第4行 数值：“一百”不是数字" in text
    assert "第5行 月份：“2024-13”不是可识别的月份，应为“2026-10”或“2026年10月”" in text
    assert "第6行 月份：“八月”不是可识别的月份" in text
    assert "第7行 数值：数值和增速（%）至少填写一项" in text
    assert "第8行 园区：与第2行重复" in text
    assert "第9行 增速（%）：“很快”不是数字" in text
    assert PeerValue.objects.get().value == Dec(280)
    assert peer_changes().count() == before
    assert AuditEvent.objects.filter(kind="import_rejected", data__model="figures.peervalue").exists()


def test_a_figure_named_by_two_entries_asks_for_the_key(tmp_path, monkeypatch):
    from yuanqu.figures import importers

    catalogue = figures()
    twin = next(f for k, f in catalogue.items() if k != KEY)
    doubled = {
        **catalogue,
        "x.twin": type(twin)(**{**twin.__dict__, "key": "x.twin", "name": catalogue[KEY].name}),
    }
    monkeypatch.setattr(importers, "figures", lambda: doubled)
    text = refused(write(tmp_path, [["2024-08", output_name(), "高新区", 1, None, ""]]))
    assert f"第2行 数据项：名为“{output_name()}”的数据项不止一个（{KEY}、x.twin），请填写数据项代码" in text
    assert not PeerValue.objects.exists()


def test_a_dry_run_writes_nothing(tmp_path):
    text = run(write(tmp_path, bulletin()), "--dry-run")
    assert "新增 3 行" in text and "检查通过（试运行，未写入任何数据）" in text
    assert not PeerValue.objects.exists() and not peer_changes().exists()
    assert not AuditEvent.objects.filter(kind="import").exists()


def test_the_export_imports_back_unchanged(zone_data, tmp_path, client, alice):  # noqa: F811
    run(write(tmp_path, bulletin()))
    PeerValue.objects.create(figure=KEY, period=D(2024, 7, 1), peer="高新区", growth=Dec("0.123456"))
    exported = tmp_path / "导出.xlsx"
    call_command("export", "peers", str(exported), stdout=io.StringIO())
    sheet = openpyxl.load_workbook(exported).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert ["2024-08", output_name(), "高新区", 300, 15, "市统计局2024年8月通报"] in rows
    assert ["2024-07", output_name(), "高新区", None, 12.3456, None] in rows
    logged = peer_changes().count()
    before = list(PeerValue.objects.values())

    text = run(str(exported))
    assert "新增 0 行、修改 0 行、未变 4 行" in text
    assert peer_changes().count() == logged
    assert list(PeerValue.objects.values()) == before

    client.force_login(alice)  # the list page's export is the same layout
    page_rows = xlsx_rows(client.get(reverse("figures:peervalue_list"), {"export": "xlsx"}))
    assert page_rows[0] == HEADER and sorted(map(str, page_rows[1:])) == sorted(map(str, rows[1:]))


def test_the_import_page_previews_then_writes(client, alice, tmp_path):
    client.force_login(alice)  # 部门人员: may import the peers' values by default
    list_page = client.get(reverse("figures:peervalue_list")).content.decode()
    assert f'href="{URL}"' in list_page
    upload = SimpleUploadedFile("通报.xlsx", xlsx(HEADER, [["2024-08", KEY, "高新区", 300, 9.5, ""]]))
    response = client.post(URL, {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "高新区" in page and not PeerValue.objects.exists()
    response = client.post(URL, {"confirm": "1", "token": response.context["token"]})
    assert response.status_code == 302
    saved = PeerValue.objects.get()
    assert saved.growth == Dec("0.095")
    assert peer_changes().get().user_id == alice.pk
    template = client.get(reverse("figures:peervalue_import_template"))
    assert template.status_code == 200
    header = xlsx_rows(template)[0]
    assert [h.rstrip("*") for h in header] == HEADER


def test_the_import_page_refuses_a_leader_and_an_enterprise_user(client, leader, enterprise_user):
    for user in (leader, enterprise_user):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        upload = SimpleUploadedFile("通报.xlsx", xlsx(HEADER, [["2024-08", KEY, "高新区", 300, None, ""]]))
        assert client.post(URL, {"file": upload}).status_code == 403
    assert not PeerValue.objects.exists()
