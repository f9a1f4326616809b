"""The enterprise registry's pages: the shared CRUD cases with the registry's data, then what a
user checks on the list (search, filters, sorting, pages, counts), on an enterprise's page
(qualification timeline, contacts, history) and in the forms."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from yuanqu.core.models import ObjectChange
from yuanqu.enterprises.choices import QualificationKind
from yuanqu.enterprises.models import Contact, Enterprise, Industry, Qualification, ScaleRecord
from yuanqu.enterprises.services import default_valid_until, valid_on
from yuanqu.users.models import ObjectPermission
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import ALL, ViewTestCases, assert_max_queries, with_version

ENTERPRISE_LIST = reverse("enterprises:enterprise_list")


def text(response) -> str:
    """The page as a reader sees it: tags dropped, white space collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(response, element_id) -> str:
    """The text of the <section> with this id."""
    html = response.content.decode()
    match = re.search(rf'<section[^>]*id="{element_id}".*?</section>', html, flags=re.S)
    assert match, f"no section #{element_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(0)).split())


def listed(response, *names) -> list[str]:
    """Which of these enterprise names the list shows, in the order shown."""
    page = response.content.decode()
    found = [(page.index(f">{name}<"), name) for name in names if f">{name}<" in page]
    return [name for _, name in sorted(found)]


# --- the shared cases -------------------------------------------------------------------


class TestEnterpriseViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = Enterprise
    # The form's department and zone lists are those the tester may view, as in the API.
    base_grants = [("users.department", ["view"], ALL), ("users.zone", ["view"], ALL)]
    edit_changes = {
        "name": "改名后的精密机械股份有限公司",
        "short_name": "精密股份",
        "address": "东区创新路8号",
    }
    max_list_queries = 20

    def make_record(self, department):
        return f.enterprise(dept=department)

    def create_data(self, department):
        return {
            "uscc": f.uscc(),
            "name": f"新落户企业{department.pk}有限公司",
            "short_name": "新落户",
            "founded_on": "2021-03-15",
            "registered_capital_wan": "1200.5",
            "industry": "3874",
            "status": "operating",
            "department": department.pk,
        }


class EnterpriseChildCases:
    """Contacts and qualifications are added from an enterprise's page (``?enterprise=pk``);
    the tester may look at every enterprise, so only the child grant decides."""

    base_grants = [("enterprises.enterprise", ["view"], ALL)]

    def make_child(self, enterprise):
        raise NotImplementedError

    def make_record(self, department):
        return self.make_child(f.enterprise(dept=department))

    def create_url(self, department):
        return self.url("add") + f"?enterprise={f.enterprise(dept=department).pk}"

    def test_add_form_starts_from_the_enterprise(self):
        enterprise = f.enterprise(dept=self.own_department)
        self.grant(["add"])
        response = self.client.get(self.url("add"), {"enterprise": enterprise.pk})
        assert response.status_code == 200
        assert response.context["form"]["enterprise"].value() == enterprise.pk
        assert f'<option value="{enterprise.pk}" selected>' in response.content.decode()

    def test_add_form_for_an_enterprise_out_of_sight_is_404(self):
        hidden = f.enterprise(dept=self.other_department)
        ObjectPermission.objects.filter(user=self.user).delete()
        self.grant(["view"], "own_department", model="enterprises.enterprise")
        self.grant(["add"])
        assert self.client.get(self.url("add"), {"enterprise": hidden.pk}).status_code == 404

    def test_edit_cannot_move_record_out_of_own_department(self):
        # A saved record's enterprise cannot be changed (the field is disabled): a posted
        # enterprise of another department is ignored and the record stays where it was.
        record = self.make_record(self.own_department)
        elsewhere = f.enterprise(dept=self.other_department)
        self.grant(["change"], "own_department")
        data = self.edit_data(record, {**self.edit_changes, "enterprise": elsewhere.pk})
        assert self.client.post(self.url("edit", record.pk), data).status_code == 302
        assert self.fresh(record).enterprise_id == record.enterprise_id


