"""The pages: configure a scheme, run the evaluation, read and export the results, appeal."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.evaluation.models import (
    Appeal,
    EvaluationInput,
    EvaluationResult,
    EvaluationScheme,
    SchemeIndicator,
)
from yuanqu.evaluation.services import default_rules

from .conftest import make_scheme

pytestmark = pytest.mark.django_db
D = Decimal
RESULTS = reverse("evaluation:evaluationresult_list")


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def run(client, scheme):
    return client.post(reverse("evaluation:evaluationscheme_evaluate", args=[scheme.pk]), follow=True)


def result_of(enterprise, year=2024):
    return EvaluationResult.objects.get(enterprise=enterprise, year=year)


@pytest.fixture
def evaluated(client, alice, scheme, evaluated_world):
    client.force_login(alice)
    run(client, scheme)
    client.logout()
    return evaluated_world


# --- configuration --------------------------------------------------------------------------


def scheme_data(
    weights=(30, 20, 20, 10, 10, 10), cuts=(20, 65, 95), basis="rank", year=2025, department=None
):
    data = {
        "year": year,
        "populations": ["industry"],
        "class_basis": basis,
        "cut_a": cuts[0],
        "cut_b": cuts[1],
        "cut_c": cuts[2],
        "status": "draft",
        "department": department,
        "indicators-TOTAL_FORMS": 6,
        "indicators-INITIAL_FORMS": 0,
    }
    for n, (rule, weight) in enumerate(zip(default_rules(), weights, strict=True)):
        data |= {
            f"indicators-{n}-code": rule.code,
            f"indicators-{n}-weight": weight,
            f"indicators-{n}-benchmark": rule.benchmark,
            f"indicators-{n}-when_missing": rule.when_missing,
        }
    return data


def test_new_scheme_form_offers_the_reference_weights(client, alice):
    client.force_login(alice)
    page = client.get(reverse("evaluation:evaluationscheme_add"))
    assert page.status_code == 200
    assert 'value="24.097"' in page.content.decode() and 'value="4929.81"' in page.content.decode()


def test_staff_create_a_scheme_with_its_indicators(client, alice, econ_dept):
    client.force_login(alice)
    response = client.post(reverse("evaluation:evaluationscheme_add"), scheme_data(department=econ_dept.pk))
    assert response.status_code == 302
    scheme = EvaluationScheme.objects.get(year=2025)
    assert sorted(scheme.indicators.values_list("weight", flat=True)) == [10, 10, 10, 20, 20, 30]
    assert ObjectChange.objects.filter(object_repr=str(scheme), user_name="alice", action="create").exists()
    page = text(client.get(scheme.get_absolute_url()))
    assert "A 前20.00%，B 前65.00%，C 前95.00%" in page and "亩均税收" in page


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"weights": (30, 20, 20, 10, 10, 5)}, "各指标权重合计须为100，现为95"),
        ({"cuts": (20, 15, 95)}, "B类档线须大于A类档线"),
        ({"cuts": (100, 80, 90), "basis": "score"}, "C类最低分须低于B类最低分，档线不能重叠"),
    ],
)
def test_invalid_schemes_are_refused_in_chinese(client, alice, econ_dept, changes, message):
    client.force_login(alice)
    response = client.post(
        reverse("evaluation:evaluationscheme_add"), scheme_data(department=econ_dept.pk, **changes)
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not EvaluationScheme.objects.exists() and not SchemeIndicator.objects.exists()


# --- the run --------------------------------------------------------------------------------


def test_running_the_evaluation_scores_ranks_and_classes(client, alice, scheme, evaluated_world):
    client.force_login(alice)
    page = text(run(client, scheme))
    assert "计分2家，未计分1家" in page
    owned, other = result_of(evaluated_world["owned"]), result_of(evaluated_world["other"])
    assert round(owned.score, 2) == D("115.71") and (owned.rank, owned.grade) == (1, "B")
    assert round(other.score, 2) == D("97.03") and (other.rank, other.grade) == (2, "C")
    missing = result_of(evaluated_world["no_land"])
    assert missing.score is None and missing.grade == "" and "用地面积未登记，不参加评价" in missing.note
    assert ObjectChange.objects.filter(object_id=str(owned.pk), action="create", user_name="alice").exists()


def test_a_rerun_without_new_data_changes_nothing(client, alice, scheme, evaluated):
    client.force_login(alice)
    before = ObjectChange.objects.filter(content_type__model="evaluationresult").count()
    assert "结果有变化0家" in text(run(client, scheme))
    assert ObjectChange.objects.filter(content_type__model="evaluationresult").count() == before


def test_result_page_shows_the_inputs_and_where_they_came_from(client, leader, evaluated):
    client.force_login(leader)
    page = text(client.get(result_of(evaluated["owned"]).get_absolute_url()))
    assert "115.71" in page and "37.35" in page
    assert "经济运行月报，1–12月累计" in page  # 评价税收 from December's YTD, not November's
    assert "经济运行月报，2个月月末数平均" in page  # employees (390 + 410) / 2
    assert "评价基础数据（统计局年报）" in page


def test_change_from_last_year(client, alice, econ_dept, scheme, evaluated_world):
    last = make_scheme(2023, econ_dept)
    EvaluationResult.objects.create(scheme=last, enterprise=evaluated_world["owned"], year=2023, grade="C")
    client.force_login(alice)
    run(client, scheme)
    owned = result_of(evaluated_world["owned"])
    assert (owned.previous_grade, owned.change) == ("C", "up")
    assert "↑ C→B" in text(client.get(RESULTS, {"year": 2024}))
    assert result_of(evaluated_world["other"]).change_display() == "首次评价"


def test_only_the_schemes_department_may_run_it(client, charlie, enterprise_user, scheme, evaluated_world):
    client.force_login(charlie)
    assert run(client, scheme).status_code == 403
    client.force_login(enterprise_user)
    assert run(client, scheme).status_code == 404
    assert not EvaluationResult.objects.exists()


def test_a_scheme_with_bad_weights_does_not_run(client, alice, scheme, evaluated_world):
    SchemeIndicator.objects.filter(scheme=scheme, code="tax_per_mu").update(weight=25)
    client.force_login(alice)
    assert "评价未运行：各指标权重合计须为100，现为95" in text(run(client, scheme))
    assert not EvaluationResult.objects.exists()


# --- results, filters, export -------------------------------------------------------------------


def test_results_filter_by_class_and_zone_with_the_distribution(client, leader, evaluated, west):
    client.force_login(leader)
    page = text(client.get(RESULTS, {"year": 2024}))
    assert "B类 1 家" in page and "C类 1 家" in page and "未计分 1 家" in page
    page = text(client.get(RESULTS, {"grade": "B"}))
    assert evaluated["owned"].name in page and evaluated["other"].name not in page
    page = text(client.get(RESULTS, {"zone": west.pk}))
    assert evaluated["other"].name in page and evaluated["owned"].name not in page
    assert "A类 0 家" in page and "C类 1 家" in page


def test_export_is_the_filtered_table_and_audited(client, leader, evaluated):
    client.force_login(leader)
    response = client.get(RESULTS, {"year": 2024, "grade": "B", "export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert "亩均税收（万元/亩）" in header and "综合得分" in header and "较上年" in header
    assert len(body) == 1
    row = dict(zip(header, body[0], strict=True))
    assert row["企业"] == evaluated["owned"].name and row["综合得分"] == 115.71 and row["分类"] == "B"
    assert row["亩均税收（万元/亩）"] == 30
    event = AuditEvent.objects.get(kind="export")
    assert event.user_name == "leader" and event.data["rows"] == 1


def test_enterprise_user_sees_only_its_own_result(client, enterprise_user, evaluated):
    client.force_login(enterprise_user)
    page = text(client.get(RESULTS))
    assert evaluated["owned"].name in page and evaluated["other"].name not in page
    assert client.get(result_of(evaluated["other"]).get_absolute_url()).status_code == 404
    assert client.get(result_of(evaluated["owned"]).get_absolute_url()).status_code == 200
    assert client.get(RESULTS, {"export": "xlsx"}).status_code == 403


def test_draft_results_are_not_shown_to_enterprises(client, enterprise_user, scheme, evaluated):
    scheme.status = "draft"
    scheme.save()
    client.force_login(enterprise_user)
    assert evaluated["owned"].name not in text(client.get(RESULTS))
    assert client.get(result_of(evaluated["owned"]).get_absolute_url()).status_code == 404


# --- appeals --------------------------------------------------------------------------------


def appeal(client, result, reason="用地面积含代征道路，实际使用40亩"):
    return client.post(reverse("evaluation:appeal_add", args=[result.pk]), {"reason": reason}, follow=True)


def test_enterprise_files_an_appeal_for_its_own_result_only(client, enterprise_user, evaluated):
    client.force_login(enterprise_user)
    response = appeal(client, result_of(evaluated["owned"]))
    assert "申诉已提交" in text(response)
    filed = Appeal.objects.get()
    assert (filed.submitted_by, filed.status, filed.result.enterprise) == (
        enterprise_user,
        "pending",
        evaluated["owned"],
    )
    assert appeal(client, result_of(evaluated["other"])).status_code == 404
    assert Appeal.objects.count() == 1


def test_accepted_appeal_corrects_the_data_and_rescores(client, alice, enterprise_user, evaluated):
    client.force_login(enterprise_user)
    appeal(client, result_of(evaluated["owned"]))
    filed = Appeal.objects.get()
    client.force_login(alice)
    data = {"status": "accepted", "resolution": "经核实，实际用地40亩", "land_area_mu": "40"}
    page = text(client.post(reverse("evaluation:appeal_resolve", args=[filed.pk]), data, follow=True))
    assert "申诉已处理：已采纳" in page
    filed.refresh_from_db()
    assert (filed.status, filed.resolver, filed.corrections) == ("accepted", alice, {"land_area_mu": "40"})
    evaluated["owned"].refresh_from_db()
    assert evaluated["owned"].land_area_mu == D(40)
    owned = result_of(evaluated["owned"])
    # 1500/40 = 37.5 → 46.69 points; 8000/40 = 200 → 29.38 points
    assert round(owned.score, 2) == D("130.92")
    assert ObjectChange.objects.filter(object_id=str(owned.pk), action="update", user_name="alice").exists()
    assert ObjectChange.objects.filter(
        object_id=str(evaluated["owned"].pk), content_type__model="enterprise", action="update"
    ).exists()
    again = client.post(reverse("evaluation:appeal_resolve", args=[filed.pk]), data, follow=True)
    assert "该申诉已处理，不能再次处理" in text(again)


def test_data_corrections_go_to_the_years_evaluation_data(client, alice, evaluated):
    result = result_of(evaluated["owned"])
    filed = Appeal.objects.create(result=result, reason="能耗数据有误", submitted_by=alice)
    client.force_login(alice)
    data = {"status": "accepted", "resolution": "按统计局更正数", "energy_tce": "2000"}
    client.post(reverse("evaluation:appeal_resolve", args=[filed.pk]), data)
    assert EvaluationInput.objects.get(enterprise=evaluated["owned"], year=2024).energy_tce == D(2000)
    assert result_of(evaluated["owned"]).values["va_per_energy"]["value"] == "4"


def test_a_rejected_appeal_changes_no_data(client, alice, evaluated):
    result = result_of(evaluated["owned"])
    filed = Appeal.objects.create(result=result, reason="不服", submitted_by=alice)
    client.force_login(alice)
    data = {"status": "rejected", "resolution": "数据无误", "tax_wan": "9999"}
    page = text(client.post(reverse("evaluation:appeal_resolve", args=[filed.pk]), data, follow=True))
    assert "不予采纳的申诉不能更正数据或调档" in page
    filed.refresh_from_db()
    assert filed.status == "pending" and result_of(evaluated["owned"]).score == result.score


def test_only_the_schemes_department_resolves(client, charlie, enterprise_user, evaluated):
    filed = Appeal.objects.create(result=result_of(evaluated["owned"]), reason="不服")
    data = {"status": "rejected", "resolution": "数据无误"}
    client.force_login(charlie)
    assert client.post(reverse("evaluation:appeal_resolve", args=[filed.pk]), data).status_code == 403
    client.force_login(enterprise_user)
    assert client.post(reverse("evaluation:appeal_resolve", args=[filed.pk]), data).status_code == 403
    filed.refresh_from_db()
    assert filed.status == "pending"


def test_appeal_page_offers_resolution_to_the_schemes_department_only(
    client, alice, enterprise_user, evaluated
):
    filed = Appeal.objects.create(
        result=result_of(evaluated["owned"]), reason="用地面积有误", submitted_by=enterprise_user
    )
    client.force_login(enterprise_user)
    page = text(client.get(filed.get_absolute_url()))
    assert "用地面积有误" in page and "待处理" in page and "保存处理结果" not in page
    client.force_login(alice)
    page = text(client.get(filed.get_absolute_url()))
    assert "保存处理结果" in page and "更正用地面积（亩）" in page


def test_staff_enter_evaluation_data_for_their_departments_enterprises(
    client, alice, owned_enterprise, other_enterprise
):
    client.force_login(alice)
    url = reverse("evaluation:evaluationinput_add")
    data = {"enterprise": owned_enterprise.pk, "year": 2024, "value_added_wan": "8000", "energy_tce": "2500"}
    assert client.post(url, data).status_code == 302
    entered = EvaluationInput.objects.get(enterprise=owned_enterprise)
    assert entered.energy_tce == D(2500)
    assert ObjectChange.objects.filter(object_id=str(entered.pk), user_name="alice", action="create").exists()
    refused = client.post(url, {**data, "enterprise": other_enterprise.pk})
    assert refused.status_code == 200 and "超出了您的权限范围" in text(refused)
    assert not EvaluationInput.objects.filter(enterprise=other_enterprise).exists()
