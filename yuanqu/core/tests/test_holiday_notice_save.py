"""Storing a holiday notice: the page (paste → calendar → confirm → saved), the console
(``yuanqu workdays notice``), replacing a year that already has days, and the working-day
clock refusing a year until it is confirmed.

chinesecalendar 1.11 covers 2004–2026, so 2027 is the year only the notice can fill; its
notice in ``notices/2027_example.txt`` is invented for the tests (see the README there).
"""

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from yuanqu.cli import main
from yuanqu.core.holiday_notice import read_notice
from yuanqu.core.models import AuditEvent, CalendarDay, CalendarYear, ObjectChange
from yuanqu.core.workdays import CalendarMissing, add_workdays, deadline, workdays_between

D = datetime.date
NOTICES = Path(__file__).parent / "notices"
NOTICE_2027 = (NOTICES / "2027_example.txt").read_text(encoding="utf-8")
URL = "/calendar/notice/"

pytestmark = pytest.mark.django_db


def calendar_state():
    """Everything the notice may touch: the rows, the years, the change log, the audit."""
    return (
        list(CalendarDay.objects.values_list("date", "is_workday", "kind", "name", "notes")),
        list(CalendarYear.objects.values_list("year", "complete", "notes")),
        ObjectChange.objects.count(),
        AuditEvent.objects.filter(kind="import").count(),
    )


# --- the page ----------------------------------------------------------------------------------


