"""The rollups stay equal to a direct computation over the value table after every kind of
write: first reports, corrections (new versions), deletes, imports, bulk seeding and an
enterprise moving to another 片区; the cockpit reads them within the user's restriction."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import Workbook

from yuanqu.economy import rollups
from yuanqu.economy.importers import MonthlyImporter
from yuanqu.economy.models import EnterpriseMonthlyValue, IndicatorRollup
from yuanqu.economy.services import indicator_summary, record_enterprise_value
from yuanqu.utilities.importing import run_import
from yuanqu.utilities.testing import factories as f

from .test_cockpit import cockpit_json, make_cockpit_data

AUG, AUG_2023, JUL = datetime.date(2024, 8, 1), datetime.date(2023, 8, 1), datetime.date(2024, 7, 1)
SEP = datetime.date(2024, 9, 1)


def direct(period, zone=None):
    return indicator_summary(period, zone, values=EnterpriseMonthlyValue.objects.all())


def assert_rollups_match(*zones):
    """The summary from the rollups equals the one from the values, for the park and 片区."""
    for period in (AUG_2023, JUL, AUG, SEP):
        for zone in (None, *zones):
            from_rollups = indicator_summary(period, zone)
            assert from_rollups == direct(period, zone), (period, zone)


@pytest.fixture
def data(owned_enterprise, other_enterprise, east):
    return make_cockpit_data(owned_enterprise, other_enterprise, east)


def output_row(period, zone=None):
    return next(r for r in indicator_summary(period, zone) if r["code"] == "industrial_output")


def test_first_reports_are_summed_per_zone_with_the_comparable_set(data, east, west):
    row = output_row(AUG)
    assert (row["ytd"], row["base"], row["month_value"]) == (D(155000), D(150000), D(19000))
    assert row["growth"] == D(155000) / D(150000) - 1
    assert "1家企业上年同期有数据、本期无数据" in row["note"]
    east_row = output_row(AUG, east)
    assert (east_row["ytd"], east_row["base"]) == (D(120000), D(100000))
    cells = IndicatorRollup.objects.filter(indicator=data["output"], period=AUG)
    assert {c.zone_id: c.ytd_sum for c in cells} == {east.pk: D(120000), west.pk: D(35000)}
    assert_rollups_match(east, west)


def test_corrections_deletes_and_new_reports_keep_them_equal(data, owned_enterprise, other_enterprise, east, west):
    output = data["output"]
    record_enterprise_value(owned_enterprise, output, AUG, month_value=D(16000), ytd_value=D(121000), reason="更正")
    assert output_row(AUG)["ytd"] == D(156000)
    assert_rollups_match(east, west)

    EnterpriseMonthlyValue.objects.get(enterprise=other_enterprise, period=AUG, is_current=True).delete()
    row = output_row(AUG)
    assert row["ytd"] == D(121000) and row["base"] == D(100000)
    assert_rollups_match(east, west)

    # A report for last year changes this year's comparable base.
    record_enterprise_value(data["silent"], output, AUG, month_value=D(500), ytd_value=D(7500))
    assert output_row(AUG)["base"] == D(108000)
    EnterpriseMonthlyValue.objects.filter(enterprise=owned_enterprise, period=AUG_2023).delete()
    assert output_row(AUG)["base"] == D(8000)
    assert_rollups_match(east, west)


def test_deferred_writes_are_summed_once_at_the_end(data, owned_enterprise, east, west):
    output = data["output"]
    with rollups.deferred():
        record_enterprise_value(owned_enterprise, output, SEP, month_value=D(1000), ytd_value=D(121000))
        assert output_row(SEP)["ytd"] is None  # not yet
    assert output_row(SEP)["ytd"] == D(121000)
    assert_rollups_match(east, west)


def test_an_import_keeps_them_equal(data, owned_enterprise, east, west):
    def upload(*rows, commit=True):
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(["统一社会信用代码", "企业名称", "规上工业总产值（1-9月累计）"])
        for row in rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        buffer.seek(0)
        return run_import(MonthlyImporter(period=SEP), buffer, "九月.xlsx", commit=commit)

    good = [owned_enterprise.uscc, owned_enterprise.name, 135000]  # new: month derived
    silent = data["silent"]
    result = upload(good, [silent.uscc, silent.name, 9000])  # no August to derive from
    assert [str(e) for e in result.errors] == [
        "第3行 规上工业总产值（1-9月累计）：缺少1–8月累计值，无法推算9月当月值，请填写当月值"
    ]
    assert not IndicatorRollup.objects.filter(period=SEP).exists()  # nothing written
    assert upload(good, commit=False).ok
    assert not IndicatorRollup.objects.filter(period=SEP).exists()  # a preview writes nothing

    result = upload(good)
    assert result.ok and result.committed
    row = output_row(SEP)
    assert (row["ytd"], row["month_value"]) == (D(135000), D(15000))
    assert_rollups_match(east, west)

    result = upload([owned_enterprise.uscc, owned_enterprise.name, 136000])  # a correction
    assert result.rows[0].status == "changed"
    assert output_row(SEP)["ytd"] == D(136000)
    assert_rollups_match(east, west)


def test_bulk_seeding_then_rebuild_and_a_move_between_zones(data, owned_enterprise, east, west):
    output = data["output"]
    extra = f.enterprise("西区新材料有限公司", zone_obj=west)
    EnterpriseMonthlyValue.objects.bulk_create(
        [
            EnterpriseMonthlyValue(enterprise=extra, indicator=output, period=p, month_value=D(10), ytd_value=D(v))
            for p, v in ((AUG_2023, 800), (AUG, 1000))
        ]
    )
    rollups.rebuild()
    assert output_row(AUG, west)["ytd"] == D(36000)
    assert_rollups_match(east, west)

    owned_enterprise.zone = west
    owned_enterprise.save()
    assert output_row(AUG, east)["ytd"] is None
    assert output_row(AUG, west)["ytd"] == D(156000)
    assert_rollups_match(east, west)


def test_the_grid_workers_cockpit_reads_only_its_zone(client, grid_worker, leader, data, east):
    client.force_login(grid_worker)
    card = next(c for c in cockpit_json(client.get(reverse("economy:cockpit"), {"period": "2024-08"}))["cards"]
                if c["code"] == "industrial_output")  # fmt: skip
    east_row = next(r for r in direct(AUG, east) if r["code"] == "industrial_output")
    assert card["ytd"] == 12.0 == float(east_row["ytd"]) / 10000
    assert card["growth"] == pytest.approx(0.2)

    client.force_login(leader)
    data_ = cockpit_json(client.get(reverse("economy:cockpit"), {"period": "2024-08"}))
    trend = next(t for t in data_["trends"] if t["code"] == "industrial_output")
    assert trend["this_year"][6:8] == [1.49, 1.9] and trend["last_year"][7] == 1.9