class TestQualificationViews(
    EnterpriseChildCases,
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.DeleteObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = Qualification
    edit_changes = {"certificate_no": "GR202261009999", "level": "national"}

    def make_child(self, enterprise):
        return Qualification.objects.create(
            enterprise=enterprise,
            kind=QualificationKind.HNTE,
            granted_on=timezone.localdate() - datetime.timedelta(days=100),
            certificate_no=f"GR2024610{enterprise.pk:05d}",
        )

    def record_text(self, record):
        return record.certificate_no

    def create_data(self, department):
        enterprise = f.enterprise(dept=department)
        return {
            "enterprise": enterprise.pk,
            "kind": QualificationKind.HNTE,
            "certificate_no": f"GR2023610{enterprise.pk:05d}",
            "granted_on": "2023-12-12",
        }


class TestContactViews(
    EnterpriseChildCases,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.DeleteObjectViewTestCase,
):
    model = Contact
    edit_changes = {"mobile": "13912345678", "position": "总经理"}

    def make_child(self, enterprise):
        return Contact.objects.create(
            enterprise=enterprise, name=f"联系人{enterprise.pk}", mobile="13812345678"
        )

    def create_data(self, department):
        return {
            "enterprise": f.enterprise(dept=department).pk,
            "name": "陈晓",
            "position": "办公室主任",
            "mobile": "13700001111",
        }


# --- the list ---------------------------------------------------------------------------


@pytest.fixture
def registry(econ_dept, invest_dept, park, east, west):
    """Four enterprises that differ in every filter of the list."""
    chain_a, chain_b = f.chain("高端装备制造"), f.chain("电子信息")
    lamp = f.enterprise(
        "东区智能照明有限公司",
        dept=econ_dept,
        zone_obj=east,
        short_name="东照",
        industry_id="3874",
        industry_chain=chain_a,
        registered_capital_wan=500,
    )
    laptop = f.enterprise(
        "西区计算机整机有限公司",
        dept=invest_dept,
        zone_obj=west,
        short_name="西机",
        industry_id="3911",
        industry_chain=chain_b,
        registered_capital_wan=3000,
    )
    farm = f.enterprise(
        "高新区现代农业有限公司", dept=econ_dept, zone_obj=park, industry_id="0111", registered_capital_wan=80
    )
    closed = f.enterprise("东区已注销贸易有限公司", dept=econ_dept, zone_obj=east, status="cancelled")
    Qualification.objects.create(
        enterprise=lamp, kind=QualificationKind.HNTE, granted_on=datetime.date(2022, 11, 30)
    )
    Qualification.objects.create(
        enterprise=laptop, kind=QualificationKind.HNTE, granted_on=datetime.date(2024, 12, 1)
    )
    Qualification.objects.create(
        enterprise=farm, kind=QualificationKind.TECH_SME, granted_on=datetime.date(2025, 4, 1)
    )
    ScaleRecord.objects.create(enterprise=lamp, year=2024)
    ScaleRecord.objects.create(enterprise=laptop, year=2023)
    return {"lamp": lamp, "laptop": laptop, "farm": farm, "closed": closed, "chain_a": chain_a}


NAMES = ("东区智能照明有限公司", "西区计算机整机有限公司", "高新区现代农业有限公司", "东区已注销贸易有限公司")


@pytest.mark.django_db
class TestEnterpriseList:
    @pytest.fixture(autouse=True)
    def _login(self, client, leader, registry):
        client.force_login(leader)
        self.client, self.registry = client, registry

    def names(self, **params):
        response = self.client.get(ENTERPRISE_LIST, params)
        assert response.status_code == 200
        return sorted(listed(response, *NAMES))

    def test_search_by_name_short_name_and_code(self):
        assert self.names(q="智能照明") == ["东区智能照明有限公司"]
        assert self.names(q="西机") == ["西区计算机整机有限公司"]
        assert self.names(q=self.registry["farm"].uscc) == ["高新区现代农业有限公司"]
        assert self.names(q=self.registry["farm"].uscc[8:16].lower()) == ["高新区现代农业有限公司"]
        assert self.names(q="没有这家企业") == []

    def test_filter_by_zone_includes_the_zones_below(self, east, park):
        assert self.names(zone=east.pk) == sorted(["东区智能照明有限公司", "东区已注销贸易有限公司"])
        assert self.names(zone=park.pk) == sorted(NAMES)

    def test_filter_by_industry_chain_section_and_division(self):
        assert self.names(industry_chain=self.registry["chain_a"].pk) == ["东区智能照明有限公司"]
        assert self.names(section="C") == sorted(["东区智能照明有限公司", "西区计算机整机有限公司"])
        assert self.names(section="A") == ["高新区现代农业有限公司"]
        assert self.names(division="39") == ["西区计算机整机有限公司"]
        assert self.names(industry="3874") == ["东区智能照明有限公司"]

    def test_filter_by_qualification_held_on_a_date(self):
        # 高新技术企业 granted 2022-11-30 holds until 2025-11-29.
        assert self.names(qualification="hnte", qualified_on="2025-11-29") == sorted(
            ["东区智能照明有限公司", "西区计算机整机有限公司"]
        )
        assert self.names(qualification="hnte", qualified_on="2025-11-30") == ["西区计算机整机有限公司"]
        assert self.names(qualification="hnte", qualified_on="2022-11-29") == []
        assert self.names(qualification="tech_sme", qualified_on="2025-12-31") == ["高新区现代农业有限公司"]
        assert self.names(qualification="tech_sme", qualified_on="2026-01-01") == []

    def test_filter_by_above_scale_year_and_status(self):
        assert self.names(above_scale_year=2024) == ["东区智能照明有限公司"]
        assert self.names(above_scale_year=2023, above_scale_kind="industry") == ["西区计算机整机有限公司"]
        assert self.names(above_scale_year=2023, above_scale_kind="trade") == []
        assert self.names(status="cancelled") == ["东区已注销贸易有限公司"]
        assert len(self.names(status=["operating", "cancelled"])) == 4

    def test_invalid_filter_value_is_reported_not_crashed(self):
        response = self.client.get(ENTERPRISE_LIST, {"qualified_on": "2025-13-45", "qualification": "hnte"})
        assert response.status_code == 200
        form = re.search(r'<form class="filters".*?</form>', response.content.decode(), flags=re.S).group(0)
        assert re.search(
            r'资质有效日期<input[^>]*value="2025-13-45"[^>]*><span class="field-error"[^>]*>输入一个有效的日期。',
            form,
        )

    def test_sorting(self):
        with_capital = NAMES[:3]
        by_capital = listed(
            self.client.get(ENTERPRISE_LIST, {"sort": "registered_capital_wan"}), *with_capital
        )
        assert by_capital == ["高新区现代农业有限公司", "东区智能照明有限公司", "西区计算机整机有限公司"]
        by_capital_desc = listed(
            self.client.get(ENTERPRISE_LIST, {"sort": "-registered_capital_wan"}), *with_capital
        )
        assert by_capital_desc == list(reversed(by_capital))
        by_name = listed(self.client.get(ENTERPRISE_LIST, {"sort": "-name"}), *NAMES)
        assert by_name == sorted(NAMES, reverse=True)

    def test_pagination(self, econ_dept):
        for n in range(26):
            f.enterprise(f"分页测试企业{n:02d}有限公司", dept=econ_dept)
        first = self.client.get(ENTERPRISE_LIST, {"q": "分页测试", "sort": "name"})
        assert "共 26 条" in text(first)
        assert "第 1 / 2 页" in text(first)
        assert "分页测试企业24有限公司" in first.content.decode()
        assert "分页测试企业25有限公司" not in first.content.decode()
        second = self.client.get(ENTERPRISE_LIST, {"q": "分页测试", "sort": "name", "page": 2})
        assert "第 2 / 2 页" in text(second)
        assert "分页测试企业25有限公司" in second.content.decode()
        assert "分页测试企业00有限公司" not in second.content.decode()

    def test_htmx_request_gets_only_the_table_fragment(self):
        full = self.client.get(ENTERPRISE_LIST, {"q": "东区"})
        assert "<html" in full.content.decode() and 'id="object-table"' in full.content.decode()
        partial = self.client.get(ENTERPRISE_LIST, {"q": "东区"}, HTTP_HX_REQUEST="true")
        body = partial.content.decode()
        assert partial.status_code == 200
        assert "<html" not in body and "<form" not in body and "模块导航" not in body
        assert "<table" in body and "共 2 条" in text(partial)
        assert sorted(listed(partial, *NAMES)) == sorted(["东区智能照明有限公司", "东区已注销贸易有限公司"])

    def test_qualification_counts_follow_the_filters(self, east):
        on_date = {"qualified_on": "2025-11-29"}
        assert "高新技术企业 2 家" in section(
            self.client.get(ENTERPRISE_LIST, on_date), "qualification-counts"
        )
        assert "科技型中小企业 1 家" in section(
            self.client.get(ENTERPRISE_LIST, on_date), "qualification-counts"
        )
        counts = section(
            self.client.get(ENTERPRISE_LIST, {**on_date, "zone": east.pk}), "qualification-counts"
        )
        assert "高新技术企业 1 家" in counts and "科技型中小企业" not in counts
        later = section(
            self.client.get(ENTERPRISE_LIST, {"qualified_on": "2025-11-30"}), "qualification-counts"
        )
        assert "高新技术企业 1 家" in later
        # Filtering by HTMX replaces the counts together with the table.
        partial = self.client.get(ENTERPRISE_LIST, {**on_date, "zone": east.pk}, HTTP_HX_REQUEST="true")
        assert "高新技术企业 1 家" in section(partial, "qualification-counts")

    def test_fifty_enterprises_list_in_a_fixed_number_of_queries(self, econ_dept, east):
        chain = self.registry["chain_a"]
        for n in range(50):
            enterprise = f.enterprise(dept=econ_dept, zone_obj=east, industry_id="3874", industry_chain=chain)
            Qualification.objects.create(
                enterprise=enterprise, kind="hnte", granted_on=datetime.date(2024, 1, n % 28 + 1)
            )
        with assert_max_queries(20):
            response = self.client.get(ENTERPRISE_LIST, {"zone": east.pk})
        assert "共 52 条" in text(response)


@pytest.mark.django_db
def test_list_shows_only_what_the_user_may_see(client, grid_worker, registry):
    client.force_login(grid_worker)  # 网格员 of 东区
    response = client.get(ENTERPRISE_LIST, {"qualified_on": "2025-11-29"})
    assert sorted(listed(response, *NAMES)) == sorted(["东区智能照明有限公司", "东区已注销贸易有限公司"])
    assert "共 2 条" in text(response)
    counts = section(response, "qualification-counts")
    assert "高新技术企业 1 家" in counts and "科技型中小企业" not in counts


# --- an enterprise's page -----------------------------------------------------------------


@pytest.mark.django_db
def test_qualification_timeline_shows_validity_computed_from_dates(client, alice, owned_enterprise):
    today = timezone.localdate()
    Qualification.objects.create(
        enterprise=owned_enterprise,
        kind="hnte",
        certificate_no="GR-VALID",
        granted_on=today - datetime.timedelta(days=400),
    )
    Qualification.objects.create(
        enterprise=owned_enterprise,
        kind="hnte",
        certificate_no="GR-EXPIRED",
        granted_on=today.replace(year=today.year - 4),
    )
    Qualification.objects.create(
        enterprise=owned_enterprise,
        kind="srdi_sme",
        certificate_no="ZJTX-REVOKED",
        granted_on=today - datetime.timedelta(days=200),
        revoked_on=today,
    )
    client.force_login(alice)
    timeline = section(client.get(owned_enterprise.get_absolute_url()), "qualifications")
    entries = dict(re.findall(r"证书号 (\S+) (有效|已失效|已撤销)", timeline))
    assert entries == {"GR-VALID": "有效", "GR-EXPIRED": "已失效", "ZJTX-REVOKED": "已撤销"}
    assert (
        timeline.index("ZJTX-REVOKED") < timeline.index("GR-VALID") < timeline.index("GR-EXPIRED")
    )  # newest first
    valid_until = default_valid_until("hnte", today - datetime.timedelta(days=400))
    assert f"— {valid_until:%Y-%m-%d}" in timeline


@pytest.fixture
def contact(owned_enterprise):
    return Contact.objects.create(
        enterprise=owned_enterprise, name="周敏", position="财务总监", mobile="13812345678"
    )


@pytest.mark.django_db
def test_contact_mobile_is_masked_without_view_personal(client, alice, charlie, owned_enterprise, contact):
    client.force_login(alice)
    assert "13812345678" in section(client.get(owned_enterprise.get_absolute_url()), "contacts")

    # charlie (招商局) may read every contact but holds no view_personal on 经济发展局's enterprise.
    ObjectPermission.objects.create(
        name="张超-查看联系人", user=charlie, model="enterprises.contact", actions=["view"]
    )
    client.force_login(charlie)
    response = client.get(owned_enterprise.get_absolute_url())
    contacts = section(response, "contacts")
    assert "周敏" in contacts and "138****5678" in contacts
    assert "13812345678" not in response.content.decode()


@pytest.mark.django_db
def test_history_shows_contact_changes_masked_for_roles_without_view_personal(
    client, alice, charlie, owned_enterprise, contact
):
    client.force_login(alice)
    edit = reverse("enterprises:contact_edit", args=[contact.pk])
    data = {"name": "周敏", "position": "财务总监", "mobile": "13987654321"}
    assert client.post(edit, with_version(contact, data)).status_code == 302

    history = section(client.get(owned_enterprise.get_absolute_url()), "history")
    assert "王丽 修改 周敏（东区精密机械有限公司） 手机号 ：13812345678 → 13987654321" in history

    client.force_login(charlie)
    response = client.get(owned_enterprise.get_absolute_url())
    history = section(response, "history")
    assert "手机号 ：138****5678 → 139****4321" in history
    assert "13812345678" not in response.content.decode() and "13987654321" not in response.content.decode()


@pytest.mark.django_db
def test_deleted_qualification_stays_in_the_enterprise_history(client, alice, owned_enterprise):
    q = Qualification.objects.create(
        enterprise=owned_enterprise, kind="hnte", granted_on=datetime.date(2022, 11, 30)
    )
    client.force_login(alice)
    assert client.post(reverse("enterprises:qualification_delete", args=[q.pk])).status_code == 302
    history = section(client.get(owned_enterprise.get_absolute_url()), "history")
    assert "删除 东区精密机械有限公司 高新技术企业（2022-11-30）" in history


# --- forms ----------------------------------------------------------------------------------


def field_block(response, name) -> str:
    """The HTML of one form field's block: label, input, error, help."""
    html = response.content.decode()
    blocks = re.findall(
        r'<div class="field[^"]*">.*?(?=<div class="field[ "]|<div class="form-actions")', html, flags=re.S
    )
    matches = [b for b in blocks if f'name="{name}"' in b]
    assert len(matches) == 1, name
    return matches[0]


@pytest.mark.django_db
def test_form_error_keeps_the_input_and_shows_the_reason_beside_the_field(client, alice):
    client.force_login(alice)
    good = f.uscc()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    data = {
        "uscc": bad,
        "name": "填错代码的企业有限公司",
        "status": "operating",
        "department": alice.department_id,
    }
    response = client.post(reverse("enterprises:enterprise_add"), data)
    assert response.status_code == 200
    uscc = field_block(response, "uscc")
    assert "has-error" in uscc
    assert f"第18位校验码应为 {good[-1]}，实际为 {bad[-1]}" in uscc
    assert f'value="{bad}"' in uscc
    name = field_block(response, "name")
    assert 'value="填错代码的企业有限公司"' in name and "field-error" not in name
    assert not Enterprise.objects.filter(name="填错代码的企业有限公司").exists()


@pytest.mark.django_db
def test_form_rejects_industry_that_is_not_a_small_class(client, alice):
    client.force_login(alice)
    data = {
        "uscc": f.uscc(),
        "name": "行业填错有限公司",
        "status": "operating",
        "department": alice.department_id,
    }
    response = client.post(reverse("enterprises:enterprise_add"), {**data, "industry": "387"})
    assert "“387 照明器具制造”不是小类，请选择四位代码的小类" in field_block(response, "industry")
    response = client.post(reverse("enterprises:enterprise_add"), {**data, "industry": "9999"})
    assert "“9999”不是 GB/T 4754-2017 的行业代码或名称" in field_block(response, "industry")
    response = client.post(
        reverse("enterprises:enterprise_add"), {**data, "industry": "3874 智能照明器具制造"}
    )
    assert response.status_code == 302
    assert Enterprise.objects.get(name="行业填错有限公司").industry_id == "3874"


@pytest.mark.django_db
def test_industry_type_ahead_by_code_prefix_and_by_name(client, alice):
    client.force_login(alice)
    url = reverse("enterprises:industry_options")
    by_code = client.get(url, {"industry": "387"}).content.decode()
    codes = re.findall(r'value="(\d{4}) ', by_code)
    assert codes and all(code.startswith("387") for code in codes)
    assert '<option value="3874 智能照明器具制造">' in by_code
    by_name = client.get(url, {"q": "智能"}).content.decode()
    assert "3874 智能照明器具制造" in by_name and "3961 可穿戴智能设备制造" in by_name
    assert "396 智能消费设备制造" not in by_name  # a 中类, not selectable
    assert Industry.objects.filter(level=4, name__contains="智能").count() == by_name.count("<option")


# --- validity of qualifications ---------------------------------------------------------


def test_hnte_is_valid_for_three_years_less_a_day():
    granted = datetime.date(2022, 11, 30)
    assert default_valid_until(QualificationKind.HNTE, granted) == datetime.date(2025, 11, 29)
    q = Qualification(
        kind=QualificationKind.HNTE, granted_on=granted, valid_until=datetime.date(2025, 11, 29)
    )
    assert not valid_on(q, datetime.date(2022, 11, 29))
    assert valid_on(q, datetime.date(2022, 11, 30))
    assert valid_on(q, datetime.date(2025, 11, 29))
    assert not valid_on(q, datetime.date(2025, 11, 30))


def test_revoked_qualification_is_invalid_from_the_revocation_date():
    q = Qualification(
        kind=QualificationKind.HNTE,
        granted_on=datetime.date(2022, 11, 30),
        valid_until=datetime.date(2025, 11, 29),
        revoked_on=datetime.date(2024, 5, 1),
    )
    assert valid_on(q, datetime.date(2024, 4, 30))
    assert not valid_on(q, datetime.date(2024, 5, 1))


def test_tech_sme_is_valid_to_the_end_of_its_year():
    assert default_valid_until(QualificationKind.TECH_SME, datetime.date(2024, 5, 10)) == datetime.date(
        2024, 12, 31
    )
    q = Qualification(
        kind=QualificationKind.TECH_SME,
        granted_on=datetime.date(2024, 5, 10),
        valid_until=datetime.date(2024, 12, 31),
    )
    assert valid_on(q, datetime.date(2024, 12, 31))
    assert not valid_on(q, datetime.date(2025, 1, 1))


def test_listing_has_no_end_date():
    assert default_valid_until(QualificationKind.LISTING, datetime.date(2020, 1, 1)) is None
    q = Qualification(kind=QualificationKind.LISTING, granted_on=datetime.date(2020, 1, 1))
    assert valid_on(q, datetime.date(2040, 1, 1))


@pytest.mark.django_db
def test_saving_a_qualification_fills_in_the_default_end_date(owned_enterprise):
    q = Qualification.objects.create(
        enterprise=owned_enterprise, kind="hnte", granted_on=datetime.date(2022, 11, 30)
    )
    assert q.valid_until == datetime.date(2025, 11, 29)
    printed = Qualification.objects.create(
        enterprise=owned_enterprise,
        kind="hnte",
        granted_on=datetime.date(2022, 11, 30),
        valid_until=datetime.date(2025, 12, 31),
    )
    assert printed.valid_until == datetime.date(2025, 12, 31)  # the certificate's own date wins


@pytest.mark.django_db
def test_qualification_edit_writes_history_on_the_enterprise(client, alice, owned_enterprise):
    q = Qualification.objects.create(
        enterprise=owned_enterprise, kind="hnte", granted_on=datetime.date(2022, 11, 30)
    )
    client.force_login(alice)
    data = {
        "kind": "hnte",
        "granted_on": "2022-11-30",
        "valid_until": "2025-11-29",
        "revoked_on": "2024-05-01",
    }
    assert (
        client.post(reverse("enterprises:qualification_edit", args=[q.pk]), with_version(q, data)).status_code
        == 302
    )
    change = ObjectChange.objects.get(action="update", object_id=str(q.pk))
    assert change.related_id == str(owned_enterprise.pk)
    assert (
        change.prechange_data["revoked_on"] is None and change.postchange_data["revoked_on"] == "2024-05-01"
    )
    assert "撤销/退出日期 ：— → 2024-05-01" in section(
        client.get(owned_enterprise.get_absolute_url()), "history"
    )
