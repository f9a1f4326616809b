from django.db import models


class ReportKind(models.TextChoices):
    """The report types the engine writes (its shipped templates)."""

    WEEKLY = "weekly", "周通报"
    MONTHLY = "monthly", "月度经济运行分析"
    ANNUAL = "annual", "年度工作总结"
    PLAN = "plan", "年度工作要点"


# What each kind is written for: a week's date, a month, or a year.
KIND_PARAM = {
    ReportKind.WEEKLY: "date",
    ReportKind.MONTHLY: "period",
    ReportKind.ANNUAL: "year",
    ReportKind.PLAN: "year",
}


class DocumentStatus(models.TextChoices):
    """三级审核: the drafter submits, the department head reviews, a leader approves."""

    DRAFT = "draft", "起草"
    DEPT_REVIEW = "dept_review", "部门负责人审核"
    LEADER_REVIEW = "leader_review", "领导审定"
    PUBLISHED = "published", "已发布"
    RETURNED = "returned", "退回修改"


class SignOffStep(models.TextChoices):
    SUBMIT = "submit", "起草人提交"
    DEPT = "dept", "部门负责人审核"
    LEADER = "leader", "领导审定"


class Decision(models.TextChoices):
    SUBMIT = "submit", "提交审核"
    APPROVE = "approve", "同意"
    RETURN = "return", "退回"


class VersionSource(models.TextChoices):
    GENERATED = "generated", "系统生成"
    EDITED = "edited", "修改后重新生成"
