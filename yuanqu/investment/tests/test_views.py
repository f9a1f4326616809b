"""The pages: the list restricted and exported, the detail with its stage form (403 without
change, 404 outside the grant), the board's one-click move, the statistics page."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
from django.urls import reverse

from yuanqu.core.models import AuditEvent, ObjectChange
from yuanqu.investment.models import Lead, LeadEvent

from .conftest import make_lead


def text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def move_url(lead):
    return reverse("investment:lead_move", args=[lead.pk])


def test_list_shows_leads_and_exports_the_filtered_rows(client, alice, lead, other_lead):
    client.force_login(alice)
    page = text(client.get(reverse("investment:lead_list")))
    assert "宁波锂电池项目" in page and "深圳电子元器件项目" in page  # staff view every lead
    page = text(client.get(reverse("investment:lead_list"), {"origin_region": "pearl"}))
    assert "深圳电子元器件项目" in page and "宁波锂电池项目" not in page
    response = client.get(reverse("investment:lead_list"), {"export": "xlsx", "q": "宁波"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert "项目名称" in rows[0] and len(rows) == 2 and "宁波锂电池项目" in rows[1]
    assert AuditEvent.objects.filter(kind="export", user_id=alice.pk).exists()


def test_list_is_refused_without_a_view_grant(client, enterprise_user, lead):
    client.force_login(enterprise_user)
    assert client.get(reverse("investment:lead_list")).status_code == 403
    assert client.get(lead.get_absolute_url()).status_code == 404


def test_staff_add_a_lead_for_their_department(client, alice, chain, econ_dept):
    client.force_login(alice)
    response = client.post(
        reverse("investment:lead_add"),
        {
            "name": "苏州光伏组件项目",
            "investor": "苏州光伏有限公司",
            "origin_region": "yangtze",
            "origin_city": "苏州",
            "industry_chain": chain.pk,
            "contracted_investment_wan": "12000",
            "source": "expo",
            "department": econ_dept.pk,
            "lead_on": "2024-05-06",
        },
    )
    assert response.status_code == 302, response.content.decode()
    lead = Lead.objects.get(name="苏州光伏组件项目")
    assert lead.stage == "lead" and lead.stage_changed_on == datetime.date(2024, 5, 6)
    assert list(lead.events.values_list("to_stage", "actor__username")) == [("lead", "alice")]
    assert ObjectChange.objects.filter(
        content_type__model="lead", object_id=str(lead.pk), action="create"
    ).exists()


def test_colleague_moves_the_stage_from_the_page(client, bob, lead):
    client.force_login(bob)
    page = client.get(lead.get_absolute_url())
    assert move_url(lead) in page.content.decode()
    response = client.post(move_url(lead), {"to": "negotiating", "date": "2024-04-10"})
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.stage == "negotiating" and lead.negotiating_on == datetime.date(2024, 4, 10)
    event = lead.events.last()
    assert (event.from_stage, event.to_stage, event.actor) == ("lead", "negotiating", bob)
    change = ObjectChange.objects.filter(
        content_type__model="lead", object_id=str(lead.pk), action="update"
    ).get()
    assert change.user_name and change.postchange_data["stage"] == "negotiating"
    page = text(client.get(lead.get_absolute_url()))
    assert "2024-04-10 线索 → 洽谈 · " in page


def test_a_skip_without_reason_is_refused_on_the_page(client, alice, lead):
    client.force_login(alice)
    response = client.post(move_url(lead), {"to": "started", "date": "2024-04-10"}, follow=True)
    assert "从“线索”到“开工”跳过了阶段，须填写原因" in text(response)
    lead.refresh_from_db()
    assert lead.stage == "lead" and lead.events.count() == 1


def test_another_department_sees_the_lead_but_gets_403_on_the_move(client, charlie, lead):
    client.force_login(charlie)
    page = client.get(lead.get_absolute_url())
    assert page.status_code == 200 and move_url(lead) not in page.content.decode()
    assert client.post(move_url(lead), {"to": "negotiating"}).status_code == 403
    lead.refresh_from_db()
    assert lead.stage == "lead"


def test_a_lead_outside_the_view_grant_is_404(client, alice, lead, invest_dept):
    from yuanqu.users.models import ObjectPermission

    # A zone where staff see only their own department's leads.
    ObjectPermission.objects.filter(name="部门人员-查看招商项目").update(enabled=False)
    ObjectPermission.objects.create(
        name="部门人员-查看本部门招商项目",
        role="staff",
        model="investment.lead",
        actions=["view"],
        constraint="own_department",
    )
    client.force_login(alice)
    other = make_lead("西区项目", invest_dept)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(move_url(other), {"to": "negotiating"}).status_code == 404
    assert client.get(lead.get_absolute_url()).status_code == 200  # own department still seen


def test_leader_sees_all_but_cannot_move(client, leader, lead):
    client.force_login(leader)
    assert client.get(lead.get_absolute_url()).status_code == 200
    assert client.post(move_url(lead), {"to": "negotiating"}).status_code == 403


def test_board_moves_a_card_to_the_next_stage(client, alice, lead, other_lead):
    client.force_login(alice)
    board = client.get(reverse("investment:board"))
    html = board.content.decode()
    assert "宁波锂电池项目" in html and "深圳电子元器件项目" in html
    # only the own department's card can be moved, by its button or by dragging
    assert html.count(">移至下一阶段</button>") == 1 and html.count('draggable="true" data-stage') == 1
    response = client.post(move_url(lead), {"to": "negotiating"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    fragment = text(response)
    assert "洽谈（1个" in fragment
    lead.refresh_from_db()
    assert lead.stage == "negotiating"
    assert LeadEvent.objects.filter(lead=lead, to_stage="negotiating", actor=alice).exists()
    assert client.post(move_url(other_lead), {"to": "negotiating"}, HTTP_HX_REQUEST="true").status_code == 403


def test_statistics_page_quotes_the_year(client, leader, econ_dept):
    make_lead(
        "大项目",
        econ_dept,
        lead_on=datetime.date(2023, 1, 5),
        stage="signed",
        signed_on=datetime.date(2023, 3, 1),
        contracted_investment_wan=Decimal("222600"),
    )
    client.force_login(leader)
    page = text(client.get(reverse("investment:statistics"), {"year": 2023, "stalled_days": 30}))
    assert "引进亿元以上项目 1 个" in page and "协议总投资22.26亿元" in page
    assert "10亿元以上项目 1 个" in page
    assert "大项目" in page  # stalled since its signing
    response = client.get(reverse("investment:statistics"), {"year": "abc"})
    assert "年度应为整数，如2025" in text(response)


def test_staff_record_funds_in_place_on_their_own_lead(client, alice, charlie, lead):
    client.force_login(alice)
    url = reverse("investment:lead_funds", args=[lead.pk])
    assert url in client.get(lead.get_absolute_url()).content.decode()
    response = client.post(
        url, {"date": "2024-06-01", "kind": "out_of_province", "amount_wan": "2500"}, follow=True
    )
    assert "已登记到位资金2500" in text(response)
    funds = lead.funds.get()
    assert funds.amount_wan == Decimal("2500") and funds.kind == "out_of_province"
    assert ObjectChange.objects.filter(content_type__model="fundsinplace", related_id=str(lead.pk)).exists()
    response = client.post(url, {"date": "2024-06-01", "kind": "foreign", "amount_wan": "-1"}, follow=True)
    assert "到位资金未登记：到位资金（万元）：到位资金须大于0" in text(response)
    assert lead.funds.count() == 1
    client.force_login(charlie)
    assert url not in client.get(lead.get_absolute_url()).content.decode()
    assert client.post(url, {"date": "2024-06-01", "kind": "foreign", "amount_wan": "10"}).status_code == 403


def test_statistics_page_computes_year_on_year_for_leads_and_size_bands(client, leader, econ_dept):
    from .test_services import signed

    # 2025: leads A, B, C, G; ≥1亿 A, B (16.20亿元); ≥10亿 A (15.00亿元).
    # 2024: leads E, F, K, H; ≥1亿 E, F, H (42.00亿元); ≥10亿 E, H (40.00亿元).
    signed("A", econ_dept, datetime.date(2025, 2, 1), 150000)
    signed("B", econ_dept, datetime.date(2025, 4, 1), 12000)
    signed("C", econ_dept, datetime.date(2025, 5, 1), 5000)
    make_lead("G", econ_dept, lead_on=datetime.date(2025, 6, 10))
    signed("E", econ_dept, datetime.date(2024, 3, 1), 100000)
    signed("F", econ_dept, datetime.date(2024, 5, 1), 20000)
    make_lead("K", econ_dept, lead_on=datetime.date(2024, 6, 30))
    signed("H", econ_dept, datetime.date(2024, 8, 1), 300000)
    client.force_login(leader)
    page = text(client.get(reverse("investment:statistics"), {"year": 2025}))
    assert "新增线索（个） 4 4 0.00" in page
    assert "亿元以上项目（个） 2 3 -33.33" in page
    assert "亿元以上项目协议投资（亿元） 16.20 42.00 -61.43" in page
    assert "10亿元以上项目（个） 1 2 -50.00" in page
    assert "10亿元以上项目协议投资（亿元） 15.00 40.00 -62.50" in page
    assert "协议总投资（亿元） 16.70 42.00" in page
