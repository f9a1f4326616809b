"""``yuanqu projects --period 2023-10 [--json]``: each key project's plan, YTD, completion,
time progress and light for a month."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yuanqu.projects.models import KeyProject
from yuanqu.projects.services import as_json_row, book
from yuanqu.utilities.periods import describe, parse_period


class Command(BaseCommand):
    help = "按月输出各重点项目的年度计划、累计完成投资、完成率、序时进度和亮灯"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="月份，如 2023-10")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        try:
            period = parse_period(options["period"])
            rows = [as_json_row(r) for r in book(KeyProject.objects.all(), period)]
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{describe(period)}重点项目 {len(rows)} 行")
        for row in rows:
            done = "—" if row["completion"] is None else f"{row['completion'] * 100:.1f}%"
            self.stdout.write(
                f"{row['code']} {row['name']}：计划 {row['annual_plan'] or '—'}万元，累计 {row['ytd']}万元，"
                f"完成 {done}，序时 {row['time_progress'] * 100:.1f}%，{row['light']}"
            )
