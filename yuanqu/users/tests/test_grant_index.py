"""The grants are read once per user object and looked up by (model, action)."""

from yuanqu.enterprises.models import Contact, Enterprise
from yuanqu.users.choices import Constraint
from yuanqu.users.models import ObjectPermission
from yuanqu.users.permissions import constraints_for, has_perm, restrict


def test_grants_are_read_in_one_query_per_user_object(alice, django_assert_num_queries):
    with django_assert_num_queries(1):
        for _ in range(50):  # a menu and a page ask the same questions many times
            assert has_perm(alice, Enterprise, "view")
            assert not has_perm(alice, ObjectPermission, "view")  # permissions are the 安全管理员's
            assert constraints_for(alice, Contact, "change") == {"own_department"}


def test_two_grants_on_one_model_and_action_both_count(alice, east, owned_enterprise, other_enterprise):
    """A role grant (own department) and a user's own grant (a 片区) on the same model and
    action: restrict() admits the records of either."""
    assert set(restrict(Enterprise.objects.all(), alice, "change")) == {owned_enterprise}
    ObjectPermission.objects.create(
        name="王丽-西区企业", user=alice, model="enterprises.enterprise", actions=["change"],
        constraint=Constraint.OWN_ZONE,
    )  # fmt: skip
    alice.zone = other_enterprise.zone
    alice.save()
    fresh = type(alice).objects.get(pk=alice.pk)
    assert constraints_for(fresh, Enterprise, "change") == {Constraint.OWN_DEPARTMENT, Constraint.OWN_ZONE}
    assert set(restrict(Enterprise.objects.all(), fresh, "change")) == {owned_enterprise, other_enterprise}
    # The set handed out is the caller's: changing it changes no later answer.
    constraints_for(fresh, Enterprise, "change").clear()
    assert has_perm(fresh, Enterprise, "change")
