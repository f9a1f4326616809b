"""``yuanqu workdays add DATE N`` and ``yuanqu workdays between A B``: the working-day clock
from the console (see ``yuanqu.core.workdays`` for how days are counted)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

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


class Command(BaseCommand):
    help = "按法定工作日（含调休）计算：add 日期 N —— N个工作日后的日期；between 日期A 日期B —— 两日之间的工作日数"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{add,between}")
        add = actions.add_parser("add", help="输出某日之后第N个工作日的日期（当日不计）")
        add.add_argument("date", help="起算日期，YYYY-MM-DD")
        add.add_argument("n", help="工作日数")
        between = actions.add_parser("between", help="输出两日之间的工作日数（起日不计，止日计入）")
        between.add_argument("start", help="起日，YYYY-MM-DD")
        between.add_argument("end", help="止日，YYYY-MM-DD")

    def handle(self, action, **options):
        try:
            if action == "add":
                result = add_workdays(parse_date(options["date"]), parse_count(options["n"]))
                self.stdout.write(result.isoformat())
            else:
                self.stdout.write(str(workdays_between(parse_date(options["start"]), parse_date(options["end"]))))
        except CalendarMissing as exc:
            raise CommandError(str(exc)) from None
