"""``yuanqu targets --year 2026 --period 2026-10 [--json]``: the year's target sheet and how
each target stands at the end of the month."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yuanqu.targets.progress import as_json, sheet, stand
from yuanqu.utilities.periods import describe_ytd, parse_period, parse_year


class Command(BaseCommand):
    help = "输出某年度目标责任书中每项目标到某月的完成情况（完成率、序时进度、差距、亮灯）"

    def add_arguments(self, parser):
        parser.add_argument("--year", required=True, help="年度，如 2026")
        parser.add_argument("--period", help="月份，如 2026-10（默认该年12月）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        try:
            year = parse_year(options["year"])
            period = parse_period(options["period"] or f"{year}-12")
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        if period.year != year:
            raise CommandError(f"月份{period:%Y-%m}不在{year}年内")
        rows = [as_json(s) for s in stand(sheet(year), period)]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{year}年目标 · {describe_ytd(period)}")
        if not rows:
            self.stdout.write(f"{year}年尚未录入目标")
        for row in rows:
            self.stdout.write(_line(row))


def _line(row) -> str:
    growth = row["kind"] == "growth"

    def show(value):
        if value is None:
            return "—"
        return f"{value * 100:.1f}%" if growth else f"{value:,}{row['unit']}"

    parts = [f"{row['indicator']}：目标 {show(row['target'])}，完成 {show(row['actual'])}"]
    if row["completion"] is not None:
        parts.append(f"完成率 {row['completion'] * 100:.1f}%，序时进度 {row['time_progress'] * 100:.1f}%")
    light = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}.get(row["light"], "无法亮灯")
    parts.append(light)
    if row["note"]:
        parts.append(row["note"])
    return "，".join(parts)
