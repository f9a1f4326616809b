"""Task create/edit with milestones, 取消 with a reason, 催办 by the 督查室, and what the
inspector may and may not do across departments."""

import datetime

import pytest
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.supervision.models import Task, TaskMilestone, TaskReport, TaskUrge
from yuanqu.utilities.testing.views import with_version

from .test_views import report_data, text


def task_data(work_point, department, **extra):
    data = {
        "number": "2024-010",
        "work_point": work_point.pk,
        "text": "建成人才公寓一期",
        "target": "交付300套",
        "department": department.pk,
        "report_cycle": "monthly",
        "start_on": "2024-03-01",
        "due_on": "",
        "due_text": "6月底前完成",
        "status": "on_track",
        "done_on": "",
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
        "milestones-0-text": "4月底前完成主体结构",
        "milestones-0-due_on": "2024-04-30",
        "milestones-1-text": "",
        "milestones-1-due_on": "",
    }
    data.update(extra)
    return data


def test_inspector_creates_a_task_with_milestones_and_a_due_phrase(
    client, inspector, work_point, econ_dept, invest_dept
):
    client.force_login(inspector)
    assert client.get(reverse("supervision:task_add")).status_code == 200
    data = task_data(work_point, econ_dept, supporting_departments=[invest_dept.pk])
    response = client.post(reverse("supervision:task_add"), data)
    task = Task.objects.get(number="2024-010")
    assert response.status_code == 302 and response.url == task.get_absolute_url()
    assert task.due_on == datetime.date(2024, 6, 30) and task.due_text == "6月底前完成"
    assert list(task.supporting_departments.all()) == [invest_dept]
    milestone = TaskMilestone.objects.get(task=task)
    assert (milestone.text, milestone.due_on) == ("4月底前完成主体结构", datetime.date(2024, 4, 30))
    assert ObjectChange.objects.filter(object_id=str(task.pk), action="create", user_id=inspector.pk).exists()
    page = text(client.get(task.get_absolute_url()))
    assert "2024-06-30（6月底前完成）" in page and "招商局" in page and "4月底前完成主体结构" in page


