"""``yuanqu escalate [--date YYYY-MM-DD] [--dry-run]``: today's escalation of overdue demands.

Run it once a day from cron (see docs/user-guide/demands.md); running it again the same day
does nothing more.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError

from yuanqu.core.workdays import CalendarMissing
from yuanqu.demands.escalation import sweep


class Command(BaseCommand):
    help = "超期诉求督办：催办 → 督办单 → 通报，并通知承办部门和交办人（每日运行一次）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按该日期督办，格式 YYYY-MM-DD（默认今天）")
        parser.add_argument("--dry-run", action="store_true", help="只列出将要督办的诉求，不写入、不通知")

    def handle(self, date=None, dry_run=False, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"日期“{date}”格式不对，应为 YYYY-MM-DD，如 2024-10-09") from None
        try:
            steps = sweep(today, dry_run=dry_run)
        except CalendarMissing as exc:
            raise CommandError(str(exc)) from None
        for step in steps:
            again = "（重复）" if step.repeat else ""
            self.stdout.write(
                f"{step.demand.number} 超期{step.overdue}个工作日 {step.label}{again} · {step.demand.holder_display}"
            )
        verb = "将督办" if dry_run else "已督办"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {len(steps)} 件" + ("（试运行，未写入）" if dry_run else ""))
        )
