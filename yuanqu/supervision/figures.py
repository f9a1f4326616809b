"""Supervision's figures for the catalogue, for the year up to the month's end: tasks due,
done, done on time and overdue, and rectification items due and closed (销号率)."""

from functools import partial

from django.db.models import F, Q
from django.urls import reverse

from yuanqu.figures.catalogue import Figure, Result

from .choices import TaskStatus

SCOPES = ("park", "department")


def _scoped(model, query):
    return query.records(model.objects.all(), department="department")


def _tasks_due(q):
    from .models import Task

    return (
        _scoped(Task, q)
        .exclude(status=TaskStatus.CANCELLED)
        .filter(due_on__gte=q.first_day, due_on__lte=q.last_day)
    )


def tasks(kind, query) -> Result:
    def count(q):
        due = _tasks_due(q)
        done = due.filter(done_on__isnull=False, done_on__lte=q.last_day)
        return {
            "due": due,
            "done": done,
            "on_time": done.filter(done_on__lte=F("due_on")),
            "overdue": due.filter(Q(done_on__isnull=True) | Q(done_on__gt=q.last_day), due_on__lt=q.last_day),
        }[kind].count()

    link = reverse("supervision:task_list")
    return Result(count(query), base=count(query.last_year()), link=link)


def task_rate(query) -> Result:
    def rate(q):
        due = _tasks_due(q).count()
        done = _tasks_due(q).filter(done_on__isnull=False, done_on__lte=F("due_on")).count()
        return round(100 * done / due, 1) if due else None

    value = rate(query)
    return Result(value, base=rate(query.last_year()), link=reverse("supervision:task_list"),
                  note="" if value is not None else "本期没有到期的督办任务")  # fmt: skip


def rectification(kind, query) -> Result:
    from .models import RectificationItem

    def value(q):
        due = _scoped(RectificationItem, q).filter(due_on__gte=q.first_day, due_on__lte=q.last_day)
        closed = due.filter(closed_on__isnull=False, closed_on__lte=q.last_day).count()
        if kind == "rate":
            return round(100 * closed / due.count(), 1) if due.exists() else None
        return due.count() if kind == "due" else closed

    result = Result(
        value(query), base=value(query.last_year()), link=reverse("supervision:rectificationitem_list")
    )
    if result.value is None:
        result.note = "本期没有到期的整改事项"
    return result


def provide():
    task, item = "supervision.task", "supervision.rectificationitem"
    yield Figure(
        "supervision.tasks_due",
        "到期督办任务",
        "项",
        "count",
        partial(tasks, "due"),
        SCOPES,
        task,
        "完成时限在本年1月至月末的任务（不含已取消）",
    )
    yield Figure(
        "supervision.tasks_done",
        "已完成督办任务",
        "项",
        "count",
        partial(tasks, "done"),
        SCOPES,
        task,
        "其中月末前已完成的",
    )
    yield Figure(
        "supervision.tasks_on_time",
        "按期完成督办任务",
        "项",
        "count",
        partial(tasks, "on_time"),
        SCOPES,
        task,
        "其中在完成时限内完成的",
    )
    yield Figure(
        "supervision.tasks_overdue",
        "逾期督办任务",
        "项",
        "count",
        partial(tasks, "overdue"),
        SCOPES,
        task,
        "已过完成时限、月末仍未完成的",
    )
    yield Figure(
        "supervision.tasks_on_time_rate",
        "督办任务按期完成率",
        "%",
        "ratio",
        task_rate,
        SCOPES,
        task,
        "按期完成 ÷ 到期任务",
    )
    yield Figure(
        "supervision.rectification_due",
        "到期整改事项",
        "项",
        "count",
        partial(rectification, "due"),
        SCOPES,
        item,
        "时间节点在本年1月至月末",
    )
    yield Figure(
        "supervision.rectification_closed",
        "已销号整改事项",
        "项",
        "count",
        partial(rectification, "closed"),
        SCOPES,
        item,
        "其中月末前已销号的",
    )
    yield Figure(
        "supervision.rectification_rate",
        "整改销号率",
        "%",
        "ratio",
        partial(rectification, "rate"),
        SCOPES,
        item,
        "已销号 ÷ 到期整改事项",
    )
