"""The menu is built once per request and never outlives it: a grant given or taken away
between two requests shows in the next page's menu, although the link guard remembers
where each URL name leads."""

from django.test import RequestFactory
from django.urls import reverse

from yuanqu.core.context_processors import navigation
from yuanqu.enterprises.models import Enterprise
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.links import can_open
from yuanqu.utilities.testing import factories as f


def _menu_urls(response) -> set[str]:
    return {item["url"] for item in response.context["nav_modules"] if item["url"]}


def test_the_menu_is_built_once_per_request(alice, leader, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = alice
    first = navigation(request)
    assert reverse("enterprises:enterprise_list") in {item["url"] for item in first["nav_modules"]}
    with django_assert_num_queries(0):  # a second template of the same page: no new question
        assert navigation(request) is first
    request.user = leader  # a login on this request: the menu is the new user's
    assert navigation(request) is not first


def test_a_grant_given_between_requests_shows_in_the_next_menu(client, econ_dept, owned_enterprise):
    nobody = f.user("nobody", role="", dept=econ_dept)  # no role: no grant at all
    client.force_login(nobody)
    enterprises = reverse("enterprises:enterprise_list")
    assert enterprises not in _menu_urls(client.get(reverse("home")))
    grant = ObjectPermission.objects.create(
        name="临时查看企业", user=nobody, model="enterprises.enterprise", actions=["view"]
    )
    assert enterprises in _menu_urls(client.get(reverse("home")))
    assert client.get(enterprises).status_code == 200
    grant.enabled = False
    grant.save()
    assert enterprises not in _menu_urls(client.get(reverse("home")))
    assert client.get(enterprises).status_code == 403


def test_the_link_guard_asks_the_record_afresh(alice, invest_dept, econ_dept, other_enterprise):
    """The URL lookup of a record's edit page is remembered; whether it opens is not."""
    edit = "enterprises:enterprise_edit"
    assert not can_open(alice, edit, other_enterprise.pk)  # another department's record
    Enterprise.objects.filter(pk=other_enterprise.pk).update(department=econ_dept)
    fresh = type(alice).objects.get(pk=alice.pk)  # the next request's user
    assert can_open(fresh, edit, other_enterprise.pk)
    Enterprise.objects.filter(pk=other_enterprise.pk).update(department=invest_dept)
    assert not can_open(type(alice).objects.get(pk=alice.pk), edit, other_enterprise.pk)
