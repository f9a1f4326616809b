"""The 督查室 follows an overdue task from the board; the lead department reports it done
and the task's red light goes out."""

import datetime

import pytest

from yuanqu.supervision.models import Task, WorkPoint

from .conftest import login_as

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_inspector_finds_an_overdue_task_and_the_lead_department_reports(page, inspector, alice, econ_dept):
    point = WorkPoint.objects.create(year=2024, number="01", title="优化营商环境", source="work_point")
    task = Task.objects.create(
        number="DB2024-007",
        work_point=point,
        text="推进企业服务专员制度全覆盖",
        department=econ_dept,
        report_cycle="monthly",
        start_on=datetime.date(2024, 1, 2),
        due_on=datetime.date(2024, 9, 30),
        status="overdue",
    )
    login_as(page, "inspector")
    page.goto("/tasks/board/")
    row = page.locator("#board tr", has_text="经济发展局")
    assert row.locator("td").nth(4).inner_text() == "1"  # one red
    row.locator("td").nth(4).locator("a").click()  # the red tasks of 经济发展局
    page.get_by_role("link", name=task.number).click()
    page.wait_for_url(f"**/tasks/{task.pk}/")
    assert page.locator("#task-light").inner_text() == "红灯"
    assert page.locator("text=报送进展").count() == 0  # the office presses, it does not report
    page.fill("#urges textarea[name=text]", "请于本周内报送完成情况")
    page.click("#urges button[type=submit]")
    assert "已催办任务DB2024-007" in page.locator(".messages").inner_text()

    page.context.clear_cookies()
    login_as(page, "alice")
    page.goto(f"/tasks/{task.pk}/")
    assert "请于本周内报送完成情况" in page.locator("#urges").inner_text()
    page.fill("#reports input[name=reported_on]", "2024-10-10")
    page.fill("#reports input[name=percent]", "100")
    page.fill("#reports textarea[name=progress]", "规上企业服务专员已全部配备到位")
    page.click("#reports button[type=submit]")
    page.wait_for_url(f"**/tasks/{task.pk}/")
    assert "任务已完成" in page.locator(".messages").inner_text()
    assert page.locator("#task-light").inner_text() == "—"
    assert "已完成" in page.locator("#summary").inner_text()
    page.screenshot(path="/tmp/supervision-task.png", full_page=True)
