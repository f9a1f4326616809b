"""The target sheet's pages as each role uses them: the 目标责任书 of a year and month with its
lights, counts, department block and export; a target's page, form and reports; the light
bands edited as a set."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from yuanqu.core.models import AuditEvent
from yuanqu.economy.models import Indicator, ZoneMonthlyFigure
from yuanqu.figures.models import Unit
from yuanqu.targets.models import LightBand, Target, TargetReport
from yuanqu.utilities.concurrency import VERSION_FIELD, set_version
from yuanqu.utilities.periods import describe_ytd, last_complete_month
from yuanqu.utilities.testing.changes import assert_nothing_changed
from yuanqu.utilities.testing.views import OUTSIDE_GRANT_ERROR, form_post_data, xlsx_rows

pytestmark = pytest.mark.django_db
D = datetime.date
SHEET = reverse("targets:sheet")
SEPTEMBER = {"year": "2024", "month": "9"}


def make(name, value, unit="个", kind="total", **extra) -> Target:
    target = Target(
        year=2024, name=name, kind=kind, value=Decimal(str(value)), unit=Unit.objects.get(name=unit), **extra
    )
    target.full_clean()
    target.save()
    return target


@pytest.fixture
def plan(park, econ_dept, invest_dept):
    """2024's sheet at the end of September: GDP growth published at 8.8 % against 增长9%以上
    (经济发展局), 45 of 78 projects signed (招商局, reported), 8 of 10 亿元 of 民生支出
    (经济发展局, reported) and a safety target nobody has reported yet."""
    gdp = Indicator.objects.get(code="gdp")
    ZoneMonthlyFigure.objects.create(
        zone=park,
        indicator=gdp,
        period=D(2024, 9, 1),
        ytd_value=Decimal("310.5"),
        published_growth=Decimal("0.088"),
    )
    ZoneMonthlyFigure.objects.create(zone=park, indicator=gdp, period=D(2023, 9, 1), ytd_value=Decimal("280"))
    targets = {
        "gdp": make(
            "地区生产总值", 9, "%", kind="growth", figure="economy.gdp", department=econ_dept, order=1
        ),
        "projects": make("引进亿元以上项目", 78, department=invest_dept, order=2),
        "spending": make("民生支出", 10, "亿元", department=econ_dept, order=3),
        "accidents": make("较大安全事故", 2, "件", comparator="le", order=4),
    }
    TargetReport.objects.create(target=targets["projects"], period=D(2024, 9, 1), actual=Decimal(45))
    TargetReport.objects.create(target=targets["spending"], period=D(2024, 9, 1), actual=Decimal(8))
    return targets


def row_html(page: str, target: Target) -> str:
    start = page.index(f'<tr id="target-{target.pk}">')
    return page[start : page.index("</tr>", start)]


def open_sheet(client, user, **params):
    client.force_login(user)
    response = client.get(SHEET, {**SEPTEMBER, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_the_leader_reads_the_growth_target_against_growth(client, leader, plan):
    page = open_sheet(client, leader)
    assert "2024年目标责任书 · 2024年1–9月" in page
    gdp = row_html(page, plan["gdp"])
    assert "增长9%以上" in gdp and "8.8%" in gdp
    assert "低于目标0.2个百分点" in gdp
    assert "light-yellow" in gdp and "黄灯" in gdp
    assert "economy.gdp" in gdp and "经济发展局" in gdp
    assert "完成率" not in gdp  # growth is never a 完成率
    assert (
        f'<a href="{reverse("economy:indicator", args=[Indicator.objects.get(code="gdp").pk])}?period=2024-09">8.8%</a>'
        in gdp
    )
    assert gdp.count("低于目标0.2个百分点") == 1  # the gap is not repeated in 说明


def test_every_viewer_reads_the_same_progress_and_only_openers_get_the_link(client, inspector, plan):
    """The 督查室 may not open the economy's records: it still reads the sheet's progress,
    the committee's figure, without the link to the records behind it."""
    gdp = row_html(open_sheet(client, inspector), plan["gdp"])
    assert "8.8%" in gdp and "低于目标0.2个百分点" in gdp and "黄灯" in gdp
    assert reverse("economy:indicator", args=[Indicator.objects.get(code="gdp").pk]) not in gdp


