"""Reading the State Council's holiday notice: the 2024–2026 notices give exactly the official
calendar file's days; older wordings; texts that cannot be read whole are refused with the
item named. No database: the reader is plain functions.

The notices are fixture files in ``notices/`` (see its README); the calendar file is
``yuanqu/core/data/cn_workday_adjustments_2024_2026.csv`` (its source is in that folder's README).
"""

import csv
import datetime
import re
from pathlib import Path

import chinese_calendar
import pytest

from yuanqu.core.holiday_notice import NoticeError, read_notice

D = datetime.date
NOTICES = Path(__file__).parent / "notices"
CALENDAR_CSV = Path(__file__).parents[1] / "data" / "cn_workday_adjustments_2024_2026.csv"
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def notice_text(name: str) -> str:
    return (NOTICES / f"{name}.txt").read_text(encoding="utf-8")


def official_days(year: int) -> tuple[dict, dict]:
    """The calendar file's holidays and make-up working days of a year: date → Chinese name."""
    holidays, workdays = {}, {}
    with CALENDAR_CSV.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            day = D.fromisoformat(row["date"])
            if day.year != year:
                continue
            target = workdays if row["is_workday"] == "1" else holidays
            target[day] = NAMES[row["holiday_name"]]
    return holidays, workdays


def weekday_status(notice, day: datetime.date) -> bool:
    """Whether the day is worked on the notice's calendar (Monday to Friday otherwise)."""
    if day in {d.date for d in notice.holidays}:
        return False
    if day in {d.date for d in notice.workdays}:
        return True
    return day.weekday() < 5


# --- the 2024–2026 notices against the official calendar file ---------------------------------


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_each_notice_reads_exactly_to_the_official_calendar(year):
    notice = read_notice(notice_text(str(year)))
    holidays, workdays = official_days(year)
    assert notice.year == year
    assert [d.date for d in notice.holidays] == sorted(holidays)
    assert [d.date for d in notice.workdays] == sorted(workdays)
    # The name is the item's: “国庆节、中秋节” in one item names both festivals.
    for day in notice.holidays + notice.workdays:
        official = holidays.get(day.date) or workdays[day.date]
        assert official in day.name.split("、"), (day, official)


def test_the_2024_notice_item_by_item():
    notice = read_notice(notice_text("2024"))
    by_name = {}
    for day in notice.holidays:
        by_name.setdefault(day.name, []).append(day.date)
    assert by_name["元旦"] == [D(2024, 1, 1)]  # “1月1日放假，与周末连休”: the one day
    assert by_name["春节"] == [D(2024, 2, 10) + datetime.timedelta(days=i) for i in range(8)]
    assert D(2024, 2, 9) not in by_name["春节"]  # 除夕 is only “encouraged”, not given off
    assert [(d.date, d.name) for d in notice.workdays[:2]] == [
        (D(2024, 2, 4), "春节"),
        (D(2024, 2, 18), "春节"),
    ]


def test_the_2025_combined_item_and_a_range_across_months():
    notice = read_notice(notice_text("2025"))
    spring = [d.date for d in notice.holidays if d.name == "春节"]
    assert spring[0] == D(2025, 1, 28) and spring[-1] == D(2025, 2, 4) and len(spring) == 8
    dragon_boat = [d.date for d in notice.holidays if d.name == "端午节"]
    assert dragon_boat == [D(2025, 5, 31), D(2025, 6, 1), D(2025, 6, 2)]
    combined = [d.date for d in notice.holidays if d.name == "国庆节、中秋节"]
    assert combined == [D(2025, 10, 1) + datetime.timedelta(days=i) for i in range(8)]
    assert [d.date for d in notice.workdays if d.name == "国庆节、中秋节"] == [
        D(2025, 9, 28),
        D(2025, 10, 11),
    ]


def test_ascii_punctuation_full_width_digits_and_no_weekdays_read_the_same():
    text = notice_text("2026")
    ascii_text = (
        text.replace("，", ",").replace("：", ":").replace("（", "(").replace("）", ")").replace("。", ". ")
    )
    full_width_digits = text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    no_weekdays = re.sub(r"（[^）]*周[一二三四五六日]）", "", text)
    assert "(周日)" in ascii_text and "（" not in no_weekdays.split("一、")[1]
    expected = read_notice(text).as_dict()
    for variant in (ascii_text, full_width_digits, no_weekdays):
        assert read_notice(variant).as_dict() == expected


# --- older wordings ---------------------------------------------------------------------------


