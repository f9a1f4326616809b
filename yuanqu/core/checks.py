"""Deployment checks of the audit trail (``yuanqu check --deploy``)."""

from django.core.checks import Tags, Warning, register
from django.db import connection

from .dbguard import TABLES


@register(Tags.security, deploy=True)
def audit_tables_not_owned_by_the_application(app_configs=None, **kwargs):
    """On PostgreSQL the application's login should only INSERT and SELECT the audit tables:
    an owner can lift their triggers. See docs/deployment.md (two roles)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE tablename = ANY(%s) AND tableowner = current_user",
            [TABLES],
        )
        owned = sorted(row[0] for row in cursor.fetchall())
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        superuser = bool(cursor.fetchone()[0])
    if not owned and not superuser:
        return []
    who = "超级用户" if superuser else "这些表的所有者"
    return [
        Warning(
            f"应用的数据库账号是{who}（{', '.join(owned) or '审计表'}）：它能停用审计表的触发器、改写审计记录。"
            "生产环境请用两个账号：迁移账号拥有表，应用账号对审计表只有INSERT和SELECT权限（见 docs/deployment.md）。",
            id="yuanqu.W001",
        )
    ]
