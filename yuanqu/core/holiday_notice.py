"""Reading the State Council's yearly holiday notice (国务院办公厅关于20XX年部分节假日安排的通知).

``read_notice(text, year=None)`` returns a ``Notice``: the year, the holidays (every day the
notice gives off, with the item's Chinese name) and the workdays (every 调休 weekend day it
says is worked). The text is read item by item (“一、元旦：……”), sentence by sentence:

- a sentence that says 放假 or 补休 gives its dates off: single days (“1月1日放假”), ranges
  (“1月28日至2月4日”, “10月1日至8日” where the month is not repeated), lists (“、”);
- a sentence that says 上班 gives its dates as working days; each must be a Saturday or Sunday;
- a sentence with neither (“鼓励各单位……安排职工在除夕（2月9日）休息”) is prose and skipped;
- a weekday in brackets (“（星期日）”, “（周日）”, “（农历除夕、周二）”) must match the date;
- “共N天” / “放假N天” must match the days the sentence gives off.

Wordings of different years are accepted (放假调休 / 放假，与周末连休 / 补休, 星期日 / 周日,
dates with or without the weekday, Chinese or ASCII punctuation, explicit years such as
“2018年12月30日至2019年1月1日”). Anything that cannot be read whole raises
``NoticeError`` with a Chinese reason naming the item; nothing is guessed.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

WEEKDAYS = "一二三四五六日"
NUMERALS = "一二三四五六七八九十"

# An item header: “一、元旦：” at the start of a line or after a full stop.
ITEM_RE = re.compile(
    r"(?:^|(?<=[\n。.]))[ \t\u3000]*([一二三四五六七八九十]{1,3})[、.]\s*([^:\n。,()]{1,30}?)\s*:"
)
DATE_RE = re.compile(
    r"(?:(?P<y>\d{4})\s*年\s*)?(?:(?P<m>\d{1,2})\s*月\s*)?(?P<d>\d{1,2})\s*日(?:\s*\((?P<note>[^()]*)\))?"
)
RANGE_JOIN_RE = re.compile(r"\s*(?:至|到|~|—|–|-)\s*")
LIST_JOIN_RE = re.compile(r"\s*(?:、|和|及|,)?\s*")
WEEKDAY_RE = re.compile(r"(?:星期|周)([一二三四五六日天])")
COUNT_RE = re.compile(r"(?:共|放假)\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*天")
TITLE_YEAR_RES = [
    re.compile(r"(\d{4})\s*年\s*(?:部分)?节假日"),
    re.compile(r"现将\s*(\d{4})\s*年"),
]


class NoticeError(ValueError):
    """The notice cannot be read whole; the message says where, in Chinese."""


@dataclass(frozen=True, order=True)
class NoticeDay:
    date: datetime.date
    name: str


@dataclass
class Notice:
    year: int
    holidays: list[NoticeDay] = field(default_factory=list)
    workdays: list[NoticeDay] = field(default_factory=list)

    def as_dict(self) -> dict:
        """The console's JSON: ISO dates, sorted."""
        return {
            "year": self.year,
            "holidays": [{"date": d.date.isoformat(), "name": d.name} for d in self.holidays],
            "workdays": [{"date": d.date.isoformat(), "name": d.name} for d in self.workdays],
        }


