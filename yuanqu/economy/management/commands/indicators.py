"""``yuanqu indicators --period 2023-10 [--zone Z] [--json]``: every indicator's figures for a month."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from yuanqu.economy.services import as_json_row, describe, indicator_summary, parse_period
from yuanqu.users.models import Zone


class Command(BaseCommand):
    help = "按月输出各经济指标的当月值、累计值、同口径基数、增速、目标、完成率、序时进度和进度差"

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="月份，如 2023-10")
        parser.add_argument("--zone", help="片区名称、编码或编号（默认全园区）")
        parser.add_argument("--basis", choices=["months", "days"], default="months", help="序时进度口径")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options):
        try:
            period = parse_period(options["period"])
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        zone = None
        if options["zone"]:
            text = options["zone"].strip()
            match = Q(name=text) | Q(code=text) | (Q(pk=int(text)) if text.isdigit() else Q())
            zones = list(Zone.objects.filter(match)[:2])
            if len(zones) != 1:
                raise CommandError(f"片区“{text}”{'不存在' if not zones else '不唯一，请用编码或编号'}")
            zone = zones[0]
        rows = indicator_summary(period, zone, basis=options["basis"])
        if options["json"]:
            self.stdout.write(json.dumps([as_json_row(r) for r in rows], ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{describe(period)}{' · ' + str(zone) if zone else ''}")
        for row in rows:
            data = as_json_row(row)
            growth = "—" if data["growth"] is None else f"{data['growth'] * 100:.1f}%"
            ytd = "—" if data["ytd"] is None else f"{data['ytd']}{data['unit']}"
            line = f"{data['name']}：累计 {ytd}，同比 {growth}"
            if data["completion"] is not None:
                line += f"，完成 {data['completion'] * 100:.1f}%"
            if data["note"]:
                line += f"（{data['note']}）"
            self.stdout.write(line)