@pytest.mark.parametrize(
    "extra, message",
    [
        ({"due_text": "年中"}, "无法识别时限“年中”"),
        ({"due_text": "", "due_on": ""}, "请填写完成时限"),
        ({"due_on": "2024-01-15"}, "完成时限2024-01-15早于开始日期2024-03-01"),
        ({"status": "done"}, "状态为“已完成”时须填写完成日期"),
        ({"milestones-0-due_on": ""}, "第1个节点：请填写节点时限"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(client, inspector, work_point, econ_dept, extra, message):
    client.force_login(inspector)
    response = client.post(reverse("supervision:task_add"), task_data(work_point, econ_dept, **extra))
    assert response.status_code == 200
    assert not Task.objects.exists() and not TaskMilestone.objects.exists()
    assert message in text(response)


def test_lead_department_cannot_name_itself_supporting(client, inspector, work_point, econ_dept):
    client.force_login(inspector)
    response = client.post(
        reverse("supervision:task_add"),
        task_data(work_point, econ_dept, supporting_departments=[econ_dept.pk]),
    )
    assert "已是牵头单位，不能同时作为配合单位" in text(response)
    assert not Task.objects.exists()


def test_edit_changes_milestones_and_keeps_the_log(client, inspector, task):
    done = TaskMilestone.objects.create(task=task, text="5月底前摸底", due_on=datetime.date(2024, 5, 31))
    client.force_login(inspector)
    data = task_data(
        task.work_point,
        task.department,
        number=task.number,
        start_on="2024-05-07",
        due_text="",
        due_on="2024-10-31",
        **{
            "milestones-INITIAL_FORMS": "1",
            "milestones-0-id": done.pk,
            "milestones-0-task": task.pk,
            "milestones-0-text": "5月底前摸底",
            "milestones-0-due_on": "2024-05-31",
            "milestones-0-done_on": "2024-05-28",
        },
    )
    response = client.post(
        reverse("supervision:task_edit", args=[task.pk]), with_version(task, data, children=True)
    )
    assert response.status_code == 302
    task.refresh_from_db()
    done.refresh_from_db()
    assert task.due_on == datetime.date(2024, 10, 31) and done.done_on == datetime.date(2024, 5, 28)
    assert ObjectChange.objects.filter(object_id=str(done.pk), action="update").exists()


def test_staff_may_not_edit_other_departments_tasks(client, charlie, alice, task):
    client.force_login(charlie)
    assert client.get(reverse("supervision:task_edit", args=[task.pk])).status_code == 404
    # staff hold no change grant on tasks at all: the lead department reports, the office edits
    client.force_login(alice)
    assert client.get(reverse("supervision:task_edit", args=[task.pk])).status_code == 404


def test_cancel_needs_a_reason_and_stops_the_clock(client, inspector, task):
    client.force_login(inspector)
    url = reverse("supervision:task_cancel", args=[task.pk])
    response = client.post(url, {"reason": ""})
    assert "请填写取消原因" in text(response)
    task.refresh_from_db()
    assert task.status == "on_track"
    client.post(url, {"reason": "并入2024-020任务统一推进"})
    task.refresh_from_db()
    assert (task.status, task.cancel_reason) == ("cancelled", "并入2024-020任务统一推进")
    page = text(client.get(task.get_absolute_url()))
    assert "已取消" in page and "并入2024-020任务统一推进" in page
    response = client.post(url, {"reason": "再次取消"}, follow=True)
    assert "当前状态为“已取消”，不能取消" in text(response)


def test_inspector_urges_but_does_not_report(client, inspector, task):
    client.force_login(inspector)
    page = text(client.get(task.get_absolute_url()))
    assert "催办" in page and "报送进展" not in page
    response = client.post(reverse("supervision:task_urge", args=[task.pk]), {"text": "请于本周五前报送进展"})
    assert response.status_code == 302
    urge = TaskUrge.objects.get(task=task)
    assert (urge.urged_by, urge.text) == (inspector, "请于本周五前报送进展")
    assert "请于本周五前报送进展" in text(client.get(task.get_absolute_url()))
    response = client.post(reverse("supervision:taskreport_add", args=[task.pk]), report_data())
    assert response.status_code == 403 and not TaskReport.objects.exists()


def test_staff_may_not_urge(client, alice, task):
    client.force_login(alice)
    assert "催办内容" not in text(client.get(task.get_absolute_url()))
    assert client.post(reverse("supervision:task_urge", args=[task.pk]), {"text": "催"}).status_code == 403
    assert not TaskUrge.objects.exists()


def test_inspector_sees_every_department_but_closes_nothing(client, inspector, item, other_task):
    client.force_login(inspector)
    assert client.get(other_task.get_absolute_url()).status_code == 200
    assert client.get(reverse("demands:demand_list")).status_code == 200
    response = client.post(reverse("supervision:rectification_close", args=[item.pk]), {"evidence": "台账"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.closed_on is None


def test_a_report_of_100_percent_completes_the_task(client, alice, task):
    client.force_login(alice)
    page = text(client.get(task.get_absolute_url()))
    assert "亮灯 红灯" in page
    response = client.post(
        reverse("supervision:taskreport_add", args=[task.pk]),
        report_data(reported_on="2024-10-08", percent="100", progress="全部规上企业已配备服务专员"),
        follow=True,
    )
    task.refresh_from_db()
    assert (task.status, task.done_on) == ("done", datetime.date(2024, 10, 8))
    page = text(response)
    assert (
        "已报送2024-10-08进展，任务已完成" in page and "亮灯 —" in page and "已完成（2024-10-08完成）" in page
    )
    assert ObjectChange.objects.filter(object_id=str(task.pk), action="update", user_id=alice.pk).exists()
