import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.enterprises.models import Contact, Enterprise, Qualification
from yuanqu.users.choices import Role
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.testing import factories
from yuanqu.utilities.testing.api import ALL, APIViewTestCases, result_ids

ENTERPRISES = "/api/enterprises/"
QUALIFICATIONS = "/api/qualifications/"


class TestEnterpriseAPI(APIViewTestCases.APIViewTestCase):
    model = Enterprise
    url_namespace = "enterprises-api"
    # A department or zone is named by id among those the user may view.
    base_grants = [("users.department", ["view"], ALL), ("users.zone", ["view"], ALL)]
    update_data = {"name": "改名后的企业有限公司", "is_foreign_invested": True}

    def make_record(self, department):
        return factories.enterprise(dept=department)

    def create_data(self, department):
        return {
            "uscc": factories.uscc(),
            "name": "新登记企业有限公司",
            "industry": "3874",
            "registered_capital_wan": "500.00",
            "department": department.pk,
        }


class TestQualificationAPI(APIViewTestCases.APIViewTestCase):
    model = Qualification
    url_namespace = "enterprises-api"
    base_grants = [("enterprises.enterprise", ["view"], ALL)]
    update_data = {"notes": "复审通过", "certificate_no": "GR202461000123"}

    def make_record(self, department):
        enterprise = factories.enterprise(dept=department)
        return Qualification.objects.create(
            enterprise=enterprise, kind="hnte", granted_on=datetime.date(2024, 11, 1)
        )

    def create_data(self, department):
        return {
            "enterprise": factories.enterprise(dept=department).pk,
            "kind": "srdi_sme",
            "granted_on": "2025-03-01",
        }

    def move_out_data(self, department):
        return {"enterprise": factories.enterprise(dept=department).pk}


