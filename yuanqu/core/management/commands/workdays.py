"""``yuanqu workdays add DATE N`` and ``yuanqu workdays between A B``: the working-day clock
from the console (see ``yuanqu.core.workdays`` for how days are counted).

``yuanqu workdays notice FILE [--year 2027] [--json] [--save]`` reads the State Council's
holiday notice (``yuanqu.core.holiday_notice``): it prints what it read, and with ``--save``
stores it in the 工作日历 and declares the year complete. Exit status 1 with the reason when
the text cannot be read whole; nothing is stored then.
"""

import datetime
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.context import acting_as
from yuanqu.core.holiday_notice import NoticeError, notice_changes, read_notice, save_notice
from yuanqu.core.workdays import CalendarMissing, add_workdays, workdays_between


def parse_date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(f"日期“{value}”无效，应为YYYY-MM-DD格式的日期，如2024-09-27") from None


def parse_count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        count = -1
    if count < 0:
        raise CommandError(f"工作日数“{value}”无效，应为0或正整数")
    return count


def read_text(file: str) -> str:
    """The notice's text: UTF-8 (with or without BOM), else GB18030 as saved by Chinese Windows."""
    if file == "-":
        data = sys.stdin.buffer.read()
    else:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CommandError(f"文件“{file}”不是UTF-8或GBK编码的文本")


def parse_year(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"年份“{value}”无效，应为四位数字，如2027") from None


class Command(BaseCommand):
    help = (
        "按法定工作日（含调休）计算：add 日期 N —— N个工作日后的日期；between 日期A 日期B —— 两日之间的工作日数；"
        "notice 文件 —— 读取国务院办公厅节假日安排通知（--save 保存到工作日历）"
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,between,notice}")
        add = actions.add_parser("add", help="输出某日之后第N个工作日的日期（当日不计）")
        add.add_argument("date", help="起算日期，YYYY-MM-DD")
        add.add_argument("n", help="工作日数")
        between = actions.add_parser("between", help="输出两日之间的工作日数（起日不计，止日计入）")
        between.add_argument("start", help="起日，YYYY-MM-DD")
        between.add_argument("end", help="止日，YYYY-MM-DD")
        notice = actions.add_parser(
            "notice", help="读取国务院办公厅关于某年部分节假日安排的通知（文本文件，“-”为标准输入）"
        )
        notice.add_argument("file", help="通知全文的文本文件（UTF-8或GBK）")
        notice.add_argument("--year", help="通知所属年份（正文没有标题时需要）")
        notice.add_argument("--json", action="store_true", help="以JSON输出读取结果（日期为ISO格式）")
        notice.add_argument("--save", action="store_true", help="检查通过后保存到工作日历，并声明该年度已完整录入")

    def handle(self, action, **options):
        if action == "notice":
            return self.notice(options)
        try:
            if action == "add":
                result = add_workdays(parse_date(options["date"]), parse_count(options["n"]))
                self.stdout.write(result.isoformat())
            else:
                self.stdout.write(str(workdays_between(parse_date(options["start"]), parse_date(options["end"]))))
        except CalendarMissing as exc:
            raise CommandError(str(exc)) from None

    def notice(self, options):
        year = parse_year(options["year"]) if options.get("year") else None
        try:
            notice = read_notice(read_text(options["file"]), year)
        except NoticeError as exc:
            raise CommandError(f"无法完整读取通知，未保存：{exc}", returncode=1) from None
        if options["json"]:
            self.stdout.write(json.dumps(notice.as_dict(), ensure_ascii=False))
        else:
            self.stdout.write(f"{notice.year}年：放假{len(notice.holidays)}天，调休上班{len(notice.workdays)}天")
            for label, days in (("放假", notice.holidays), ("上班", notice.workdays)):
                for day in days:
                    self.stdout.write(f"{day.date.isoformat()} {label} {day.name}")
        if not options["save"]:
            if not options["json"]:
                self.stdout.write(f"未保存（与工作日历相比：{notice_changes(notice).summary()}；加 --save 保存）")
            return
        with acting_as(None, source="cli"):
            changes = save_notice(notice)
        message = f"已保存{notice.year}年工作日历并声明已完整录入：{changes.summary()}"
        # With --json, stdout stays the JSON alone.
        (self.stderr if options["json"] else self.stdout).write(self.style.SUCCESS(message))
