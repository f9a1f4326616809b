"""The pages: restricted list and export, reports added only by the lead department's staff,
the board's counts, and 销号 / 回头看 from the item page."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.supervision.models import LookbackReview, Task, TaskReport


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def report_data(**extra):
    return {"reported_on": "2024-06-05", "percent": "40", "progress": "已配备服务专员120名", **extra}


def test_list_shows_staff_every_task_and_filters_by_department(client, alice, task, other_task, econ_dept):
    client.force_login(alice)
    page = text(client.get(reverse("supervision:task_list")))
    assert task.number in page and other_task.number in page
    page = text(client.get(reverse("supervision:task_list"), {"department": econ_dept.pk}))
    assert task.number in page and other_task.number not in page


def test_list_is_not_for_enterprise_users(client, enterprise_user, task):
    client.force_login(enterprise_user)
    assert client.get(reverse("supervision:task_list")).status_code == 403
    assert client.get(task.get_absolute_url()).status_code == 404


def test_leader_exports_the_filtered_tasks(client, leader, task, other_task, invest_dept):
    client.force_login(leader)
    response = client.get(reverse("supervision:task_list"), {"department": invest_dept.pk, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert other_task.number in values and task.number not in values


def test_lead_department_staff_adds_a_report(client, alice, task):
    client.force_login(alice)
    assert "报送进展" in text(client.get(task.get_absolute_url()))
    response = client.post(reverse("supervision:taskreport_add", args=[task.pk]), report_data())
    assert response.status_code == 302
    report = TaskReport.objects.get(task=task)
    assert (report.percent, report.reporter, report.reported_on) == (40, alice, datetime.date(2024, 6, 5))
    assert ObjectChange.objects.filter(object_id=report.pk, user_id=alice.pk).exists()
    page = text(client.get(task.get_absolute_url()))
    assert "完成40%" in page and "已配备服务专员120名" in page


def test_other_departments_may_not_report(client, charlie, task):
    client.force_login(charlie)
    page = client.get(task.get_absolute_url())  # every task is visible to staff
    assert page.status_code == 200 and "报送进展" not in text(page)
    response = client.post(reverse("supervision:taskreport_add", args=[task.pk]), report_data())
    assert response.status_code == 403
    assert not TaskReport.objects.exists()


def test_a_bad_percent_is_refused_in_chinese(client, alice, task):
    client.force_login(alice)
    response = client.post(
        reverse("supervision:taskreport_add", args=[task.pk]), report_data(percent="120"), follow=True
    )
    assert "完成进度须在0到100之间" in text(response)
    assert not TaskReport.objects.exists()


def test_board_counts_per_department(client, leader, task, other_task, econ_dept):
    Task.objects.create(
        number="2024-003",
        work_point=task.work_point,
        text="出台惠企政策",
        department=econ_dept,
        report_cycle="quarterly",
        start_on=datetime.date(2024, 1, 2),
        due_on=datetime.date(2024, 6, 30),
        status="done",
    )
    client.force_login(leader)
    page = text(client.get(reverse("supervision:board")))
    # 经济发展局: 2 tasks, the open one long overdue (red), one done; 招商局: 1 task, red too.
    assert f"{econ_dept.name} 2 0 0 1 1" in page
    assert "招商局 1 0 0 1 0" in page
    overdue = text(client.get(reverse("supervision:overdue")))
    assert task.number in overdue and other_task.number in overdue and "2024-003" not in overdue


def test_close_needs_evidence_then_lookback_reopens(client, alice, leader, item):
    client.force_login(alice)
    close = reverse("supervision:rectification_close", args=[item.pk])
    response = client.post(close, {"evidence": "", "evidence_file": ""}, follow=True)
    assert "销号须提供佐证材料" in text(response)
    item.refresh_from_db()
    assert item.closed_on is None
    client.post(close, {"evidence": "联合检查台账", "evidence_file": "检查台账.pdf"})
    item.refresh_from_db()
    assert item.closed_on is not None and item.evidence_file == "检查台账.pdf"
    response = client.post(
        reverse("supervision:rectification_lookback", args=[item.pk]),
        {"passed": "0", "note": "问题反弹"},
        follow=True,
    )
    assert "回头看已记录：重新整改" in text(response)
    item.refresh_from_db()
    assert item.closed_on is None
    assert LookbackReview.objects.get(item=item).note == "问题反弹"


@pytest.mark.parametrize(
    "url_name", ["supervision:rectification_close", "supervision:rectification_lookback"]
)
def test_other_departments_may_not_close_or_review(client, charlie, item, url_name):
    client.force_login(charlie)
    response = client.post(reverse(url_name, args=[item.pk]), {"evidence": "台账", "passed": "1"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.closed_on is None


def test_light_filter_on_the_list(client, alice, task, other_task):
    # Both are open; task was due 2024-09-30 and is red now, other_task (2024-12-31) too.
    task.due_on = datetime.date(2099, 12, 31)
    task.save()
    client.force_login(alice)
    red = text(client.get(reverse("supervision:task_list"), {"light": "red"}))
    green = text(client.get(reverse("supervision:task_list"), {"light": "green"}))
    assert other_task.number in red and task.number not in red
    assert task.number in green and other_task.number not in green


def test_rectification_list_and_item_page(client, alice, item):
    client.force_login(alice)
    page = text(client.get(reverse("supervision:rectificationitem_list")))
    assert item.list_name in page and "涉企检查多头重复" in page
    page = text(client.get(item.get_absolute_url()))
    assert "推行“综合查一次”" in page and "未销号" in page and "佐证文件名" in page


def test_my_tasks_lists_my_departments_open_tasks_by_deadline(
    client, alice, charlie, task, other_task, work_point, econ_dept
):
    later = Task.objects.create(
        number="2024-003",
        work_point=work_point,
        text="新增规上工业企业10家",
        department=econ_dept,
        report_cycle="quarterly",
        start_on=datetime.date(2024, 1, 2),
        due_on=datetime.date(2024, 12, 31),
        status="on_track",
    )
    Task.objects.create(
        number="2024-004",
        work_point=work_point,
        text="已完成的任务",
        department=econ_dept,
        report_cycle="monthly",
        start_on=datetime.date(2024, 1, 2),
        due_on=datetime.date(2024, 3, 31),
        status="done",
    )
    client.force_login(alice)
    response = client.get(reverse("supervision:mine"))
    numbers = [row["task"].number for row in response.context["rows"]]
    assert numbers == [task.number, later.number]  # 经济发展局's open tasks, nearest deadline first
    assert "我的任务（2）" in text(response)
    client.force_login(charlie)
    numbers = [row["task"].number for row in client.get(reverse("supervision:mine")).context["rows"]]
    assert numbers == [other_task.number]
