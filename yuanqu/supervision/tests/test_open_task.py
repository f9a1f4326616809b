"""Opening a task for another app's record: numbered here only, recorded in the change log."""

import datetime

from yuanqu.core.models import ObjectChange
from yuanqu.supervision.models import Task
from yuanqu.supervision.services import next_task_number, open_task


def open_one(work_point, department, start_on, **extra):
    return open_task(
        work_point=work_point,
        text="协调解决重点项目用电问题",
        department=department,
        report_cycle="weekly",
        start_on=start_on,
        due_on=start_on + datetime.timedelta(days=30),
        **extra,
    )


def test_opened_tasks_take_the_next_number_of_their_start_year(work_point, econ_dept, task, leader):
    Task.objects.filter(pk=task.pk).update(number="DB2024-007")  # a typed number in the same series
    first = open_one(work_point, econ_dept, datetime.date(2024, 6, 3), leader=leader)
    second = open_one(work_point, econ_dept, datetime.date(2024, 6, 4))
    next_year = open_one(work_point, econ_dept, datetime.date(2025, 1, 6))
    assert (first.number, second.number, next_year.number) == ("DB2024-008", "DB2024-009", "DB2025-001")
    assert first.leader == leader and first.status == "not_started" and first.report_cycle == "weekly"
    assert next_task_number(2024) == "DB2024-010"


def test_an_opened_task_is_in_the_change_log_with_its_reason(work_point, econ_dept):
    task = open_one(work_point, econ_dept, datetime.date(2024, 6, 3), message="由重点项目堵点转为督办任务")
    change = ObjectChange.objects.get(content_type__model="task", object_id=str(task.pk))
    assert change.action == "create" and change.message == "由重点项目堵点转为督办任务"
    assert change.postchange_data["number"] == "DB2024-001"
