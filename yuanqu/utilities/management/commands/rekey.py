"""``yuanqu rekey [--dry-run]``: re-encrypt every encrypted personal-data field with the
current field key (``YUANQU_FIELD_KEY``) and the current algorithm, and recompute the blind
indexes — after the key has been rotated (the former key in ``YUANQU_FIELD_KEYS_OLD``) or the
database has moved to a build with SM4. One transaction; recorded as an audit event.

The change log keeps its tokens as written (its rows cannot be rewritten): an old key stays
in ``YUANQU_FIELD_KEYS_OLD`` as long as readers with ``view_personal`` should see those
values in clear; without it they see the mask (kept beside each token).
"""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from yuanqu.core.changelog import audit
from yuanqu.core.context import acting_as
from yuanqu.utilities.crypto import DecryptionError, default_algorithm, encrypt_column, encrypted_fields
from yuanqu.utilities.privacy import field_kind


class Dry(Exception):
    """Raised to roll the counting run back."""


class Command(BaseCommand):
    help = "用当前密钥（YUANQU_FIELD_KEY）重新加密全部个人信息字段并重算检索索引（更换密钥后运行）"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="只统计需重新加密的条数，不写入")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="数据库别名（默认 default）")

    def handle(self, *args, dry_run=False, database=DEFAULT_DB_ALIAS, **options):
        connection = connections[database]
        counts = {}
        try:
            with transaction.atomic(using=database):
                for model in apps.get_models():
                    for field, _index in encrypted_fields(model):
                        label = f"{model._meta.verbose_name}·{field.verbose_name}"
                        counts[label] = encrypt_column(
                            connection, model, field.name, field_kind(model, field.name)
                        )
                if dry_run:
                    raise Dry
                total = sum(counts.values())
                with acting_as(None, source="cli"):
                    audit(
                        "rekey",
                        detail=f"用当前密钥重新加密个人信息{total}条（{default_algorithm()}）",
                        data={"algorithm": default_algorithm(), "rows": counts},
                    )
        except Dry:
            pass
        except DecryptionError as exc:
            raise CommandError(f"{exc}；未做任何修改") from None
        verb = "需重新加密" if dry_run else "已重新加密"
        for label, count in counts.items():
            self.stdout.write(f"{label}：{verb} {count} 条")
        self.stdout.write(
            self.style.SUCCESS(f"共{verb} {sum(counts.values())} 条（算法 {default_algorithm()}）")
            + ("；未写入（--dry-run）" if dry_run else "")
        )
