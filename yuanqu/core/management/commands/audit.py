"""``yuanqu audit verify [--json]``: walk the audit trail's hash chain (``core.chain``) and
report the first broken link of each table; exit 1 when one is broken.

``yuanqu audit purge --before DATE [--dry-run]``: remove change records and audit events
older than DATE, which must be at least 180 days ago (the database refuses younger rows
too); the purge is itself an audit event carrying the last removed link of each table, from
which ``verify`` then starts. Run it as the database login that owns the audit tables.
"""

import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from yuanqu.core import chain
from yuanqu.core.changelog import audit
from yuanqu.core.context import acting_as
from yuanqu.core.models import AuditEvent, ObjectChange

MODELS = (ObjectChange, AuditEvent)
LABELS = {"core_objectchange": "变更记录", "core_auditevent": "安全与数据事件"}


class Command(BaseCommand):
    help = "审计记录：校验哈希链（verify），清理保存期满的记录（purge）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="逐条校验审计记录的哈希链")
        verify.add_argument("--json", action="store_true", help="以JSON输出")
        purge = sub.add_parser("purge", help="删除某日期之前、保存已满180天的审计记录")
        purge.add_argument("--before", required=True, help="删除此日期（不含）之前的记录，YYYY-MM-DD")
        purge.add_argument("--dry-run", action="store_true", help="只统计，不删除")

    def handle(self, *args, **options):
        if options["action"] == "verify":
            return self.verify(options["json"])
        return self.purge(options["before"], options["dry_run"])

    def verify(self, as_json):
        results = []
        for model in MODELS:
            checked, broken = chain.verify(model)
            results.append((model._meta.db_table, checked, broken))
        if as_json:
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "table": table,
                            "checked": checked,
                            "intact": broken is None,
                            "first_broken": None
                            if broken is None
                            else {"id": broken.id, "time": broken.time.isoformat() if broken.time else None,
                                  "reason": broken.reason},
                        }
                        for table, checked, broken in results
                    ],
                    ensure_ascii=False,
                )
            )  # fmt: skip
        else:
            for table, checked, broken in results:
                if broken is None:
                    self.stdout.write(f"{LABELS[table]}：{checked}条，哈希链完整。")
                else:
                    self.stdout.write(f"{LABELS[table]}：第一处断链在{broken}；之前{checked}条完整。")
        if any(broken for _, _, broken in results):
            raise SystemExit(1)

    def purge(self, before, dry_run):
        try:
            day = datetime.date.fromisoformat(before)
        except ValueError:
            raise CommandError(f"日期“{before}”无效，应为YYYY-MM-DD格式") from None
        limit = timezone.localdate() - datetime.timedelta(days=chain.RETENTION_DAYS)
        if day > limit:
            raise CommandError(
                f"审计记录至少保存{chain.RETENTION_DAYS}天：只能清理{limit:%Y-%m-%d}（含）之前的记录，"
                f"“{day:%Y-%m-%d}”太近"
            )
        cutoff = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
        data, total = {}, 0
        earlier = chain.anchors()
        with transaction.atomic():
            for model in MODELS:
                old = model.objects.filter(time__lt=cutoff)
                count = old.count()
                last = old.order_by("-id").values_list("id", "chain").first()
                if last is None:
                    if model._meta.db_table in earlier:  # an earlier purge's start stays the start
                        data[model._meta.db_table] = {"anchor": earlier[model._meta.db_table]}
                    continue
                # the chain runs in id order: only a prefix can go, or verify would break
                kept_before = model.objects.filter(id__lt=last[0], time__gte=cutoff).exists()
                if kept_before:
                    raise CommandError(
                        f"{LABELS[model._meta.db_table]}中有早于该日期的记录排在较新记录之后，不能截断"
                    )
                data[model._meta.db_table] = {"anchor": last[1], "last_id": last[0], "count": count}
                total += count
                if not dry_run:
                    with connection.cursor() as cursor:
                        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id <= %s", [last[0]])
            if dry_run:
                self.stdout.write(f"将删除{total}条{day:%Y-%m-%d}之前的审计记录（未删除）。")
                return
            if total:
                data["before"] = day.isoformat()
                with acting_as(None, source="cli"):
                    audit("audit_purge", detail=f"清理{day:%Y-%m-%d}之前的审计记录{total}条", data=data)
        self.stdout.write(f"已删除{total}条{day:%Y-%m-%d}之前的审计记录。")
