"""The audit trail's hash chain: what the application writes verifies; a row rewritten,
removed, forged or back-dated with the database's own login is found, or refused."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from yuanqu.core import chain
from yuanqu.core.changelog import audit
from yuanqu.core.checks import audit_tables_not_owned_by_the_application
from yuanqu.core.context import acting_as
from yuanqu.core.dbguard import TABLES, suspended
from yuanqu.core.models import AuditChain, AuditEvent, ObjectChange
from yuanqu.economy.importers import insert_first_versions
from yuanqu.economy.models import Indicator
from yuanqu.enterprises.models import Enterprise


def run_audit(*args):
    out = io.StringIO()
    code = 0
    try:
        call_command("audit", *args, stdout=out)
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue()


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def trail(owned_enterprise, alice):
    """Changes through the ORM, the bulk import path and audit events."""
    with acting_as(alice, source="web"):
        owned_enterprise.short_name = "精密机械"
        owned_enterprise.save()
        audit("login", user=alice, detail="测试登录")
        audit("export", user=alice, detail="导出企业", data={"rows": 3, "amount": Decimal("1.50")})
    indicator = Indicator.objects.get(code="revenue")
    insert_first_versions(
        [(owned_enterprise.pk, owned_enterprise.name, indicator, Decimal("12.5"), Decimal("120.25"))],
        datetime.date(2026, 9, 1),
        alice,
    )
    return owned_enterprise


@pytest.mark.django_db
def test_what_the_application_writes_verifies(trail):
    for model in (ObjectChange, AuditEvent):
        checked, broken = chain.verify(model)
        assert broken is None and checked == model.objects.count() > 0
    code, out = run_audit("verify")
    assert code == 0 and "变更记录" in out and "哈希链完整" in out
    code, out = run_audit("verify", "--json")
    report = json.loads(out)
    assert [r["intact"] for r in report] == [True, True]


@pytest.mark.django_db
def test_each_row_links_to_the_one_before_with_the_build_algorithm(trail):
    links = list(ObjectChange.objects.order_by("id").values_list("chain", flat=True))
    assert len(set(links)) == len(links)
    assert all(link.startswith(chain.ALGORITHM + ":") for link in links)
    head = AuditChain.objects.get(name="core_objectchange")
    assert head.last_hash == links[-1]


@pytest.mark.django_db
def test_the_time_is_the_databases(alice):
    before = timezone.now() - datetime.timedelta(seconds=5)
    event = audit("login", user=alice, detail="时间")
    event.refresh_from_db()
    assert before <= event.time <= timezone.now() + datetime.timedelta(seconds=5)


@pytest.mark.django_db
def test_a_back_dated_insert_is_refused_by_the_database(trail):
    count = AuditEvent.objects.count()
    with pytest.raises(DatabaseError, match="database clock"):
        with transaction.atomic():
            AuditEvent.objects.create(
                kind="login", user_name="ghost", time=timezone.now() - datetime.timedelta(days=30)
            )
    assert AuditEvent.objects.count() == count


def tamper(sql, params=()):
    with suspended(connection, *(["no_update", "no_delete", "db_time"] if connection.vendor == "sqlite" else
                                 ["append_only", "retention", "db_time"])):  # fmt: skip
        raw(sql, params)


@pytest.mark.django_db
def test_a_rewritten_row_is_the_first_broken_link(trail):
    target = ObjectChange.objects.order_by("id")[2]
    tamper("UPDATE core_objectchange SET user_name = 'forged' WHERE id = %s", [target.pk])
    checked, broken = chain.verify(ObjectChange)
    assert broken.id == target.pk and "内容与校验值不符" in broken.reason
    assert checked == ObjectChange.objects.filter(id__lt=target.pk).count()
    code, out = run_audit("verify")
    assert code == 1 and f"第{target.pk}条" in out


@pytest.mark.django_db
def test_a_removed_row_breaks_the_next(trail):
    rows = list(AuditEvent.objects.order_by("id").values_list("id", flat=True))
    tamper("DELETE FROM core_auditevent WHERE id = %s", [rows[-2]])
    _, broken = chain.verify(AuditEvent)
    assert broken.id == rows[-1]


@pytest.mark.django_db
def test_a_removed_last_row_is_found_at_the_head(trail):
    last = AuditEvent.objects.order_by("id").last()
    tamper("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    _, broken = chain.verify(AuditEvent)
    assert "末尾" in broken.reason


@pytest.mark.django_db
def test_a_slipped_in_row_does_not_verify(trail):
    user_type = ContentType.objects.get_for_model(Enterprise).pk
    tamper(
        "INSERT INTO core_objectchange (time, user_name, source, action, content_type_id, object_id, object_repr, "
        "related_id, message, chain) VALUES (%s, 'ghost', 'web', 'delete', %s, '1', '伪造', '', '', %s)",
        [timezone.now(), user_type, f"{chain.ALGORITHM}:{'0' * 64}"],
    )
    _, broken = chain.verify(ObjectChange)
    assert broken is not None and broken.id == ObjectChange.objects.order_by("id").last().pk


@pytest.mark.django_db
def test_purge_refuses_anything_younger_than_180_days(trail):
    count = AuditEvent.objects.count()
    too_recent = timezone.localdate() - datetime.timedelta(days=100)
    with pytest.raises(CommandError, match="至少保存180天"):
        call_command("audit", "purge", "--before", too_recent.isoformat())
    with pytest.raises(CommandError, match="无效"):
        call_command("audit", "purge", "--before", "2025-13-01")
    assert AuditEvent.objects.count() == count


@pytest.mark.django_db
def test_the_database_refuses_deleting_a_young_row(trail):
    event = AuditEvent.objects.order_by("id").last()
    with pytest.raises(DatabaseError, match="kept 180 days"):
        with transaction.atomic():
            raw("DELETE FROM core_auditevent WHERE id = %s", [event.pk])


@pytest.mark.django_db
def test_purge_removes_old_rows_and_verify_starts_from_its_anchor(alice):
    # A trail that began 400 days ago: the old rows written as they were then.
    tamper("DELETE FROM core_auditevent")
    AuditChain.objects.filter(name="core_auditevent").delete()
    old = timezone.now() - datetime.timedelta(days=400)
    with suspended(connection, "db_time"):
        for n in range(3):
            audit_event = AuditEvent(kind="login", user_name=f"old{n}", detail="旧", time=old)
            audit_event.save()
    for n in range(2):
        audit("login", user=alice, detail=f"新{n}")
    before = (timezone.localdate() - datetime.timedelta(days=200)).isoformat()
    code, out = run_audit("purge", "--before", before, "--dry-run")
    assert "将删除3条" in out and AuditEvent.objects.count() == 5
    call_command("audit", "purge", "--before", before, stdout=io.StringIO())
    assert sorted(AuditEvent.objects.values_list("detail", flat=True)) == [
        "新0",
        "新1",
        f"清理{before}之前的审计记录3条",
    ]
    purge = AuditEvent.objects.get(kind="audit_purge")
    assert purge.data["core_auditevent"]["count"] == 3
    assert chain.verify(AuditEvent)[1] is None
    assert run_audit("verify")[0] == 0


@pytest.mark.django_db
def test_deploy_check_warns_when_the_application_owns_the_audit_tables():
    warnings = audit_tables_not_owned_by_the_application()
    if connection.vendor == "postgresql":
        # the test server's login owns every table: the setup the check exists to catch
        (warning,) = warnings
        assert warning.id == "yuanqu.W001" and "INSERT和SELECT" in warning.msg
        for table in TABLES:
            assert table in warning.msg or "超级用户" in warning.msg
    else:
        assert warnings == []


@pytest.mark.django_db
def test_an_import_of_many_rows_links_as_single_saves_would(owned_enterprise, other_enterprise, alice):
    """The bulk path's links (the key, the columns' normal forms worked out once) are the
    ones ``digest`` recomputes for each row: a few hundred rows with a request, an address,
    names in Chinese, values with and without decimals and one left empty verify."""
    indicators = list(Indicator.objects.order_by("code")[:3])
    rows = [
        (enterprise.pk, enterprise.name, indicator, Decimal(f"{n}.25") if n % 3 else None, Decimal(n * 1000))
        for n, (enterprise, indicator) in enumerate(
            [(e, i) for e in (owned_enterprise, other_enterprise) for i in indicators]
        )
    ]
    with acting_as(alice, source="web", ip="10.1.2.3"):
        insert_first_versions(rows, datetime.date(2026, 9, 1), alice)
        insert_first_versions(rows, datetime.date(2026, 10, 1), alice)
    assert ObjectChange.objects.filter(ip="10.1.2.3").count() == 2 * 2  # a record per enterprise and month
    checked, broken = chain.verify(ObjectChange)
    assert broken is None and checked == ObjectChange.objects.count()
    first = ObjectChange.objects.filter(ip="10.1.2.3").order_by("id").first()
    assert first.user_name == "alice" and first.postchange_data["version"] == 1


@pytest.mark.django_db
def test_a_long_write_is_stamped_a_slice_at_a_time_and_still_verifies(owned_enterprise, alice, monkeypatch):
    """An import of hundreds of thousands of values takes minutes; the insert trigger refuses
    a time minutes off the clock. Each slice takes the database's time right before it is
    written, and the chain runs on across the slices."""
    from yuanqu.utilities.testing import factories as f

    monkeypatch.setattr(chain, "SLICE", 2)
    takes = []
    take_head = chain._take_head
    monkeypatch.setattr(chain, "_take_head", lambda *a: takes.append(a) or take_head(*a))
    enterprises = [owned_enterprise, *(f.enterprise() for _ in range(4))]
    indicator = Indicator.objects.get(code="revenue")
    takes.clear()
    insert_first_versions(
        [(e.pk, e.name, indicator, Decimal("1"), Decimal("1")) for e in enterprises],
        datetime.date(2026, 9, 1),
        alice,
    )
    assert len(takes) == 3  # five change records in slices of two
    takes.clear()
    events = AuditEvent.objects.bulk_create([AuditEvent(kind="login", user_name=f"u{i}") for i in range(5)])
    assert len(events) == 5 and len(takes) == 3
    for model in (ObjectChange, AuditEvent):
        assert chain.verify(model)[1] is None


@pytest.mark.django_db
def test_known_normal_forms_are_one_per_row():
    """A caller giving a column's normal forms gives one per row, or nothing is linked."""
    fields = ["time", "user_name", "source", "action", "content_type", "object_id", "postchange_data"]
    own = ContentType.objects.get_for_model(Enterprise).pk
    rows = [(None, "alice", "web", "create", own, str(n), '{"n": 1}') for n in range(2)]
    with transaction.atomic(), pytest.raises(ValueError):
        chain.link_rows(ObjectChange, fields, rows, known={"postchange_data": ['{"n":1}']})