def chinese_number(text: str) -> int:
    """1–99 written in Arabic or Chinese numerals (“3”, “三”, “十二”)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (NUMERALS.index(tens) + 1 if tens else 1) * 10 + (NUMERALS.index(ones) + 1 if ones else 0)
    return NUMERALS.index(text) + 1


def weekday_name(day: datetime.date) -> str:
    return "星期" + WEEKDAYS[day.weekday()]


def label(day: datetime.date) -> str:
    return f"{day.month}月{day.day}日（{weekday_name(day)}）"


def normalize(text: str) -> str:
    """Full-width forms to ASCII (digits, brackets, colons, commas); line ends unified."""
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")


def notice_year(text: str, year: int | None) -> int:
    found = {int(m.group(1)) for pattern in TITLE_YEAR_RES for m in pattern.finditer(text)}
    if len(found) > 1:
        years = "、".join(f"{y}年" for y in sorted(found))
        raise NoticeError(f"通知中出现了不同的年份（{years}），无法确定是哪一年的安排")
    if found:
        (read,) = found
        if year is not None and year != read:
            raise NoticeError(f"通知标题中的年份为{read}年，与指定的{year}年不一致")
        year = read
    if year is None:
        raise NoticeError(
            "通知中没有读到年份（如“关于2027年部分节假日安排的通知”），请一并粘贴标题或指定年份"
        )
    if not 2000 <= year <= 2100:
        raise NoticeError(f"年份{year}不在2000至2100年之间")
    return year


@dataclass
class Item:
    number: str
    name: str
    text: str

    @property
    def where(self) -> str:
        return f"第{self.number}项“{self.name}”"


def split_items(text: str) -> list[Item]:
    headers = list(ITEM_RE.finditer(text))
    items = []
    for i, header in enumerate(headers):
        end = headers[i + 1].start() if i + 1 < len(headers) else len(text)
        body = text[header.end() : end]
        # An item is one paragraph: what follows on the next lines (the closing paragraph,
        # the signature and its date) is not part of it.
        body = body.strip().split("\n", 1)[0]
        items.append(Item(header.group(1), re.sub(r"\s+", "", header.group(2)), body))
    return items


def read_dates(item: Item, clause: str, year: int) -> list[datetime.date]:
    """Every date a clause names, ranges expanded; month and year carry over from the date
    before (“10月1日至8日”, “2月2日、3日”)."""
    dates: list[datetime.date] = []
    previous: datetime.date | None = None
    range_start: datetime.date | None = None
    last_end = 0
    matches = list(DATE_RE.finditer(clause))
    for match in matches:
        between = clause[last_end : match.start()]
        is_range_end = previous is not None and last_end > 0 and RANGE_JOIN_RE.fullmatch(between) is not None
        written = match.group(0).split("(")[0].strip()
        y = int(match.group("y")) if match.group("y") else (previous.year if previous else year)
        if match.group("m"):
            m = int(match.group("m"))
        elif previous is not None:
            m = previous.month
        else:
            raise NoticeError(f"{item.where}中的日期“{written}”缺少月份")
        d = int(match.group("d"))
        try:
            day = datetime.date(y, m, d)
        except ValueError:
            raise NoticeError(f"{item.where}中的日期“{written}”不存在（{y}年）") from None
        if is_range_end and match.group("m") and not match.group("y") and m < previous.month:
            # “12月30日至1月1日”: the year turns within the range.
            try:
                day = datetime.date(y + 1, m, d)
            except ValueError:
                raise NoticeError(f"{item.where}中的日期“{written}”不存在（{y + 1}年）") from None
        check_weekday(item, day, written, match.group("note"))
        if is_range_end:
            start = range_start
            if day <= start:
                raise NoticeError(f"{item.where}中的日期范围“{clause.strip()}”结束日不晚于开始日")
            if (day - start).days > 31:
                raise NoticeError(f"{item.where}中的日期范围“{clause.strip()}”超过一个月，请核对日期")
            dates.extend(start + datetime.timedelta(days=i) for i in range(1, (day - start).days + 1))
        else:
            dates.append(day)
        range_start = day
        previous = day
        last_end = match.end()
    return dates


def check_weekday(item: Item, day: datetime.date, written: str, note: str | None) -> None:
    if not note:
        return
    found = WEEKDAY_RE.search(note)
    if found is None:
        return
    said = WEEKDAYS.index("日" if found.group(1) == "天" else found.group(1))
    if said != day.weekday():
        raise NoticeError(
            f"{item.where}中的“{written}”是{day.year}年的{weekday_name(day)}，通知写的是“{found.group(0)}”，请核对年份和日期"
        )


def clauses(sentence: str) -> list[str]:
    """The comma-separated parts of a sentence, commas inside brackets kept."""
    parts, depth, current = [], 0, []
    for char in sentence:
        depth += char == "("
        depth -= char == ")"
        if char in ",;" and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def read_item(item: Item, year: int) -> tuple[list[datetime.date], list[datetime.date]]:
    holidays: list[datetime.date] = []
    workdays: list[datetime.date] = []
    for sentence in re.split(r"[。.]", item.text):
        if not any(word in sentence for word in ("放假", "补休", "上班")):
            continue  # prose: 鼓励……休息, 与周末连休 on its own
        given_off: list[datetime.date] = []
        for clause in clauses(sentence):
            dates = read_dates(item, clause, year)
            if not dates:
                continue
            off = "放假" in clause or "补休" in clause
            work = "上班" in clause
            if off and work:
                raise NoticeError(f"{item.where}中的“{clause.strip()}”同时写了放假和上班，无法分开读取")
            if not off and not work:
                raise NoticeError(f"{item.where}中的“{clause.strip()}”有日期，但看不出是放假还是上班")
            if off:
                given_off.extend(dates)
            else:
                for day in dates:
                    if day.weekday() < 5:
                        raise NoticeError(
                            f"{item.where}中的上班日{label(day)}不是周末，不是调休上班日，请核对日期"
                        )
                workdays.extend(dates)
        count = COUNT_RE.search(sentence)
        if count is not None and given_off:
            said = chinese_number(count.group(1))
            if said != len(set(given_off)):
                raise NoticeError(
                    f"{item.where}写明{count.group(0)}，但读出的放假日期为{len(set(given_off))}天"
                    f"（{'、'.join(label(d) for d in sorted(set(given_off)))}），请核对日期"
                )
        holidays.extend(given_off)
    if not holidays:
        raise NoticeError(f"{item.where}中没有读到放假日期（应写明如“1月1日放假”）")
    return holidays, workdays


def read_notice(text: str, year: int | None = None) -> Notice:
    """The holidays and 调休 working days of a notice's text; ``NoticeError`` when it cannot
    be read whole. ``year`` is needed only when the text does not name it."""
    text = normalize(text or "")
    if not text.strip():
        raise NoticeError("通知内容为空，请粘贴国务院办公厅关于节假日安排的通知全文")
    year = notice_year(text, year)
    items = split_items(text)
    if not items:
        raise NoticeError("没有读到任何节假日条目（应为“一、元旦：1月1日放假……”这样的条目）")
    seen: dict[datetime.date, tuple[str, str]] = {}  # date → (item, 放假/上班)
    notice = Notice(year)
    for item in items:
        holidays, workdays = read_item(item, year)
        for kind, days, target in (("放假", holidays, notice.holidays), ("上班", workdays, notice.workdays)):
            for day in sorted(set(days)):
                if not year - 1 <= day.year <= year + 1:
                    raise NoticeError(
                        f"{item.where}中的{day.year}年{day.month}月{day.day}日不属于{year}年的安排"
                    )
                if day in seen:
                    other, other_kind = seen[day]
                    raise NoticeError(
                        f"{item.where}中的{label(day)}（{kind}）在{other}中已经出现（{other_kind}），同一天只能出现一次"
                    )
                seen[day] = (item.where, kind)
                target.append(NoticeDay(day, item.name))
    notice.holidays.sort()
    notice.workdays.sort()
    return notice


# --- storing what was read ------------------------------------------------------------------


def notice_title(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


def planned_rows(notice: Notice) -> dict[datetime.date, dict]:
    """The ``CalendarDay`` values the notice asks for, by date."""
    from .models import CalendarDay

    rows = {
        d.date: {"is_workday": False, "kind": CalendarDay.Kind.HOLIDAY, "name": d.name}
        for d in notice.holidays
    }
    rows.update(
        {
            d.date: {"is_workday": True, "kind": CalendarDay.Kind.MAKEUP_WORKDAY, "name": d.name}
            for d in notice.workdays
        }
    )
    return dict(sorted(rows.items()))


def describe(values) -> str:
    """“放假 · 春节” / “上班 · 春节” for a row or planned values."""
    get = values.get if isinstance(values, dict) else lambda key: getattr(values, key)
    state = "上班" if get("is_workday") else "放假"
    kind = get("kind")
    name = get("name") or ""
    if kind == "other":
        return f"其他调整 · {name}（{'上班' if get('is_workday') else '休息'}）"
    return f"{state} · {name}" if name else state


@dataclass
class DayChange:
    date: datetime.date
    before: str
    after: str

    @property
    def weekday(self) -> str:
        return weekday_name(self.date)


@dataclass
class NoticeChanges:
    """What saving the notice would do to the calendar as stored now."""

    year: int
    added: list[DayChange] = field(default_factory=list)
    changed: list[DayChange] = field(default_factory=list)
    removed: list[DayChange] = field(default_factory=list)
    kept: list[DayChange] = field(default_factory=list)  # the zone's own “其他调整” rows
    unchanged: int = 0
    year_confirmed: bool = False  # the year is already declared complete

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed) or not self.year_confirmed

    @property
    def replaces(self) -> bool:
        """The year already had days: the notice replaces them."""
        return bool(self.changed or self.removed or self.unchanged)

    def summary(self) -> str:
        parts = [f"新增{len(self.added)}天", f"修改{len(self.changed)}天", f"删除{len(self.removed)}天"]
        if self.unchanged:
            parts.append(f"未变{self.unchanged}天")
        if self.kept:
            parts.append(f"保留其他调整{len(self.kept)}天")
        return "，".join(parts)


def _existing(notice: Notice, queryset):
    """The stored rows the notice concerns: its whole year, and the days it names in the
    year before or after (元旦 across the new year)."""
    from django.db.models import Q

    planned = planned_rows(notice)
    return queryset.filter(Q(date__year=notice.year) | Q(date__in=list(planned))).order_by("date")


def notice_changes(notice: Notice, queryset=None) -> NoticeChanges:
    """Compare the notice with the stored calendar (``queryset``: the rows the caller may see)."""
    from .models import CalendarDay, CalendarYear

    queryset = queryset if queryset is not None else CalendarDay.objects.all()
    planned = planned_rows(notice)
    changes = NoticeChanges(
        notice.year, year_confirmed=CalendarYear.objects.filter(year=notice.year, complete=True).exists()
    )
    stored = {row.date: row for row in _existing(notice, queryset)}
    for day, values in planned.items():
        row = stored.get(day)
        if row is None:
            changes.added.append(DayChange(day, "", describe(values)))
        elif (row.is_workday, row.kind, row.name) != (values["is_workday"], values["kind"], values["name"]):
            changes.changed.append(DayChange(day, describe(row), describe(values)))
        else:
            changes.unchanged += 1
    for day, row in stored.items():
        if day in planned:
            continue
        target = changes.kept if row.kind == CalendarDay.Kind.OTHER else changes.removed
        target.append(DayChange(day, describe(row), "" if target is changes.removed else describe(row)))
    return changes


def save_notice(notice: Notice, *, request=None) -> NoticeChanges:
    """Store the notice: ``CalendarDay`` rows for its days (replacing the year's holidays and
    调休 days that it no longer names; the zone's own “其他调整” rows on other days are kept)
    and the year declared complete — in one transaction, each row through its model save
    (change log), with one audit event. Returns what changed."""
    from django.db import transaction

    from .changelog import audit
    from .models import CalendarDay, CalendarYear

    planned = planned_rows(notice)
    title = notice_title(notice.year)
    with transaction.atomic():
        changes = notice_changes(notice)
        stored = {row.date: row for row in _existing(notice, CalendarDay.objects.select_for_update())}
        for day, row in stored.items():
            if day not in planned and row.kind != CalendarDay.Kind.OTHER:
                row._change_message = f"依据{title}删除"
                row.delete()
        for day, values in planned.items():
            row = stored.get(day) or CalendarDay(date=day, notes=title[:200])
            if row.pk and (row.is_workday, row.kind, row.name) == tuple(values.values()):
                continue
            for key, value in values.items():
                setattr(row, key, value)
            row.full_clean()
            row._change_message = f"依据{title}"
            row.save()
        year_row = CalendarYear.objects.filter(year=notice.year).first() or CalendarYear(year=notice.year)
        if not year_row.complete or not year_row.pk or not year_row.notes:
            year_row.complete = True
            year_row.notes = year_row.notes or f"依据{title}"
            year_row.full_clean()
            year_row._change_message = f"依据{title}"
            year_row.save()
        audit(
            "import",
            detail=f"按{title}录入工作日历：{changes.summary()}",
            data={
                "source": "holiday_notice",
                "year": notice.year,
                "holidays": len(notice.holidays),
                "workdays": len(notice.workdays),
                "added": len(changes.added),
                "changed": len(changes.changed),
                "removed": len(changes.removed),
            },
            request=request,
        )
    return changes