def test_a_count_target_shows_its_completion_and_time_progress(client, leader, plan):
    page = open_sheet(client, leader)
    projects = row_html(page, plan["projects"])
    assert "78个" in projects and "45个" in projects
    assert "57.7%" in projects and "75.0%" in projects  # 45/78 done, 9/12 of the year gone
    assert "落后序时进度17.3个百分点" in projects and "light-red" in projects
    assert "责任单位填报" in projects
    spending = row_html(page, plan["spending"])
    assert "80.0%" in spending and "超序时进度5.0个百分点" in spending and "light-green" in spending
    accidents = row_html(page, plan["accidents"])
    assert "3件以内" not in accidents and "2件以内" in accidents
    assert "无法亮灯" in accidents and "责任单位尚未填报2024年9月完成情况" in accidents


def test_the_counts_and_the_department_block_show_who_lags(client, leader, plan, invest_dept):
    page = open_sheet(client, leader)
    assert "共 <strong>4</strong> 项目标" in page
    counts = page[page.index('id="light-counts"') : page.index("</p>", page.index('id="light-counts"'))]
    for label, count in (("绿灯", 1), ("黄灯", 1), ("红灯", 1), ("无法亮灯", 1)):
        assert f"{label} <strong>{count}</strong> 项" in counts
    block = page[page.index('id="department-summary"') :]
    # 招商局 with its red light heads the block, before 经济发展局 (one yellow, one green)
    assert block.index("招商局") < block.index("经济发展局") < block.index("未指定责任单位")
    # choosing a department narrows the table, not the block
    page = open_sheet(client, leader, department=str(invest_dept.pk))
    assert f'id="target-{plan["projects"].pk}"' in page
    assert f'id="target-{plan["gdp"].pk}"' not in page
    assert "经济发展局" in page[page.index('id="department-summary"') :]


def test_the_export_has_the_rows_of_the_page(client, leader, plan):
    open_sheet(client, leader)
    response = client.get(SHEET, {**SEPTEMBER, "export": "xlsx"})
    assert response.status_code == 200
    rows = xlsx_rows(response)
    assert rows[0][:6] == ["指标", "目标", "完成", "完成率", "序时进度", "差距"]
    assert [r[0] for r in rows[1:]] == ["地区生产总值", "引进亿元以上项目", "民生支出", "较大安全事故"]
    gdp = rows[1]
    assert gdp[1:3] == ["增长9%以上", "8.8%"] and gdp[5] == "低于目标0.2个百分点" and gdp[7] == "黄灯"
    assert rows[2][3:5] == ["57.7%", "75.0%"] and rows[2][8] == "招商局"
    event = AuditEvent.objects.get(kind="export")
    assert event.data["model"] == "targets.target" and event.data["rows"] == 4


def test_a_month_outside_the_year_or_a_bad_month_is_explained(client, leader, plan):
    page = open_sheet(client, leader, month="13")
    assert "月份“13”格式不对，应为1到12" in page
    page = open_sheet(client, leader, year="2024", month="")
    assert "2024年1–12月" in page  # a past year opens on December


def test_staff_see_the_whole_sheet_and_report_for_their_own_department(client, alice, charlie, plan):
    page = open_sheet(client, alice)
    assert all(f'id="target-{t.pk}"' in page for t in plan.values())
    assert (
        client.get(reverse("targets:target_add")).context["form"].initial["department"] == alice.department_id
    )
    own = client.get(reverse("targets:target", args=[plan["spending"].pk])).content.decode()
    assert "填报进度" in own and reverse("targets:target_edit", args=[plan["spending"].pk]) in own
    other = client.get(reverse("targets:target", args=[plan["projects"].pk])).content.decode()
    assert "填报进度" not in other and reverse("targets:target_edit", args=[plan["projects"].pk]) not in other
    # a report for 招商局's target is refused, and nothing is written
    data = {"target": plan["projects"].pk, "period": "2024-10", "actual": "50"}
    with assert_nothing_changed(TargetReport):
        response = client.post(reverse("targets:targetreport_add"), data)
    assert response.status_code == 200 and OUTSIDE_GRANT_ERROR in response.content.decode()
    # her own department's report goes in, and the sheet reads it
    data = {"target": plan["spending"].pk, "period": "2024-10", "actual": "8.6", "comments": "含省级专项"}
    response = client.post(reverse("targets:targetreport_add"), data)
    assert response.status_code == 302 and response["Location"] == plan["spending"].get_absolute_url()
    page = open_sheet(client, alice, month="10")
    assert "86.0%" in row_html(page, plan["spending"])
    # 招商局's staff see the sheet too, and report for their own target
    page = open_sheet(client, charlie)
    assert f'id="target-{plan["spending"].pk}"' in page
    charlie_page = client.get(reverse("targets:target", args=[plan["projects"].pk])).content.decode()
    assert "填报进度" in charlie_page


