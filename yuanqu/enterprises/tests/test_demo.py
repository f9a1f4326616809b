import io
import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from yuanqu.enterprises import demo
from yuanqu.enterprises.models import Contact, Enterprise, Qualification, ScaleRecord
from yuanqu.enterprises.services import qualification_counts
from yuanqu.enterprises.validators import uscc_errors
from yuanqu.users.choices import Role, ZoneKind
from yuanqu.users.models import User, Zone


def seed(n, seed=demo.DEFAULT_SEED) -> str:
    out = io.StringIO()
    call_command("seed_demo", enterprises=n, seed=seed, stdout=out)
    return out.getvalue()


def valid_counts() -> dict[str, int]:
    return {kind: n for kind, _label, n in qualification_counts(Enterprise.objects.all())}


def scale_count(year) -> int:
    return ScaleRecord.objects.filter(year=year, kind="industry").count()


def table_sizes() -> dict[str, int]:
    models = (Zone, User, Enterprise, Contact, Qualification, ScaleRecord)
    return {m.__name__: m.objects.count() for m in models}


@pytest.mark.django_db
def test_small_zone_has_valid_codes_unique_names_and_proportional_counts():
    # the registry alone (the other modules' demos have tests of their own)
    summary = demo.generate(60, demo.DEFAULT_SEED)
    assert summary.enterprises == 60

    enterprises = list(Enterprise.objects.select_related("industry", "industry_chain", "zone"))
    assert len(enterprises) == 60
    assert {e.uscc: uscc_errors(e.uscc) for e in enterprises if uscc_errors(e.uscc)} == {}
    assert all(e.uscc.startswith("916101") for e in enterprises)
    assert len({e.name for e in enterprises}) == 60
    assert all(e.name.endswith("公司") and e.short_name for e in enterprises)
    assert all(1995 <= e.founded_on.year <= 2022 for e in enterprises)

    park = Zone.objects.get(name=demo.PARK_NAME, kind=ZoneKind.PARK)
    areas = set(park.children.filter(kind=ZoneKind.AREA).values_list("name", flat=True))
    assert {"核心区", "东区", "西区", "综合保税区"} <= areas and len(areas) == 6
    assert all(e.zone.parent_id == park.pk for e in enterprises)
    assert all(e.industry.level == 4 for e in enterprises)
    chain_prefixes = {
        name: [p for prefixes, _ in segments for p in prefixes] for name, _, _, segments in demo.CHAINS
    }
    for e in enterprises:
        assert e.industry.code.startswith(tuple(chain_prefixes[e.industry_chain.name])), (e.name, e.industry)

    contacts = Contact.objects.all()
    assert all(re.fullmatch(r"1[3-9]\d{9}", c.mobile) for c in contacts)
    per_enterprise = [e.contacts.count() for e in Enterprise.objects.all()]
    assert min(per_enterprise) >= 1 and max(per_enterprise) <= 2

    # 135/600 of 60 is 13.5 → 14; kinds with a handful at 600 keep at least one.
    counts = valid_counts()
    assert counts["hnte"] == 14
    assert counts["little_giant"] == 1
    assert counts["srdi_sme"] == 3
    assert counts["tech_sme"] == 10
    year = timezone.localdate().year
    assert scale_count(year) == 15
    assert scale_count(year - 1) == 15
    expired_only = Enterprise.objects.filter(qualifications__kind="hnte").distinct().count() - counts["hnte"]
    assert expired_only == 4


@pytest.mark.django_db
def test_seeding_again_changes_nothing():
    seed(60)
    before = table_sizes()
    output = seed(60)
    assert "演示数据已存在" in output
    assert table_sizes() == before


@pytest.mark.django_db
def test_same_seed_gives_the_same_zone():
    with transaction.atomic():
        demo.generate(30, 5)
        first = list(Enterprise.objects.order_by("uscc").values_list("uscc", "name", "industry_id"))
        transaction.set_rollback(True)
    demo.generate(30, 5)
    assert list(Enterprise.objects.order_by("uscc").values_list("uscc", "name", "industry_id")) == first


@pytest.mark.django_db
def test_default_zone_has_the_2022_figures():
    demo.generate(demo.DEFAULT_ENTERPRISES, demo.DEFAULT_SEED)  # the registry alone

    assert Enterprise.objects.count() == 600
    counts = valid_counts()
    assert counts["hnte"] == 135
    assert counts["little_giant"] == 3
    assert counts["tech_sme"] == 100
    assert counts["listing"] == 2
    assert 20 <= counts["srdi_sme"] <= 50
    # Every 小巨人 is also a valid 专精特新中小企业 and 高企.
    giants = Enterprise.objects.filter(qualifications__kind="little_giant")
    for giant in giants:
        kinds = {q.kind for q in giant.valid_qualifications()}
        assert {"little_giant", "srdi_sme", "hnte"} <= kinds
    year = timezone.localdate().year
    assert scale_count(year) == 150
    assert 140 <= scale_count(year - 1) <= 160
    this_year = set(ScaleRecord.objects.filter(year=year).values_list("enterprise", flat=True))
    last_year = set(ScaleRecord.objects.filter(year=year - 1).values_list("enterprise", flat=True))
    assert this_year - last_year and last_year - this_year  # some entered, some left
    assert Enterprise.objects.filter(is_foreign_invested=True).exists()
    assert set(Enterprise.objects.values_list("status", flat=True)) == {
        "operating",
        "stopped",
        "partial",
        "cancelled",
        "moved_out",
    }


@pytest.mark.django_db
def test_logins_cover_every_role_and_work(client):
    seed(60)
    out = io.StringIO()
    demo.print_logins(out)
    table = out.getvalue()
    for role in Role:
        users = User.objects.filter(role=role)
        assert users.exists(), role
        for user in users:  # 部门人员: staff and the department head
            assert user.username in table
            validate_password(demo.DEMO_PASSWORD, user)
    assert "部门负责人（经济发展局）" in table
    for label in ("领导", "部门人员", "网格员", "企业用户", "系统管理员", "安全管理员", "审计员"):
        assert label in table
    assert demo.DEMO_PASSWORD in table

    grid = User.objects.get(username="grid")
    assert grid.zone.name == "东区" and f"网格员（{grid.zone.name}）" in table
    enterprise_user = User.objects.get(username="enterprise")
    assert enterprise_user.enterprise.name in table
    assert User.objects.get(username="staff").department.name == "经济发展局"

    response = client.post(reverse("users:login"), {"username": "staff", "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("enterprises:enterprise_list"))
    assert page.status_code == 200
    assert Enterprise.objects.order_by("name").first().name in page.content.decode()
