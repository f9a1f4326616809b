"""The audit trail's hash chain (``core.chain``): a ``chain`` link on every change record
and audit event, the chain heads, the time the database's, and the triggers of
``core.dbguard`` in their new form (deletes only past the retention, no back-dated rows).

Existing rows are linked in id order. It runs after the migrations that write audit rows
(economy 0006, targets 0003); a later migration that writes audit rows links them with
``core.chain.link_rows``."""

from django.db import migrations, models

from yuanqu.core.dbguard import create_triggers, drop_triggers

TABLES = ("ObjectChange", "AuditEvent")


def link_existing(apps, schema_editor):
    from yuanqu.core import chain

    connection = schema_editor.connection
    drop_triggers(connection)
    for name in TABLES:
        model = apps.get_model("core", name)
        fields = [f for f in model._meta.concrete_fields if f.name not in ("id", "chain")]
        previous, last_id, count = chain.GENESIS, 0, 0
        while True:
            rows = list(
                model.objects.filter(id__gt=last_id)
                .order_by("id")
                .values_list("id", *[f.attname for f in fields])[:5000]
            )
            if not rows:
                break
            updates = []
            for row in rows:
                values = dict(zip([f.attname for f in fields], row[1:], strict=True))
                previous = chain.digest(model, values, previous)
                updates.append((previous, row[0]))
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {model._meta.db_table} SET chain = %s WHERE id = %s", updates)
            last_id, count = rows[-1][0], count + len(rows)
        apps.get_model("core", "AuditChain").objects.create(
            name=model._meta.db_table, last_hash=previous, length=count
        )
    create_triggers(connection)


def unlink(apps, schema_editor):
    drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_seed_calendar"),
        ("economy", "0007_remove_annual_target"),
        ("targets", "0003_from_economy_annual_targets"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("name", models.CharField(max_length=63, primary_key=True, serialize=False)),
                ("last_hash", models.CharField(max_length=80)),
                ("length", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.AddField(
            model_name="objectchange",
            name="chain",
            field=models.CharField(db_default="", editable=False, max_length=80, verbose_name="校验值"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="chain",
            field=models.CharField(db_default="", editable=False, max_length=80, verbose_name="校验值"),
        ),
        migrations.AlterField(
            model_name="objectchange",
            name="time",
            field=models.DateTimeField(db_index=True, verbose_name="时间"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="time",
            field=models.DateTimeField(db_index=True, verbose_name="时间"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("login", "登录成功"),
                    ("login_failed", "登录失败"),
                    ("lockout", "账号锁定"),
                    ("login_locked", "锁定期间尝试登录"),
                    ("unlock", "解除锁定"),
                    ("logout", "退出登录"),
                    ("password_changed", "修改密码"),
                    ("token_created", "生成接口令牌"),
                    ("export", "导出数据"),
                    ("import", "导入数据"),
                    ("import_rejected", "导入被拒绝"),
                    ("template_download", "下载导入模板"),
                    ("access_denied", "越权访问"),
                    ("audit_purge", "清理过期审计记录"),
                ],
                db_index=True,
                max_length=20,
                verbose_name="事件",
            ),
        ),
        migrations.RunPython(link_existing, unlink, elidable=False),
    ]