def test_the_inspector_maintains_the_sheet(client, inspector, plan):
    page = open_sheet(client, inspector)
    assert "新建目标" in page and "导出Excel" in page
    for url in ("targets:target_import", "targets:synonym_list", "targets:lightband_list"):
        assert f'href="{reverse(url)}"' in page
    page = client.get(reverse("targets:target", args=[plan["projects"].pk])).content.decode()
    assert "填报进度" in page and "修改" in page and "删除" in page


def test_an_enterprise_user_is_refused(client, enterprise_user, plan):
    client.force_login(enterprise_user)
    with assert_nothing_changed(Target, TargetReport):
        assert client.get(SHEET).status_code == 403
        assert client.get(SHEET, {"export": "xlsx"}).status_code == 403
        assert client.get(reverse("targets:target_list")).status_code == 403
        assert client.get(reverse("targets:target", args=[plan["gdp"].pk])).status_code == 404
    assert "目标管理" not in client.get("/").content.decode()


def test_the_menu_leads_to_the_sheet(client, leader):
    client.force_login(leader)
    page = client.get("/").content.decode()
    assert f'<a href="{SHEET}"' in page and "目标管理" in page


def test_the_target_page_shows_the_year_month_by_month(client, leader, plan):
    client.force_login(leader)
    url = reverse("targets:target", args=[plan["projects"].pk])
    page = client.get(url, {"period": "2024-09"}).content.decode()
    assert "2024年1–9月完成情况" in page
    months = page[page.index('id="by-month"') : page.index('id="reports"')]
    assert "1–12月" in months  # a past year: all twelve months
    assert months.count("责任单位尚未填报") == 8  # January to August had no report
    assert "57.7%" in months and "light-red" in months
    reports = page[page.index('id="reports"') :]
    assert "2024年9月" in reports and "45" in reports
    page = client.get(url, {"period": "2025-01"}).content.decode()
    assert "月份2025-01不在目标年度2024年内" in page