def test_paste_preview_confirm_and_the_clock_counts_into_the_new_year(client, sysadmin):
    client.force_login(sysadmin)
    with pytest.raises(CalendarMissing):
        deadline(D(2026, 12, 28), 5)
    # The calendar page offers the notice page next to its red warning.
    listing = client.get(reverse("core:calendarday_list")).content.decode()
    assert f'href="{URL}"' in listing
    assert client.get(URL).status_code == 200

    before = calendar_state()
    preview = client.post(URL, {"text": NOTICE_2027, "preview": "1"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "读取结果：国务院办公厅关于2027年部分节假日安排的通知" in page
    assert '<b id="holiday-count">29</b>' in page and '<b id="workday-count">5</b>' in page
    assert page.count('class="notice-month"') == 12
    assert '<td class="holiday" title="2月5日 星期五 春节放假">5</td>' in page
    assert '<td class="workday" title="1月31日 星期日 春节上班">31</td>' in page
    assert "<td>2027-10-09</td><td>星期六</td><td>上班</td><td>国庆节</td>" in page
    assert "2027年尚未声明完整录入，涉及该年的办理期限目前无法计算；确认保存后即声明2027年已完整录入" in page
    # The preview stores nothing, and until the confirmation the clock still refuses.
    assert calendar_state() == before
    with pytest.raises(CalendarMissing):
        add_workdays(D(2026, 12, 31), 1)

    response = client.post(URL, {"text": NOTICE_2027, "year": "2027", "confirm": "1"})
    assert response.status_code == 302 and response.url == reverse("core:calendarday_list") + "?year=2027"
    days = CalendarDay.objects.filter(date__year=2027)
    assert days.filter(is_workday=False, kind="holiday").count() == 29
    assert list(days.filter(is_workday=True).values_list("date", "kind", "name")) == [
        (D(2027, 1, 31), "makeup_workday", "春节"),
        (D(2027, 2, 20), "makeup_workday", "春节"),
        (D(2027, 5, 8), "makeup_workday", "劳动节"),
        (D(2027, 9, 26), "makeup_workday", "国庆节"),
        (D(2027, 10, 9), "makeup_workday", "国庆节"),
    ]
    year = CalendarYear.objects.get(year=2027)
    assert year.complete and year.notes == "依据国务院办公厅关于2027年部分节假日安排的通知"
    changes = ObjectChange.objects.filter(
        content_type__model="calendarday", action="create", user_name="sysadmin"
    )
    assert changes.count() == 34
    assert ObjectChange.objects.get(content_type__model="calendaryear").action == "create"
    event = AuditEvent.objects.get(kind="import", user_name="sysadmin")
    assert "2027年" in event.detail and event.data["holidays"] == 29 and event.data["added"] == 34
    followed = client.get(response.url).content.decode()
    assert "已按通知保存2027年工作日历" in followed and "工作日历缺少2027年" not in followed

    # The clock now computes a deadline into 2027: 12-31 (Fri) + 1 skips 元旦 01-01…03.
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert deadline(D(2026, 12, 28), 5) == D(2027, 1, 5)
    # 2027-01-31 (Sun) is worked; 02-05…02-13 are off.
    assert add_workdays(D(2027, 1, 29), 1) == D(2027, 1, 31)
    assert add_workdays(D(2027, 2, 4), 1) == D(2027, 2, 15)
    # 10-01…10-07 off; 10-08 (Fri) and the make-up Saturday 10-09 worked.
    assert workdays_between(D(2027, 9, 30), D(2027, 10, 9)) == 2


def test_a_text_that_cannot_be_read_is_refused_with_the_reason_and_kept(client, sysadmin):
    client.force_login(sysadmin)
    bad = NOTICE_2027.replace("9月26日（周日）", "9月27日（周日）")
    before = calendar_state()
    for action in ("preview", "confirm"):
        response = client.post(URL, {"text": bad, action: "1"})
        page = response.content.decode()
        assert response.status_code == 200
        assert (
            "无法完整读取通知，未保存：第七项“国庆节”中的“9月27日”是2027年的星期一，通知写的是“周日”" in page
        )
        assert "9月27日（周日）、10月9日（周六）上班" in page  # the pasted text is kept in the box
        assert 'id="notice-preview"' not in page
        assert calendar_state() == before
    empty = client.post(URL, {"text": "", "preview": "1"}).content.decode()
    assert "请粘贴通知全文" in empty
    no_year = client.post(URL, {"text": "一、元旦：1月1日放假。", "year": "二〇二七"}).content.decode()
    assert "年份应为四位数字，如2027" in no_year and "一、元旦：1月1日放假。" in no_year
    assert calendar_state() == before


def test_repasting_a_year_shows_what_changes_and_replaces_it_on_confirmation(client, sysadmin):
    client.force_login(sysadmin)
    client.post(URL, {"text": NOTICE_2027, "confirm": "1"})
    # The zone's own adjustment on another day is kept; a hand-entered wrong holiday goes.
    CalendarDay.objects.create(date=D(2027, 7, 1), is_workday=False, kind="other", name="园区停电检修")
    CalendarDay.objects.create(date=D(2027, 4, 2), is_workday=False, kind="holiday", name="清明节")
    # The corrected notice: 劳动节 works on 4月25日 instead of 5月8日.
    corrected = NOTICE_2027.replace("5月8日（周六）上班", "4月25日（周日）上班")
    before = calendar_state()
    page = client.post(URL, {"text": corrected, "preview": "1"}).content.decode()
    assert "工作日历中已有2027年的日期，确认后将按本通知替换：" in page
    assert "新增1天，修改0天，删除2天，未变33天，保留其他调整1天" in page
    assert "新增 2027-04-25（星期日）：上班 · 劳动节" in page
    assert "删除 2027-05-08（星期六）：上班 · 劳动节（通知中没有这一天）" in page
    assert "删除 2027-04-02（星期五）：放假 · 清明节（通知中没有这一天）" in page
    assert "保留本园区的其他调整 2027-07-01（星期四）：其他调整 · 园区停电检修（休息）" in page
    assert "2027年已声明完整录入" in page
    assert calendar_state() == before

    changes_before = ObjectChange.objects.count()
    client.post(URL, {"text": corrected, "confirm": "1"})
    worked = CalendarDay.objects.filter(date__year=2027, is_workday=True).values_list("date", flat=True)
    assert D(2027, 4, 25) in worked and D(2027, 5, 8) not in worked
    assert not CalendarDay.objects.filter(date=D(2027, 4, 2)).exists()
    assert CalendarDay.objects.filter(date=D(2027, 7, 1), name="园区停电检修").exists()
    logged = ObjectChange.objects.order_by("pk")[changes_before:]
    assert sorted((c.action, c.object_repr) for c in logged) == [
        ("create", "2027-04-25 劳动节（上班）"),
        ("delete", "2027-04-02 清明节（休息）"),
        ("delete", "2027-05-08 劳动节（上班）"),
    ]
    assert sorted(c.message for c in logged) == [
        "依据国务院办公厅关于2027年部分节假日安排的通知",
        "依据国务院办公厅关于2027年部分节假日安排的通知删除",
        "依据国务院办公厅关于2027年部分节假日安排的通知删除",
    ]
    # Confirming the same notice again changes nothing and logs nothing.
    client.post(URL, {"text": corrected, "confirm": "1"})
    assert ObjectChange.objects.count() == changes_before + 3


def test_the_2026_notice_matches_the_seeded_calendar(client, sysadmin):
    client.force_login(sysadmin)
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8")
    page = client.post(URL, {"text": text, "preview": "1"}).content.decode()
    assert "新增0天，修改0天，删除0天，未变39天" in page and "通知与工作日历中的日期一致" in page


@pytest.mark.parametrize(
    "username", ["leader", "alice", "charlie", "grid_worker", "enterprise_user", "secadmin", "auditor"]
)
def test_only_who_manages_the_calendar_may_enter_a_notice(client, request, username):
    user = request.getfixturevalue(username)
    client.force_login(user)
    before = calendar_state()
    refused = client.get(URL)
    assert refused.status_code == 403 and "没有维护工作日历的权限" in refused.content.decode()
    assert client.post(URL, {"text": NOTICE_2027, "confirm": "1"}).status_code == 403
    assert calendar_state() == before
    # Whoever may open the calendar page is not offered the notice page there.
    listing = client.get(reverse("core:calendarday_list"))
    assert URL not in listing.content.decode()


def test_anonymous_users_are_sent_to_the_login_page(client):
    before = calendar_state()
    response = client.post(URL, {"text": NOTICE_2027, "confirm": "1"})
    assert response.status_code == 302 and response.url.startswith("/login/")
    assert calendar_state() == before


# --- the console -------------------------------------------------------------------------------


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_cli_prints_what_it_read_as_json_without_saving(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    before = calendar_state()
    out, _ = run("notice", str(path), "--json")
    data = json.loads(out)
    assert list(data) == ["year", "holidays", "workdays"]
    assert data["year"] == 2027
    assert data["holidays"][:4] == [
        {"date": "2027-01-01", "name": "元旦"},
        {"date": "2027-01-02", "name": "元旦"},
        {"date": "2027-01-03", "name": "元旦"},
        {"date": "2027-02-05", "name": "春节"},
    ]
    assert data["workdays"] == [
        {"date": "2027-01-31", "name": "春节"},
        {"date": "2027-02-20", "name": "春节"},
        {"date": "2027-05-08", "name": "劳动节"},
        {"date": "2027-09-26", "name": "国庆节"},
        {"date": "2027-10-09", "name": "国庆节"},
    ]
    assert [d["date"] for d in data["holidays"]] == sorted(d["date"] for d in data["holidays"])
    assert out.strip() == json.dumps(read_notice(NOTICE_2027).as_dict(), ensure_ascii=False)
    assert out.startswith('{"year": 2027, "holidays": [{"date": "2027-01-01", "name": "元旦"}, ')
    assert calendar_state() == before
    with pytest.raises(CalendarMissing):
        add_workdays(D(2026, 12, 31), 1)


def test_cli_year_option_and_gbk_files(tmp_path):
    body = NOTICE_2027.split("经国务院批准", 1)[1].replace("2027年", "")  # no title, no year
    path = tmp_path / "notice-gbk.txt"
    path.write_bytes(body.encode("gb18030"))
    out, _ = run("notice", str(path), "--year", "2027", "--json")
    assert json.loads(out) == read_notice(NOTICE_2027).as_dict()


def test_cli_save_stores_the_year_and_the_clock_counts(tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE_2027, encoding="utf-8")
    out, err = run("notice", str(path), "--json", "--save")
    assert json.loads(out)["year"] == 2027
    assert "已保存2027年工作日历并声明已完整录入：新增34天" in err
    assert CalendarYear.objects.get(year=2027).complete
    assert CalendarDay.objects.filter(date__year=2027).count() == 34
    assert ObjectChange.objects.filter(content_type__model="calendarday", source="cli").count() == 34
    assert AuditEvent.objects.get(kind="import", source="cli").data["year"] == 2027
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)


@pytest.mark.parametrize(
    ("text", "extra", "reason"),
    [
        (
            NOTICE_2027.replace("至7日（周四）", "至7日（周五）"),
            (),
            "第七项“国庆节”中的“7日”是2027年的星期四",
        ),
        ("一、元旦：1月1日放假。", (), "通知中没有读到年份"),
        ("一、元旦：1月1日放假。", ("--year", "二〇二七"), "年份“二〇二七”无效"),
    ],
)
def test_cli_refuses_a_text_it_cannot_read_whole_and_saves_nothing(tmp_path, text, extra, reason):
    path = tmp_path / "notice.txt"
    path.write_text(text, encoding="utf-8")
    before = calendar_state()
    with pytest.raises(CommandError) as refused:
        run("notice", str(path), "--save", *extra)
    assert reason in str(refused.value) and refused.value.returncode == 1
    assert calendar_state() == before


def test_cli_exit_status_and_stderr_as_the_console_script_runs_it(tmp_path, capsys):
    """``yuanqu workdays notice``: exit 1 and the Chinese reason on stderr, nothing on stdout."""
    path = tmp_path / "bad.txt"
    path.write_text("国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：放假1天。", encoding="utf-8")
    with pytest.raises(SystemExit) as exited:
        main(["workdays", "notice", str(path), "--json"])
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "无法完整读取通知，未保存：第一项“元旦”中没有读到放假日期" in err
    path.write_text(NOTICE_2027, encoding="utf-8")
    assert main(["workdays", "notice", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["year"] == 2027
