"""Blockers become records of other apps, always through that app's services: an enterprise
demand (``demands.services.receive``) or a supervision task (``supervision.services.open_task``)."""

import datetime

from django.core.exceptions import ValidationError

from yuanqu.utilities.concurrency import refresh_locked

# The demand category a blocker of each kind becomes by default (demands' seeded categories).
DEMAND_CATEGORY = {
    "land": "用地",
    "power": "用电",
    "approval": "审批手续",
    "funding": "融资",
    "other": "其他",
}


def _check_unconverted(blocker):
    """Inside the conversion's transaction: the blocker read again under a row lock, so two
    people converting it at once (or from a page opened before the other's) convert it once."""
    refresh_locked(blocker)
    if blocker.demand_id:
        raise ValidationError(f"该堵点已转为企业诉求{blocker.demand.number}，不能重复转办")
    if blocker.task_id:
        raise ValidationError(f"该堵点已转为督办任务{blocker.task.number}，不能重复转办")


def blocker_to_demand(blocker, user, category, at=None):
    """受理 the blocker as a demand of the project's owner enterprise and link it."""
    from django.db import transaction

    from yuanqu.demands.choices import Channel
    from yuanqu.demands.services import receive

    project = blocker.project
    if project.enterprise_id is None:
        raise ValidationError(f"项目“{project}”没有业主企业，不能转为企业诉求，可转为督办任务")
    with transaction.atomic():
        _check_unconverted(blocker)
        demand = receive(
            user,
            enterprise=project.enterprise,
            category=category,
            channel=Channel.VISIT,
            title=f"重点项目{project.code}{blocker.get_kind_display()}问题"[:200],
            description=f"由重点项目“{project}”的堵点转入：{blocker.description}",
            received_at=at,
            text="由重点项目堵点转为诉求",
        )
        blocker.demand = demand
        blocker.save()
    return demand


def blocker_to_task(blocker, user, work_point, due_on, today=None):
    """Open a supervision task (weekly reports) for the blocker's owner department and link it."""
    from django.db import transaction

    from yuanqu.supervision.choices import ReportCycle
    from yuanqu.supervision.services import open_task

    today = today or datetime.date.today()
    if due_on < today:
        raise ValidationError({"due_on": "完成时限不能早于今天"})
    project = blocker.project
    with transaction.atomic():
        _check_unconverted(blocker)
        task = open_task(
            work_point=work_point,
            text=f"协调解决重点项目“{project}”的{blocker.get_kind_display()}问题：{blocker.description}",
            department=blocker.owner_department or project.department,
            leader=project.leader,
            report_cycle=ReportCycle.WEEKLY,
            start_on=today,
            due_on=due_on,
            message="由重点项目堵点转为督办任务",
        )
        blocker.task = task
        blocker.save()
    return task
