"""``yuanqu export monthly FILE --period 2023-10``: a month's enterprise reports in the layout
the monthly import reads, re-importable unchanged, audited, restricted to the --user."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from yuanqu.core.models import AuditEvent
from yuanqu.economy.importers import MonthlyImporter
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator
from yuanqu.economy.services import record_enterprise_value
from yuanqu.utilities.testing import factories as f

SEP = datetime.date(2023, 9, 1)
OCT = datetime.date(2023, 10, 1)


@pytest.fixture
def reports(owned_enterprise, other_enterprise, econ_dept, east):
    """September and October of three enterprises; one October value corrected once."""
    third = f.enterprise("东区电子有限公司", dept=econ_dept, zone_obj=east)
    output, revenue, profit, electricity = (
        Indicator.objects.get(code=code) for code in ("industrial_output", "revenue", "profit", "electricity")
    )
    data = {
        owned_enterprise: {output: ((D("120.5"), D("1100.25")), (D("133.57"), D("1233.82")))},
        other_enterprise: {
            output: ((D(900000), D("8000000.10")), (D("1234567.89"), D("9234567.99"))),
            profit: ((D(-50), D(-200)), (D(-12.5), D(-212.5))),
        },
        third: {
            revenue: ((D(40), D(380)), (D(42), D(422))),
            electricity: ((D("3.2"), D(30)), (D("3.4"), D("33.4"))),
        },
    }
    for enterprise, indicators in data.items():
        for indicator, (september, october) in indicators.items():
            for period, (month_value, ytd_value) in ((SEP, september), (OCT, october)):
                record_enterprise_value(
                    enterprise, indicator, period, month_value=month_value, ytd_value=ytd_value
                )
    record_enterprise_value(
        owned_enterprise, output, OCT, month_value=D("134.57"), ytd_value=D("1234.82"), reason="更正"
    )
    return owned_enterprise, other_enterprise, third


def export(path, *args):
    out = io.StringIO()
    call_command("export", "monthly", str(path), *args, stdout=out)
    return out.getvalue()


def sheet(path):
    rows = list(load_workbook(path, read_only=True).active.iter_rows(values_only=True))
    return list(rows[0]), {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_month_exports_in_the_import_layout_and_reimports_unchanged(tmp_path, reports):
    owned, other, third = reports
    path = tmp_path / "月报.xlsx"
    assert "已导出企业月报（2023年10月） 3 行" in export(path, "--period", "2023-10")

    header, rows = sheet(path)
    assert header == [c.header for c in MonthlyImporter(period=OCT).columns]
    assert header[:2] == ["统一社会信用代码", "企业名称"]
    assert "规上工业总产值（当月）" in header and "规上工业总产值（1-10月累计）" in header
    assert set(rows) == {owned.uscc, other.uscc, third.uscc}
    assert rows[owned.uscc]["企业名称"] == owned.name
    assert rows[owned.uscc]["规上工业总产值（1-10月累计）"] == pytest.approx(1234.82)  # the corrected version
    assert rows[other.uscc]["利润总额（当月）"] == pytest.approx(-12.5)
    assert rows[third.uscc]["规上工业总产值（当月）"] is None

    versions = EnterpriseMonthlyValue.objects.count()
    out = io.StringIO()
    call_command("import", "monthly", str(path), "--period", "2023-10", "--dry-run", stdout=out)
    assert "新增 0 行、修改 0 行、未变 3 行" in out.getvalue()
    call_command("import", "monthly", str(path), "--period", "2023-10", stdout=io.StringIO())
    assert EnterpriseMonthlyValue.objects.count() == versions  # nothing re-recorded

    event = AuditEvent.objects.get(kind="export")
    assert event.user_name == "命令行" and event.source == "cli"
    assert event.detail == "导出企业月报（2023年10月）3行（命令行）"
    assert event.data == {
        "model": "economy.enterprisemonthlyvalue", "rows": 3, "file": "月报.xlsx", "period": "2023-10"
    }  # fmt: skip


def test_user_exports_only_what_it_may_export(tmp_path, reports, alice, grid_worker, leader):
    owned, other, third = reports
    path = tmp_path / "本部门.xlsx"
    export(path, "--period", "2023-10", "--user", alice.username)  # staff: own department
    assert set(sheet(path)[1]) == {owned.uscc, third.uscc}
    assert AuditEvent.objects.get(kind="export").user_id == alice.pk

    export(path, "--period", "2023-10", "--user", leader.username)
    assert set(sheet(path)[1]) == {owned.uscc, other.uscc, third.uscc}

    with pytest.raises(CommandError, match="用户“grid”没有导出企业月报数据的权限"):
        export(tmp_path / "网格.xlsx", "--period", "2023-10", "--user", grid_worker.username)
    assert not (tmp_path / "网格.xlsx").exists()


def test_period_is_required_checked_and_refused_where_it_does_not_apply(tmp_path, reports):
    with pytest.raises(CommandError, match="导出类型“monthly”须用 --period 指定月份"):
        export(tmp_path / "a.xlsx")
    with pytest.raises(CommandError, match="月份“2023-13x”格式不对"):
        export(tmp_path / "a.xlsx", "--period", "2023-13x")
    with pytest.raises(CommandError, match="导出类型“enterprises”不按月份导出，不能使用 --period"):
        call_command("export", "enterprises", str(tmp_path / "b.xlsx"), "--period", "2023-10")
    assert not AuditEvent.objects.filter(kind="export").exists()
    assert not list(tmp_path.iterdir())

    # A month without reports: a file with the header only.
    export(tmp_path / "empty.xlsx", "--period", "2022-01")
    header, rows = sheet(tmp_path / "empty.xlsx")
    assert header[0] == "统一社会信用代码" and rows == {}
