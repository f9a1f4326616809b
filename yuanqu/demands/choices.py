from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryGroup(models.TextChoices):
    POLICY = "policy", _("政策咨询")
    FACTORS = "factors", _("要素保障")
    APPROVAL = "approval", _("审批手续")
    INFRASTRUCTURE = "infrastructure", _("基础设施")
    COMPLAINT = "complaint", _("投诉")
    SUGGESTION = "suggestion", _("建议")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    VISIT = "visit", _("走访")
    HOTLINE = "hotline", _("热线")
    HOTLINE_12345 = "12345", _("12345热线")
    PLATFORM = "platform", _("企业服务平台")
    FORUM = "forum", _("座谈会")
    LETTER = "letter", _("来信")
    PORTAL = "portal", _("企业端")


class DemandStatus(models.TextChoices):
    RECEIVED = "received", _("受理")
    ASSIGNED = "assigned", _("交办")
    ACCEPTED = "accepted", _("签收")
    IN_PROGRESS = "in_progress", _("办理中")
    ANSWERED = "answered", _("已答复待确认")
    CLOSED = "closed", _("办结")
    RETURNED = "returned", _("退回")
    FORWARDED = "forwarded", _("转办")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class DemandAction(models.TextChoices):
    RECEIVE = "receive", _("受理")
    ASSIGN = "assign", _("交办")
    ACCEPT = "accept", _("签收")
    START = "start", _("开始办理")
    ANSWER = "answer", _("答复")
    CLOSE = "close", _("办结")  # the holder's own closing before issue 13: history only
    CONFIRM = "confirm", _("确认办结")
    REOPEN = "reopen", _("重新办理")
    FOLLOW_UP = "follow_up", _("回访")
    RETURN = "return", _("退回")
    FORWARD = "forward", _("转办")
    ACKNOWLEDGE = "acknowledge", _("转办确认")
    REQUEST_EXTENSION = "request_extension", _("申请延期")
    APPROVE_EXTENSION = "approve_extension", _("批准延期")
    REJECT_EXTENSION = "reject_extension", _("不批准延期")
    URGE = "urge", _("催办")
    SUPERVISE = "supervise", _("督办单")
    CIRCULATE = "circulate", _("通报")


class EscalationLevel(models.TextChoices):
    """The steps an overdue demand escalates through, in order (REFERENCE §9 督办)."""

    URGE = "urge", _("催办")
    SUPERVISE = "supervise", _("督办单")
    CIRCULATE = "circulate", _("通报")


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


# Statuses in which the deadline clock runs and an overdue demand escalates: the demand is
# not yet answered. After 答复 it waits for the enterprise (确认办结 / 重新办理) or the
# holder's call-back (回访), which is not the holder's delay.
OPEN_STATUSES = (
    DemandStatus.RECEIVED,
    DemandStatus.ASSIGNED,
    DemandStatus.ACCEPTED,
    DemandStatus.IN_PROGRESS,
    DemandStatus.RETURNED,
)
ESCALATING_STATUSES = OPEN_STATUSES
AWAITING_STATUSES = (DemandStatus.ANSWERED,)
CLOSED_STATUSES = (DemandStatus.CLOSED,)
