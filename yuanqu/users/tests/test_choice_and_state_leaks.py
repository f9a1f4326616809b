"""The leaks a design review found, checked from the user's side: choice lists naming records
the user may not see, and results of a draft evaluation reaching enterprises via appeals."""

import datetime

import pytest
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.enterprises.choices import QualificationKind
from yuanqu.enterprises.models import Qualification
from yuanqu.evaluation.choices import SchemeStatus
from yuanqu.evaluation.models import Appeal, EvaluationResult, EvaluationScheme
from yuanqu.users.permissions import restrict
from yuanqu.utilities.testing import factories as f


def _qualification(enterprise):
    return Qualification.objects.create(
        enterprise=enterprise, kind=QualificationKind.HNTE, granted_on=datetime.date(2023, 1, 1)
    )


def test_qualification_list_names_no_other_enterprise(
    client, enterprise_user, owned_enterprise, other_enterprise
):
    _qualification(owned_enterprise)
    _qualification(other_enterprise)
    client.force_login(enterprise_user)
    page = client.get(reverse("enterprises:qualification_list")).content.decode()
    assert owned_enterprise.name in page  # the page works and shows the user's own
    assert other_enterprise.name not in page
    assert other_enterprise.uscc not in page


def test_qualification_filter_by_another_enterprise_shows_nothing_of_it(
    client, enterprise_user, owned_enterprise, other_enterprise
):
    _qualification(other_enterprise)
    client.force_login(enterprise_user)
    page = client.get(reverse("enterprises:qualification_list"), {"enterprise": other_enterprise.pk})
    assert page.status_code == 200
    assert other_enterprise.name not in page.content.decode()


def test_grid_workers_demand_filter_lists_only_their_zone(
    client, grid_worker, east, owned_enterprise, other_enterprise
):
    neighbour = f.enterprise("东区邻居制造有限公司", dept=other_enterprise.department, zone_obj=east)
    client.force_login(grid_worker)
    response = client.get(reverse("demands:demand_list"))
    assert response.status_code == 200
    choices = set(response.context["filter_form"].fields["enterprise"].queryset)
    assert choices == {owned_enterprise, neighbour}  # 东区's, whoever's department
    assert other_enterprise.name not in response.content.decode()


@pytest.fixture
def draft_appeal(econ_dept, owned_enterprise, enterprise_user):
    scheme = EvaluationScheme.objects.create(year=2024, department=econ_dept, status=SchemeStatus.DRAFT)
    result = EvaluationResult.objects.create(scheme=scheme, enterprise=owned_enterprise, year=2024, grade="B")
    return Appeal.objects.create(result=result, reason="用地面积有误", submitted_by=enterprise_user)


def test_appeal_pages_of_a_draft_scheme_are_404_for_the_enterprise(client, enterprise_user, draft_appeal):
    client.force_login(enterprise_user)
    page = reverse("evaluation:appeal", args=[draft_appeal.pk])
    assert client.get(page).status_code == 404
    assert (
        client.get(reverse("evaluation:evaluationresult", args=[draft_appeal.result.pk])).status_code == 404
    )
    listing = client.get(reverse("evaluation:appeal_list"))
    assert listing.status_code == 200
    assert f'href="{page}"' not in listing.content.decode()


def test_no_appeal_against_a_draft_result_and_nothing_changes(client, enterprise_user, draft_appeal):
    client.force_login(enterprise_user)
    changes = ObjectChange.objects.count()
    response = client.post(
        reverse("evaluation:appeal_add", args=[draft_appeal.result.pk]), {"reason": "再次申诉"}
    )
    assert response.status_code == 404
    assert Appeal.objects.count() == 1
    assert ObjectChange.objects.count() == changes


def test_published_scheme_opens_the_same_pages(client, enterprise_user, draft_appeal):
    scheme = draft_appeal.result.scheme
    scheme.status, scheme.published_on = SchemeStatus.PUBLISHED, datetime.date(2025, 5, 1)
    scheme.save()
    client.force_login(enterprise_user)
    page = reverse("evaluation:appeal", args=[draft_appeal.pk])
    assert client.get(page).status_code == 200
    assert f'href="{page}"' in client.get(reverse("evaluation:appeal_list")).content.decode()


def test_staff_who_see_schemes_see_draft_appeals(client, alice, draft_appeal):
    client.force_login(alice)
    assert client.get(reverse("evaluation:appeal", args=[draft_appeal.pk])).status_code == 200


@pytest.mark.parametrize("role", ["enterprise_user", "grid_worker"])
def test_restrict_applies_the_state_rule_for_every_action(request, role, draft_appeal):
    """Declared on the model, so exports, the API and choice lists get it as well."""
    user = request.getfixturevalue(role)
    for action in ("view", "add", "change", "export"):
        assert not restrict(Appeal.objects.all(), user, action).exists()
        assert not restrict(EvaluationResult.objects.all(), user, action).exists()