def test_the_target_form_offers_the_catalogue_and_a_reported_choice(client, inspector, econ_dept):
    client.force_login(inspector)
    page = client.get(reverse("targets:target_add")).content.decode()
    assert "填报指标（责任单位填报）" in page
    assert "economy.gdp — " in page
    units = Unit.objects.values_list("name", flat=True)
    assert all(f">{name}</option>" in page for name in ("亿元", "个", "%"))
    assert len(units) > 10
    data = {
        "year": "2024",
        "name": "处置三类土地",
        "figure": "",
        "kind": "total",
        "value": "1000",
        "unit": Unit.objects.get(name="亩").pk,
        "comparator": "ge",
        "department": econ_dept.pk,
        "order": "5",
        **{
            f"phasing_{m}": str(share)
            for m, share in enumerate([0, 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 1)
        },
    }
    response = client.post(reverse("targets:target_add"), data)
    assert response.status_code == 302
    target = Target.objects.get(name="处置三类土地")
    assert target.phasing == [0, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]
    assert target.stated() == "1000亩以上"
    page = client.get(target.get_absolute_url()).content.decode()
    assert "3月末10%" in page


def test_a_target_saved_unchanged_changes_nothing(client, inspector, plan):
    target = plan["projects"]
    target.phasing = [0.05, 0.1, 0.2, 0.3, 0.333333, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1]
    target.tolerance = Decimal("2.5")
    target.save()
    client.force_login(inspector)
    url = reverse("targets:target_edit", args=[target.pk])
    data = form_post_data(client.get(url).context["form"])
    assert data["phasing_5"] == "33.3333"
    with assert_nothing_changed(Target):
        response = client.post(url, data)
    assert response.status_code == 302


def test_a_bad_phasing_is_refused_naming_the_month(client, inspector, plan):
    target = plan["projects"]
    client.force_login(inspector)
    url = reverse("targets:target_edit", args=[target.pk])
    data = form_post_data(client.get(url).context["form"])
    shares = [10, 20, 30, 25, 50, 60, 70, 80, 90, 95, 100, 100]
    data.update({f"phasing_{m}": str(s) for m, s in enumerate(shares, 1)})
    with assert_nothing_changed(Target):
        response = client.post(url, data)
    assert "分月进度须逐月不减：4月末25%小于3月末30%" in response.content.decode()
    data.update({f"phasing_{m}": "" for m in range(1, 13)}, phasing_6="50")
    with assert_nothing_changed(Target):
        response = client.post(url, data)
    assert "分月进度须12个月都填写或都留空（按月均匀），缺少：1月、2月" in response.content.decode()


def test_a_report_outside_the_targets_year_is_refused(client, inspector, plan):
    client.force_login(inspector)
    url = reverse("targets:targetreport_add")
    page = client.get(url, {"target": plan["spending"].pk}).content.decode()
    assert 'type="month"' in page
    data = {"target": plan["spending"].pk, "period": "2025-01", "actual": "1"}
    with assert_nothing_changed(TargetReport):
        response = client.post(url, data)
    assert "月份应在目标年度2024年内" in response.content.decode()
    with assert_nothing_changed(TargetReport):
        response = client.post(url, {**data, "period": "2024年1月"})
    assert "月份“2024年1月”格式不对" in response.content.decode()


def test_a_report_is_corrected_and_deleted_from_the_targets_page(client, alice, plan):
    report = plan["spending"].reports.get()
    client.force_login(alice)
    page = client.get(plan["spending"].get_absolute_url()).content.decode()
    edit_url = reverse("targets:targetreport_edit", args=[report.pk])
    delete_url = reverse("targets:targetreport_delete", args=[report.pk])
    assert edit_url in page and delete_url in page
    data = form_post_data(client.get(edit_url).context["form"])
    assert data["period"] == "2024-09"
    with assert_nothing_changed(TargetReport):
        assert client.post(edit_url, data).status_code == 302  # saved unchanged
    assert client.post(edit_url, {**data, "actual": "7.5"}).status_code == 302
    report.refresh_from_db()
    assert report.actual == Decimal("7.5")
    response = client.post(delete_url)
    assert response.status_code == 302 and response["Location"] == plan["spending"].get_absolute_url()
    assert not TargetReport.objects.filter(pk=report.pk).exists()


def test_the_light_bands_are_edited_as_a_set(client, leader, plan):
    client.force_login(leader)
    page = client.get(reverse("targets:lightband_list")).content.decode()
    assert "增速目标（实际增速与目标之差，百分点）" in page and "总量目标" in page
    url = reverse("targets:lightband_edit", args=["growth"])
    formset = client.get(url).context["formset"]
    bands = list(LightBand.objects.filter(kind="growth"))
    data = {
        "form-TOTAL_FORMS": str(len(formset.forms)),
        "form-INITIAL_FORMS": str(len(bands)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        VERSION_FIELD: str(set_version(LightBand)),  # the page as opened now
    }
    for i, band in enumerate(bands):
        data.update({f"form-{i}-id": str(band.pk), f"form-{i}-light": band.light})
        data.update({f"form-{i}-lower": "" if band.lower is None else str(band.lower)})
        data.update({f"form-{i}-upper": "" if band.upper is None else str(band.upper)})
    # a gap between −1 and −0.5 is refused whole
    gap = {**data, "form-1-lower": "-0.5"}
    with assert_nothing_changed(LightBand):
        response = client.post(url, gap)
    assert "亮灯规则配置错误：[-1.00, -0.5)区间未覆盖" in response.content.decode()
    # yellow only from −0.1: the GDP target, 0.2 points short, turns red
    moved = {**data, "form-0-upper": "-0.1", "form-1-lower": "-0.1"}
    assert client.post(url, moved).status_code == 302
    assert "light-red" in row_html(open_sheet(client, leader), plan["gdp"])


def test_staff_see_the_bands_but_may_not_edit_them(client, alice):
    client.force_login(alice)
    page = client.get(reverse("targets:lightband_list")).content.decode()
    assert "修改规则" not in page
    with assert_nothing_changed(LightBand):
        assert client.get(reverse("targets:lightband_edit", args=["growth"])).status_code == 403


def test_the_sheet_opens_on_the_last_complete_month(client, inspector, econ_dept):
    month = last_complete_month()
    spending = make("民生支出", 12, "亿元", department=econ_dept)
    Target.objects.filter(pk=spending.pk).update(year=month.year)
    TargetReport.objects.create(target_id=spending.pk, period=month, actual=Decimal(month.month))
    client.force_login(inspector)
    page = client.get(SHEET).content.decode()
    assert f"{month.year}年目标责任书 · {describe_ytd(month)}" in page
    assert "与序时进度持平" in page  # a twelfth of the target for each month gone
    future = make("新增企业", 1200, "家", department=econ_dept)
    Target.objects.filter(pk=future.pk).update(year=month.year + 1)
    page = client.get(reverse("targets:target", args=[future.pk])).content.decode()
    assert f"{month.year + 1}年尚无已结束的月份" in page