def api_client(user):
    """A client calling as the user with a token, so each request loads the user's grants."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def ids(user, **params):
    response = api_client(user).get(ENTERPRISES, params)
    assert response.status_code == 200, response.json()
    return result_ids(response)


# --- the standard cast ---------------------------------------------------------------


def test_staff_lists_every_enterprise_but_updates_only_own_department(
    alice, owned_enterprise, other_enterprise
):
    assert ids(alice) == {owned_enterprise.pk, other_enterprise.pk}
    client = api_client(alice)
    response = client.patch(f"{ENTERPRISES}{owned_enterprise.pk}/", {"short_name": "东区精机"}, format="json")
    assert response.status_code == 200
    assert response.json()["short_name"] == "东区精机"
    response = client.patch(f"{ENTERPRISES}{other_enterprise.pk}/", {"short_name": "西区光电"}, format="json")
    assert response.status_code == 404
    assert "西区光电科技" not in response.content.decode()
    other_enterprise.refresh_from_db()
    assert other_enterprise.short_name == ""


def test_enterprise_user_sees_only_its_own_enterprise(enterprise_user, owned_enterprise, other_enterprise):
    assert ids(enterprise_user) == {owned_enterprise.pk}
    response = api_client(enterprise_user).get(f"{ENTERPRISES}{other_enterprise.pk}/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_grid_worker_sees_only_enterprises_of_own_zone(
    grid_worker, owned_enterprise, other_enterprise, park, econ_dept
):
    factories.enterprise("园区直管企业有限公司", dept=econ_dept, zone_obj=park)
    assert ids(grid_worker) == {owned_enterprise.pk}


@pytest.mark.parametrize("role", ["auditor", "sysadmin"])
def test_administrators_have_no_enterprise_api(request, role, owned_enterprise):
    response = api_client(request.getfixturevalue(role)).get(ENTERPRISES)
    assert response.status_code == 403
    assert "results" not in response.json()


# --- authentication ------------------------------------------------------------------


def test_token_authentication(alice, owned_enterprise):
    token = Token.objects.create(user=alice)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(ENTERPRISES)
    assert response.status_code == 200
    assert result_ids(response) == {owned_enterprise.pk}


def test_bad_token_and_anonymous_get_no_data(owned_enterprise):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get(ENTERPRISES)
    assert response.status_code == 401
    assert "东区精密" not in response.content.decode()
    response = APIClient().get(f"{ENTERPRISES}{owned_enterprise.pk}/")
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_session_authentication(client, alice, owned_enterprise):
    client.force_login(alice)
    response = client.get(ENTERPRISES)
    assert response.status_code == 200
    assert response.json()["results"][0]["name"] == "东区精密机械有限公司"


# --- filters -------------------------------------------------------------------------


def test_filters_are_those_of_the_list_page(alice, owned_enterprise, other_enterprise, east, park):
    assert ids(alice, q="东区精密") == {owned_enterprise.pk}
    assert ids(alice, q=other_enterprise.uscc) == {other_enterprise.pk}
    assert ids(alice, zone=east.pk) == {owned_enterprise.pk}
    assert ids(alice, zone=park.pk) == {owned_enterprise.pk, other_enterprise.pk}  # the park's areas


def test_filter_by_qualification_held_on_a_date(alice, owned_enterprise, other_enterprise):
    Qualification.objects.create(
        enterprise=owned_enterprise, kind="hnte", granted_on=datetime.date(2023, 12, 1)
    )
    Qualification.objects.create(
        enterprise=other_enterprise, kind="tech_sme", granted_on=datetime.date(2024, 5, 1)
    )
    assert ids(alice, qualification="hnte", qualified_on="2025-06-30") == {owned_enterprise.pk}
    assert ids(alice, qualification="hnte", qualified_on="2026-12-01") == set()  # 三年有效期已过
    assert ids(alice, qualification="tech_sme", qualified_on="2024-12-31") == {other_enterprise.pk}


def test_invalid_filter_value_is_refused_in_chinese(alice, owned_enterprise):
    response = api_client(alice).get(ENTERPRISES, {"qualification": "gold"})
    assert response.status_code == 400
    assert response.json()["qualification"] == ["选择一个有效的选项。 gold 不在可用的选项中。"]


# --- create and validation ----------------------------------------------------------


def test_create_defaults_department_and_logs_the_api_user(alice):
    data = {"uscc": factories.uscc(), "name": "接口新建企业有限公司", "registered_capital_wan": "1200.5"}
    response = api_client(alice).post(ENTERPRISES, data, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["department"] == alice.department_id
    assert body["registered_capital_wan"] == "1200.50"
    change = ObjectChange.objects.get(
        action="create", object_id=str(body["id"]), content_type__model="enterprise"
    )
    assert change.user_id == alice.pk
    assert change.user_name == "alice"
    assert change.source == "api"
    assert change.postchange_data["name"] == "接口新建企业有限公司"


def test_invalid_uscc_is_refused_with_the_chinese_reason(alice):
    code = factories.uscc()
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    response = api_client(alice).post(ENTERPRISES, {"uscc": wrong, "name": "校验失败有限公司"}, format="json")
    assert response.status_code == 400
    assert f"第18位校验码应为 {code[17]}，实际为 {wrong[17]}" in response.json()["uscc"][0]
    response = api_client(alice).post(
        ENTERPRISES, {"uscc": "91610100ABC", "name": "位数不足有限公司"}, format="json"
    )
    assert "统一社会信用代码应为18位，实际为11位" in response.json()["uscc"][0]
    assert not Enterprise.objects.filter(name__in=["校验失败有限公司", "位数不足有限公司"]).exists()


def test_uscc_is_normalised_and_must_be_unique(alice, owned_enterprise):
    spaced = " ".join([owned_enterprise.uscc[:9], owned_enterprise.uscc[9:]]).lower()
    response = api_client(alice).post(
        ENTERPRISES, {"uscc": spaced, "name": "重复登记有限公司"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["uscc"] == ["该统一社会信用代码已登记"]


def test_industry_must_be_a_four_digit_class(alice, owned_enterprise):
    url = f"{ENTERPRISES}{owned_enterprise.pk}/"
    response = api_client(alice).patch(url, {"industry": "38"}, format="json")
    assert response.status_code == 400
    assert "不是小类" in response.json()["industry"][0]
    response = api_client(alice).patch(url, {"industry": "9999"}, format="json")
    assert "不是 GB/T 4754-2017 的行业代码" in response.json()["industry"][0]
    response = api_client(alice).patch(url, {"industry": "3874"}, format="json")
    assert response.status_code == 200
    assert response.json()["industry"] == "3874"
    assert response.json()["industry_name"] == "智能照明器具制造"


def test_delete_of_a_referenced_enterprise_is_refused(alice, enterprise_user, owned_enterprise):
    response = api_client(alice).delete(f"{ENTERPRISES}{owned_enterprise.pk}/")
    assert response.status_code == 409
    assert response.json()["detail"] == "“东区精密机械有限公司”仍被其他记录引用，不能删除。"
    assert Enterprise.objects.filter(pk=owned_enterprise.pk).exists()


# --- what a record shows -----------------------------------------------------------


@pytest.fixture
def contact(owned_enterprise):
    return Contact.objects.create(
        enterprise=owned_enterprise, name="陈经理", position="总经理", mobile="13812345678"
    )


def test_mobile_is_masked_without_view_personal(charlie, contact, owned_enterprise):
    # 招商局 staff may view every contact, but personal data of their own department's only.
    contacts = api_client(charlie).get(f"{ENTERPRISES}{owned_enterprise.pk}/").json()["contacts"]
    assert contacts == [{"name": "陈经理", "position": "总经理", "mobile": "138****5678"}]
    listed = api_client(charlie).get(ENTERPRISES, {"q": "东区精密"}).json()["results"]
    assert listed[0]["contacts"][0]["mobile"] == "138****5678"


def test_contacts_follow_the_contact_grant(charlie, contact, owned_enterprise):
    ObjectPermission.objects.filter(role=Role.STAFF, model="enterprises.contact", constraint=ALL).update(
        enabled=False
    )
    assert api_client(charlie).get(f"{ENTERPRISES}{owned_enterprise.pk}/").json()["contacts"] == []


def test_mobile_is_shown_with_view_personal(alice, contact, owned_enterprise):
    contacts = api_client(alice).get(f"{ENTERPRISES}{owned_enterprise.pk}/").json()["contacts"]
    assert contacts == [{"name": "陈经理", "position": "总经理", "mobile": "13812345678"}]
    listed = api_client(alice).get(ENTERPRISES, {"q": "东区精密"}).json()["results"]
    assert listed[0]["contacts"][0]["mobile"] == "13812345678"


def test_valid_qualifications_are_those_valid_today(alice, owned_enterprise):
    today = timezone.localdate()
    Qualification.objects.create(
        enterprise=owned_enterprise, kind="hnte", granted_on=today - datetime.timedelta(days=30)
    )
    Qualification.objects.create(
        enterprise=owned_enterprise, kind="srdi_sme", granted_on=datetime.date(2015, 1, 1)
    )
    body = api_client(alice).get(f"{ENTERPRISES}{owned_enterprise.pk}/").json()
    assert body["valid_qualifications"] == ["hnte"]
    assert body["url"].endswith(f"{ENTERPRISES}{owned_enterprise.pk}/")


def test_list_with_contacts_and_qualifications_takes_few_queries(
    alice, econ_dept, django_assert_max_num_queries
):
    for n in range(30):
        enterprise = factories.enterprise(dept=econ_dept)
        Contact.objects.create(enterprise=enterprise, name=f"联系人{n}", mobile="13900000000")
        Qualification.objects.create(enterprise=enterprise, kind="hnte", granted_on=datetime.date(2025, 1, 1))
    client = api_client(alice)
    # 8 for the page, 3 for its one audit event (alice reads her department's mobiles in clear:
    # the chain head locked, the event written, the head moved), whatever the page's length.
    with django_assert_max_num_queries(8 + 3):
        assert len(client.get(ENTERPRISES).json()["results"]) == 30
    assert AuditEvent.objects.get(kind="personal_read").data["reads"][0]["records"] == 30


def test_a_list_page_gives_each_enterprise_its_own_url_contacts_and_qualifications(alice, econ_dept):
    """The route is reversed once per page and the prefetched contacts and qualifications
    read only the columns shown: each row still names its own record, its contacts (alice
    may see her department's mobiles) and the qualifications valid today."""
    made = []
    for n in range(3):
        enterprise = factories.enterprise(dept=econ_dept)
        Contact.objects.create(
            enterprise=enterprise, name=f"联系人{n}", position="经理", mobile="13912345678"
        )
        Qualification.objects.create(enterprise=enterprise, kind="hnte", granted_on=datetime.date(2025, 1, 1))
        Qualification.objects.create(
            enterprise=enterprise,
            kind="srdi_sme",
            granted_on=datetime.date(2025, 1, 1),
            revoked_on=datetime.date(2025, 2, 1),
        )
        made.append(enterprise)
    results = {row["id"]: row for row in api_client(alice).get(ENTERPRISES).json()["results"]}
    for n, enterprise in enumerate(made):
        row = results[enterprise.pk]
        assert (
            row["url"]
            == f"http://testserver{reverse('enterprises-api:enterprise-detail', args=[enterprise.pk])}"
        )
        assert row["contacts"] == [{"name": f"联系人{n}", "position": "经理", "mobile": "13912345678"}]
        assert row["valid_qualifications"] == ["hnte"]
    qualification = Qualification.objects.filter(enterprise=made[0]).first()
    detail = api_client(alice).get(QUALIFICATIONS, {"enterprise": made[0].pk}).json()["results"]
    assert f"{QUALIFICATIONS}{qualification.pk}/" in {q["url"][len("http://testserver") :] for q in detail}


# --- qualifications ----------------------------------------------------------------


def test_qualification_filters_and_validity(alice, owned_enterprise, other_enterprise):
    current = Qualification.objects.create(
        enterprise=owned_enterprise,
        kind="hnte",
        granted_on=timezone.localdate() - datetime.timedelta(days=10),
    )
    expired = Qualification.objects.create(
        enterprise=other_enterprise, kind="hnte", granted_on=datetime.date(2019, 1, 1)
    )
    client = api_client(alice)
    by_enterprise = client.get(QUALIFICATIONS, {"enterprise": owned_enterprise.pk}).json()["results"]
    assert [(q["id"], q["is_valid"]) for q in by_enterprise] == [(current.pk, True)]
    assert result_ids(client.get(QUALIFICATIONS, {"kind": "hnte"})) == {current.pk, expired.pk}
    assert result_ids(client.get(QUALIFICATIONS, {"valid_on": "2020-06-01"})) == {expired.pk}
    detail = client.get(f"{QUALIFICATIONS}{expired.pk}/").json()
    assert detail["is_valid"] is False
    assert detail["valid_until"] == "2021-12-31"


def test_qualification_dates_are_checked_like_the_form(alice, owned_enterprise):
    data = {
        "enterprise": owned_enterprise.pk,
        "kind": "hnte",
        "granted_on": "2025-01-01",
        "valid_until": "2024-01-01",
    }
    response = api_client(alice).post(QUALIFICATIONS, data, format="json")
    assert response.status_code == 400
    assert response.json()["valid_until"] == ["有效期至不能早于认定日期"]


def test_qualification_needs_an_enterprise_the_user_can_see(
    enterprise_user, owned_enterprise, other_enterprise
):
    ObjectPermission.objects.create(
        name="企业用户填报资质",
        user=enterprise_user,
        model="enterprises.qualification",
        actions=["view", "add"],
    )
    client = api_client(enterprise_user)
    data = {"enterprise": other_enterprise.pk, "kind": "hnte", "granted_on": "2025-01-01"}
    response = client.post(QUALIFICATIONS, data, format="json")
    assert response.status_code == 400
    assert response.json()["enterprise"] == [f"编号为 {other_enterprise.pk} 的记录不存在或您无权查看。"]
    response = client.post(QUALIFICATIONS, {**data, "enterprise": owned_enterprise.pk}, format="json")
    assert response.status_code == 201


# --- schema and docs ---------------------------------------------------------------


def test_schema_lists_the_endpoints_for_a_logged_in_user(alice):
    response = api_client(alice).get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "openapi" in schema
    assert "/api/enterprises/" in schema["paths"]
    assert "/api/qualifications/{id}/" in schema["paths"]


def test_docs_page_renders_for_a_logged_in_user(client, alice):
    client.force_login(alice)
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        'Redoc.init("/api/schema/"' in page and 'id="redoc-container"' in page
    )  # started under the CSP nonce
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in page
    assert "googleapis" not in page  # no third-party calls from an intranet page


def test_schema_and_docs_need_a_login(client, db):
    assert APIClient().get(reverse("api-schema")).status_code == 401
    response = client.get(reverse("api-docs"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
