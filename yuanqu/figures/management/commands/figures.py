"""``yuanqu figures --period 2026-10 [--scope 片区名] [--json]``: every figure of the catalogue."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from yuanqu.figures.catalogue import Query, as_json, evaluate, figures
from yuanqu.figures.scopes import ScopeError, find_scope
from yuanqu.utilities.periods import parse_period


class Command(BaseCommand):
    help = "输出数据目录中每个数据项在某月（1–N月累计）的值、上年同期值和增速"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="月份，如 2026-10")
        parser.add_argument("--scope", help="片区、部门或产业链名称（默认全园区）")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        try:
            period = parse_period(options["period"])
            scope, target = find_scope(options["scope"])
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        except ScopeError as exc:
            raise CommandError(str(exc)) from None
        query = Query(period, scope, target)
        rows = [as_json(f, query, evaluate(f, query)) for f in figures().values()]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        self.stdout.write(query.describe())
        for row in rows:
            if row["value"] is None:
                self.stdout.write(f"{row['name']}：—（{row['note']}）")
                continue
            value = f"{row['value']:,}{row['unit']}"
            growth = "" if row["growth"] is None else f"，同比 {row['growth'] * 100:.1f}%"
            self.stdout.write(f"{row['name']}：{value}{growth}")
