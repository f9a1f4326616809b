"""The enterprise portal (企业填报): the month's form, its own import and the months due."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.economy.models import EnterpriseMonthlyValue, Indicator, PeriodLock
from yuanqu.economy.portal import due_months
from yuanqu.economy.services import record_enterprise_value
from yuanqu.enterprises.models import ScaleRecord

YEAR = timezone.localdate().year - 1  # a year that has ended, whatever today is
OCTOBER = datetime.date(YEAR, 10, 1)
PERIOD = f"{YEAR}-10"


def indicator(code):
    return Indicator.objects.get(code=code)


def current(enterprise, code, period=OCTOBER):
    return EnterpriseMonthlyValue.objects.filter(
        enterprise=enterprise, indicator__code=code, period=period, is_current=True
    ).first()


def month_url(enterprise):
    return reverse("economy:portal_month", args=[enterprise.pk])


def snapshot():
    """What a refused request must leave as it was."""
    return (
        list(
            EnterpriseMonthlyValue.objects.order_by("pk").values_list(
                "pk", "version", "is_current", "ytd_value"
            )
        ),
        ObjectChange.objects.count(),
    )


@pytest.fixture
def industrial(owned_enterprise):
    """The enterprise is 规上工业 both years and reported 1–9月 this year (100 a month) and
    October a year earlier (80, 1–10月 800)."""
    for year in (YEAR - 1, YEAR):
        ScaleRecord.objects.create(enterprise=owned_enterprise, year=year, kind="industry")
    output = indicator("industrial_output")
    record_enterprise_value(
        owned_enterprise,
        output,
        datetime.date(YEAR - 1, 10, 1),
        month_value=Decimal(80),
        ytd_value=Decimal(800),
    )
    for month in range(1, 10):
        record_enterprise_value(
            owned_enterprise, output, datetime.date(YEAR, month, 1), month_value=Decimal(100)
        )
    return owned_enterprise


# --- the month's form ------------------------------------------------------------------------


@pytest.mark.django_db
def test_enterprise_user_sees_its_indicators_with_last_years_value(
    client, enterprise_user, industrial, other_enterprise
):
    client.force_login(enterprise_user)
    response = client.get("/portal/", {"period": PERIOD})
    assert response.status_code == 200
    page = response.content.decode()
    names = [row["indicator"].name for row in response.context["rows"]]
    assert names[0] == "规上工业总产值" and "用电量" in names  # 规上工业's indicators
    assert {"营业收入", "利润总额", "从业人员"} <= set(names)  # every enterprise's
    assert "建筑业总产值" not in names and "地区生产总值" not in names
    row = response.context["rows"][0]
    assert (row["last_month"], row["last_ytd"], row["base"]) == (80, 800, 900)
    assert 'data-base="900' in page  # the page adds the typed 当月值 to it as one types
    employees = next(r for r in response.context["rows"] if r["indicator"].code == "employees")
    assert employees["stock"] and employees["base"] is None and employees["ytd_field"] is None
    assert other_enterprise.name not in page


@pytest.mark.django_db
def test_saving_the_month_records_each_value_and_shows_the_ytd(client, enterprise_user, industrial):
    client.force_login(enterprise_user)
    response = client.post(
        "/portal/", {"period": PERIOD, "m_industrial_output": "120", "m_employees": "1,056", "m_revenue": ""}
    )
    assert response.status_code == 302 and response.url.endswith(f"?period={PERIOD}")
    output = current(industrial, "industrial_output")
    assert (output.month_value, output.ytd_value, output.version) == (120, 1020, 1)
    assert output.reported_by == enterprise_user
    people = current(industrial, "employees")
    assert (people.month_value, people.ytd_value) == (1056, 1056)  # a level: no 1–N月累计
    assert current(industrial, "revenue") is None
    page = client.get(response.url)
    assert "已保存" in page.content.decode()
    row = page.context["rows"][0]
    assert row["ytd"] == 1020 and "1,020" in page.content.decode()
    assert round(row["growth"], 1) == Decimal("27.5")  # 1020 / 800 − 1


@pytest.mark.django_db
def test_unchanged_save_writes_nothing(client, enterprise_user, industrial):
    client.force_login(enterprise_user)
    client.post("/portal/", {"period": PERIOD, "m_industrial_output": "120", "m_employees": "56"})
    before = snapshot()
    response = client.post(
        "/portal/", {"period": PERIOD, "m_industrial_output": "120.00", "m_employees": "56.0"}
    )
    assert response.status_code == 302
    assert snapshot() == before
    assert "没有改动" in client.get(response.url).content.decode()


@pytest.mark.django_db
def test_a_correction_needs_a_reason_and_becomes_a_new_version(client, enterprise_user, industrial):
    client.force_login(enterprise_user)
    client.post("/portal/", {"period": PERIOD, "m_industrial_output": "120"})
    before = snapshot()
    response = client.post("/portal/", {"period": PERIOD, "m_industrial_output": "130"})
    assert response.status_code == 200
    assert "修改已报数据（规上工业总产值）须填写更正原因" in response.context["form"].errors["reason"][0]
    assert 'value="130"' in response.content.decode()  # the input is kept
    assert snapshot() == before
    client.post("/portal/", {"period": PERIOD, "m_industrial_output": "130", "reason": "统计局反馈更正"})
    output = current(industrial, "industrial_output")
    assert (output.version, output.month_value, output.ytd_value, output.reason) == (
        2,
        130,
        1030,
        "统计局反馈更正",
    )
    assert EnterpriseMonthlyValue.objects.filter(enterprise=industrial, period=OCTOBER, version=1).exists()


@pytest.mark.django_db
def test_bad_figures_are_named_and_nothing_is_saved(client, enterprise_user, industrial):
    client.force_login(enterprise_user)
    before = snapshot()
    response = client.post(
        "/portal/", {"period": PERIOD, "m_industrial_output": "一百", "m_employees": "-3", "m_revenue": "50"}
    )
    errors = response.context["form"].errors
    assert errors["m_industrial_output"] == ["规上工业总产值应填写数字，如 500 或 1200.5"]
    assert errors["m_employees"] == ["从业人员不能为负数，实际为“-3”"]
    assert "未保存任何数据" in response.content.decode() and 'value="一百"' in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_a_missing_earlier_month_asks_for_the_ytd(client, enterprise_user, owned_enterprise):
    client.force_login(enterprise_user)  # nothing reported this year: 1–9月 are missing
    response = client.get("/portal/", {"period": PERIOD})
    revenue = next(r for r in response.context["rows"] if r["indicator"].code == "revenue")
    assert revenue["ytd_field"] is not None and revenue["missing"] == "1–9月"
    response = client.post("/portal/", {"period": PERIOD, "m_revenue": "50"})
    assert "缺少1月、2月" in response.context["form"].errors["y_revenue"][0]
    assert not EnterpriseMonthlyValue.objects.exists()
    client.post("/portal/", {"period": PERIOD, "m_revenue": "50", "y_revenue": "480"})
    value = current(owned_enterprise, "revenue")
    assert (value.month_value, value.ytd_value) == (50, 480)


@pytest.mark.django_db
def test_a_locked_month_is_refused(client, enterprise_user, industrial):
    PeriodLock.objects.create(period=OCTOBER)
    client.force_login(enterprise_user)
    page = client.get("/portal/", {"period": PERIOD}).content.decode()
    assert "已发布并锁定" in page and "disabled" in page
    before = snapshot()
    response = client.post("/portal/", {"period": PERIOD, "m_industrial_output": "120"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [f"{YEAR}年10月数据已发布并锁定，不能再新增或更正"]
    assert snapshot() == before


@pytest.mark.django_db
def test_another_enterprise_is_not_found_and_nothing_changes(
    client, enterprise_user, industrial, other_enterprise
):
    client.force_login(enterprise_user)
    before = snapshot()
    for url in (
        month_url(other_enterprise),
        reverse("economy:portal_import", args=[other_enterprise.pk]),
        reverse("economy:portal_import_template", args=[other_enterprise.pk]),
    ):
        assert client.get(url, {"period": PERIOD}).status_code == 404
    response = client.post(month_url(other_enterprise), {"period": PERIOD, "m_revenue": "99"})
    assert response.status_code == 404
    assert snapshot() == before
    assert not EnterpriseMonthlyValue.objects.filter(enterprise=other_enterprise).exists()
    assert client.get(month_url(industrial), {"period": PERIOD}).status_code == 200


@pytest.mark.django_db
def test_staff_fill_their_departments_enterprise_and_the_portal_is_for_enterprise_users(
    client, alice, charlie, industrial
):
    client.force_login(alice)
    assert client.get(month_url(industrial), {"period": PERIOD}).status_code == 200
    assert client.get("/portal/").status_code == 403
    client.force_login(charlie)  # another department: may see the enterprise, not report for it
    before = snapshot()
    assert client.get(month_url(industrial)).status_code == 403  # visible, not allowed (get_for_action)
    assert client.post(month_url(industrial), {"period": PERIOD, "m_revenue": "99"}).status_code == 403
    assert snapshot() == before


@pytest.mark.django_db
def test_a_month_not_yet_ended_cannot_be_chosen(client, enterprise_user, owned_enterprise):
    client.force_login(enterprise_user)
    this_month = timezone.localdate().replace(day=1)
    response = client.get("/portal/", {"period": f"{this_month:%Y-%m}"})
    assert "尚未结束" in response.context["period_error"]
    assert response.context["period"] < this_month


# --- the months due --------------------------------------------------------------------------


@pytest.mark.django_db
def test_months_due_are_listed_oldest_first_with_their_deadline(industrial):
    today = datetime.date(YEAR, 12, 3)
    # Reported the year before, so due from January; 1–9月 are in (规上工业总产值 only).
    due = due_months(industrial, today)
    assert [d.period.month for d in due] == [10, 11]
    october, november = due
    assert (october.deadline, october.overdue) == (datetime.date(YEAR, 11, 10), True)
    assert (november.deadline, november.overdue) == (datetime.date(YEAR, 12, 10), False)
    PeriodLock.objects.create(period=datetime.date(YEAR, 10, 1))  # no longer asked for
    record_enterprise_value(
        industrial, indicator("employees"), datetime.date(YEAR, 11, 1), month_value=Decimal(60)
    )
    assert due_months(industrial, today) == []


@pytest.mark.django_db
def test_a_new_enterprise_is_asked_for_the_last_month_only(owned_enterprise):
    due = due_months(owned_enterprise, datetime.date(YEAR, 12, 3))
    assert [d.period for d in due] == [datetime.date(YEAR, 11, 1)]


@pytest.mark.django_db
def test_the_start_page_reminds_the_enterprise_user_only(client, enterprise_user, alice, owned_enterprise):
    client.force_login(enterprise_user)
    page = client.get("/").content.decode()
    assert "月报填报提醒" in page and reverse("economy:portal_month", args=[owned_enterprise.pk]) in page
    client.force_login(alice)
    assert "月报填报提醒" not in client.get("/").content.decode()


# --- the enterprise's own import -------------------------------------------------------------


def xlsx(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = ["统一社会信用代码", "企业名称", "规上工业总产值（当月）", "规上工业总产值（1-10月累计）"]


@pytest.mark.django_db
def test_the_enterprise_imports_its_own_file(client, enterprise_user, industrial):
    client.force_login(enterprise_user)
    url = reverse("economy:portal_import", args=[industrial.pk])
    template = client.get(reverse("economy:portal_import_template", args=[industrial.pk]))
    sheet = load_workbook(io.BytesIO(template.content)).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == [industrial.uscc, industrial.name]
    assert sheet.max_row == 2
    file = SimpleUploadedFile("十月.xlsx", xlsx(HEADER, [[industrial.uscc, industrial.name, 120, 1020]]))
    preview = client.post(url, {"file": file, "period": PERIOD})
    assert [str(e) for e in preview.context["result"].errors] == []
    assert current(industrial, "industrial_output") is None  # a preview writes nothing
    done = client.post(url, {"confirm": "1", "token": preview.context["token"]})
    assert done.status_code == 302 and done.url == month_url(industrial)
    output = current(industrial, "industrial_output")
    assert (output.month_value, output.ytd_value, output.reported_by) == (120, 1020, enterprise_user)
    assert AuditEvent.objects.filter(kind="import", user_id=enterprise_user.pk).count() == 1


@pytest.mark.django_db
def test_a_row_of_another_enterprise_is_an_error_naming_the_row(
    client, enterprise_user, industrial, other_enterprise
):
    client.force_login(enterprise_user)
    before = snapshot()
    rows = [[industrial.uscc, "", 120, 1020], [other_enterprise.uscc, "", 5, 50]]
    file = SimpleUploadedFile("十月.xlsx", xlsx(HEADER, rows))
    response = client.post(
        reverse("economy:portal_import", args=[industrial.pk]), {"file": file, "period": PERIOD}
    )
    assert [str(e) for e in response.context["result"].errors] == [
        f"第3行 统一社会信用代码：这一行是“{other_enterprise.name}”的数据，此处只能导入本企业（{industrial.name}）的数据"
    ]
    assert response.context["token"] is None
    assert snapshot() == before
    assert AuditEvent.objects.filter(kind="import_rejected", user_id=enterprise_user.pk).exists()