@pytest.mark.django_db
def test_links_made_column_by_column_are_each_rows_digest(alice):
    """``link_rows`` puts each row's canonical text together column by column (a column the
    same in every row encoded once): every link is still ``digest`` of that row and the one
    before, whatever the text holds — quotes, backslashes, braces, line breaks, Chinese,
    nothing at all — with or without a ``time`` column in the rows and with normal forms given."""
    import uuid

    own = ContentType.objects.get_for_model(Enterprise).pk
    fields = ["user_id", "user_name", "request_id", "ip", "source", "action", "content_type", "object_id",
              "object_repr", "related_type", "related_id", "prechange_data", "postchange_data", "message"]  # fmt: skip
    odd = ['引号"与\\反斜杠', "{花括号}{0}", "换行\n制表\t", "", "😀 表情", "普通"]
    request = uuid.uuid4()
    rows = [
        (alice.pk if n % 2 else None, "alice", str(request) if n < 4 else None, "10.0.0.1", "web", "update", own,
         str(n), odd[n % len(odd)], own if n % 3 else None, str(n * 7), {"名称": odd[n % len(odd)], "n": n},
         json.dumps({"b": [1, None, "x"], "a": odd[(n + 1) % len(odd)]}, ensure_ascii=False), odd[(n + 2) % 6])
        for n in range(12)
    ]  # fmt: skip
    same = [(7, "alice", None, None, "cli", "create", own, "1", "同", None, "", None, None, "")] * 3
    # equal values written differently are not taken for one: 1.0 and 1, "1.0" and "1.00"
    alike = [
        (7, "alice", None, None, "cli", "create", own, "1", "同", None, "", {"v": v}, None, Decimal(text))
        for v, text in ((1, "1.0"), (1.0, "1.00"), (True, "1"))
    ]
    with transaction.atomic():
        for batch, with_time in ((rows, False), (same, False), (alike, False), (rows[:5], True)):
            head = (
                AuditChain.objects.filter(name="core_objectchange")
                .values_list("last_hash", flat=True)
                .first()
            )
            previous = head or chain.GENESIS
            names = ["time", *fields] if with_time else fields
            batch = [(None, *row) for row in batch] if with_time else batch
            linked_fields, linked = chain.link_rows(ObjectChange, names, batch, connection.alias)
            assert linked_fields[-1] == "chain" and "time" in linked_fields
            attnames = [ObjectChange._meta.get_field(name).attname for name in linked_fields[:-1]]
            for row in linked:
                values = dict(zip(attnames, row[:-1], strict=True))
                for name in ("prechange_data", "postchange_data"):  # text written, read back parsed
                    if isinstance(values[name], str):
                        values[name] = json.loads(values[name])
                assert row[-1] == chain.digest(ObjectChange, values, previous)
                previous = row[-1]
            from yuanqu.economy.importers import _insert

            # a JSON column given as a value is linked as its text would be: written as text
            texts = [tuple(json.dumps(v) if isinstance(v, dict) else v for v in row) for row in linked]
            _insert(ObjectChange, linked_fields, texts)
    checked, broken = chain.verify(ObjectChange)
    assert broken is None and checked == ObjectChange.objects.count()
