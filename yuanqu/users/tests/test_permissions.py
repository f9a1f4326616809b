"""restrict() and the grants it reads."""

import pytest

from yuanqu.enterprises.models import Enterprise
from yuanqu.users.choices import Role
from yuanqu.users.models import ObjectPermission
from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.testing import factories as f


@pytest.mark.django_db
def test_a_users_own_grant_reaches_nobody_else(alice, econ_dept, owned_enterprise, other_enterprise):
    ObjectPermission.objects.create(name="王丽-导入", user=alice, model="enterprises.enterprise", actions=["import"])
    assert has_perm(alice, Enterprise, "import")
    colleague = f.user("colleague", Role.LEADER, econ_dept)  # leaders import nothing by default
    assert not has_perm(colleague, Enterprise, "import")
    # A user row without a role (e.g. written by a script) must not pick up every user grant.
    blank = f.user("blank", role="", dept=econ_dept)
    assert not has_perm(blank, Enterprise, "import")
    assert not restrict(Enterprise.objects.all(), blank, "view").exists()


@pytest.mark.django_db
def test_disabled_grants_grant_nothing(alice, owned_enterprise):
    assert restrict(Enterprise.objects.all(), alice, "change").get() == owned_enterprise
    ObjectPermission.objects.filter(name="部门人员-维护本部门企业").update(enabled=False)
    alice = type(alice).objects.get(pk=alice.pk)  # grants are cached per user object
    assert not restrict(Enterprise.objects.all(), alice, "change").exists()
    assert restrict(Enterprise.objects.all(), alice, "view").get() == owned_enterprise


@pytest.mark.django_db
def test_restrict_never_hands_back_the_callers_evaluated_queryset(leader, owned_enterprise, econ_dept):
    """Views keep module-level querysets; an unconstrained grant must not return that very
    object, or its result cache would serve stale rows to every later request."""
    shared = Enterprise.objects.all()
    assert [e.pk for e in restrict(shared, leader, "view")] == [owned_enterprise.pk]
    list(shared)  # a view evaluated the shared queryset once
    newcomer = f.enterprise("后来登记的企业有限公司", dept=econ_dept)
    assert restrict(shared, leader, "view") is not shared
    assert {e.pk for e in restrict(shared, leader, "view")} == {owned_enterprise.pk, newcomer.pk}
