from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkPointSource(models.TextChoices):
    WORK_POINT = "work_point", _("工作要点")
    MEETING = "meeting", _("会议决定")
    INSTRUCTION = "instruction", _("领导批示")


class ReportCycle(models.TextChoices):
    WEEKLY = "weekly", _("周")
    MONTHLY = "monthly", _("月")
    QUARTERLY = "quarterly", _("季")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    ON_TRACK = "on_track", _("正常推进")
    AT_RISK = "at_risk", _("有风险")
    OVERDUE = "overdue", _("逾期")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


# Statuses in which the clock runs (lights, missing reports).
OPEN_STATUSES = [TaskStatus.NOT_STARTED, TaskStatus.ON_TRACK, TaskStatus.AT_RISK, TaskStatus.OVERDUE]


class ReviewResult(models.TextChoices):
    PASSED = "passed", _("通过")
    REOPENED = "reopened", _("重新整改")


class PeriodKind(models.TextChoices):
    WEEK = "week", _("周通报")
    MONTH = "month", _("月小结")
    QUARTER = "quarter", _("季盘点")
    YEAR = "year", _("年终考核")