def test_2015_wording_with_buxiu_and_xingqi():
    notice = read_notice(notice_text("2015"))
    holidays = {d.date: d.name for d in notice.holidays}
    # “4月5日放假，4月6日（星期一）补休”: both days off.
    assert holidays[D(2015, 4, 5)] == "清明节" and holidays[D(2015, 4, 6)] == "清明节"
    assert holidays[D(2015, 6, 20)] == "端午节" and holidays[D(2015, 6, 22)] == "端午节"
    assert D(2015, 6, 21) not in holidays  # a Sunday, not named by the notice
    assert [d.date for d in notice.workdays] == [
        D(2015, 1, 4),
        D(2015, 2, 15),
        D(2015, 2, 28),
        D(2015, 10, 10),
    ]
    # Every day of the year works as chinesecalendar says, but September: the 抗战胜利
    # 70周年 days were given by a separate notice.
    day = D(2015, 1, 1)
    while day.year == 2015:
        if day.month != 9:
            assert weekday_status(notice, day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_2019_wording_with_explicit_years_across_the_new_year():
    notice = read_notice(notice_text("2019"))
    assert notice.year == 2019
    assert [d.date for d in notice.holidays[:3]] == [D(2018, 12, 30), D(2018, 12, 31), D(2019, 1, 1)]
    assert notice.workdays[0].date == D(2018, 12, 29) and notice.workdays[0].name == "元旦"
    assert D(2019, 5, 1) in {d.date for d in notice.holidays}
    # The same calendar as chinesecalendar, but for 劳动节, changed by a later notice.
    day = D(2018, 12, 29)
    while day.year <= 2019:
        if day.month not in (4, 5):
            assert weekday_status(notice, day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_2020_wording_month_not_repeated_and_combined_festivals():
    notice = read_notice(notice_text("2020"))
    combined = [d.date for d in notice.holidays if d.name == "国庆节、中秋节"]
    assert combined == [D(2020, 10, 1) + datetime.timedelta(days=i) for i in range(8)]  # “10月1日至8日”
    assert [d.date for d in notice.workdays if d.name == "端午节"] == [D(2020, 6, 28)]
    day = D(2020, 3, 1)  # the Spring Festival was extended by a later notice
    while day.year == 2020:
        assert weekday_status(notice, day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_zhouri_and_a_year_given_when_the_text_has_no_title():
    text = "一、中秋节：9月12日（周六）至13日放假，共2天。\n二、国庆节：10月1日至7日放假调休，共7天。9月27日（周日）上班。"
    notice = read_notice(text, year=2020)
    assert notice.as_dict() == {
        "year": 2020,
        "holidays": [{"date": "2020-09-12", "name": "中秋节"}, {"date": "2020-09-13", "name": "中秋节"}]
        + [{"date": f"2020-10-0{i}", "name": "国庆节"} for i in range(1, 8)],
        "workdays": [{"date": "2020-09-27", "name": "国庆节"}],
    }


def test_2008_wording_with_a_sentence_that_only_explains_the_days():
    """“其中……为法定节假日……照常公休……调休” names days already given off: read once."""
    text = (
        "国务院办公厅关于2008年部分节假日安排的通知\n"
        "二、春节：2月6日至12日放假，共7天。其中，2月6日（除夕）、2月7日（正月初一）、2月8日（正月初二）为法定节假日，"
        "2月9日（星期六）、2月10日（星期日）照常公休；2月11日（星期一）、2月12日（星期二）2天调休。"
        "2月2日（星期六）、2月3日（星期日）2天上班。"
    )
    notice = read_notice(text)
    assert [d.date for d in notice.holidays] == [D(2008, 2, 6) + datetime.timedelta(days=i) for i in range(7)]
    assert [d.date for d in notice.workdays] == [D(2008, 2, 2), D(2008, 2, 3)]
    day = D(2008, 1, 28)
    while day <= D(2008, 2, 17):
        assert weekday_status(notice, day) == chinese_calendar.is_workday(day), day
        day += datetime.timedelta(days=1)


def test_a_notice_pasted_as_one_line_reads_the_same():
    text = notice_text("2024")
    assert read_notice(text.replace("\n", "")).as_dict() == read_notice(text).as_dict()


# --- texts that cannot be read whole ------------------------------------------------------------


TITLE = "国务院办公厅关于2027年部分节假日安排的通知\n"


@pytest.mark.parametrize(
    ("text", "year", "reason"),
    [
        ("", None, "通知内容为空"),
        ("一、元旦：1月1日放假。", None, "通知中没有读到年份"),
        (TITLE + "经国务院批准，现将2027年元旦放假安排通知如下。", None, "没有读到任何节假日条目"),
        (TITLE + "一、元旦：放假1天。", None, "第一项“元旦”中没有读到放假日期"),
        (
            TITLE + "一、元旦：1月1日放假。\n二、春节：2月30日至3月2日放假调休，共3天。",
            None,
            "第二项“春节”中的日期“2月30日”不存在",
        ),
        (
            TITLE + "一、国庆节：10月1日至7日放假调休，共7天。10月8日（星期五）上班。",
            None,
            "第一项“国庆节”中的上班日10月8日（星期五）不是周末",
        ),
        (
            TITLE + "一、国庆节：10月1日至7日放假调休，共7天。9月26日（周六）上班。",
            None,
            "“9月26日”是2027年的星期日，通知写的是“周六”",
        ),
        (
            TITLE + "一、春节：2月5日至13日放假调休，共8天。",
            None,
            "第一项“春节”写明共8天，但读出的放假日期为9天",
        ),
        (
            TITLE + "一、元旦：1月1日放假。\n二、春节：放假日期另行通知。",
            None,
            "第二项“春节”中没有读到放假日期",
        ),
        (
            TITLE + "一、春节：2月5日，2月6日至13日放假调休。",
            None,
            "第一项“春节”中的“2月5日”有日期，但看不出是放假还是上班",
        ),
        (TITLE + "一、元旦：3日放假。", None, "第一项“元旦”中的日期“3日”缺少月份"),
        (
            TITLE + "一、元旦：1月1日放假。\n二、春节：1月1日放假。",
            None,
            "第二项“春节”中的1月1日（星期五）（放假）在第一项“元旦”中已经出现",
        ),
        (TITLE + "一、元旦：1月1日放假。", 2028, "通知标题中的年份为2027年，与指定的2028年不一致"),
        (TITLE + "一、国庆节：10月7日至1日放假。", None, "结束日不晚于开始日"),
    ],
)
def test_a_text_that_cannot_be_read_whole_is_refused_with_the_item_named(text, year, reason):
    with pytest.raises(NoticeError) as refused:
        read_notice(text, year)
    assert reason in str(refused.value)


def test_a_wrong_weekday_in_a_real_notice_names_the_item():
    text = notice_text("2026").replace("2月14日（周六）", "2月13日（周六）")
    with pytest.raises(NoticeError, match="第二项“春节”中的“2月13日”是2026年的星期五，通知写的是“周六”"):
        read_notice(text)
