"""Recording: versioned monthly reports, and escalation to the scheduling meeting (提级调度)
with the meeting's decision."""

import datetime

from django.core.exceptions import ValidationError

from yuanqu.core.versioning import record_version
from yuanqu.utilities.periods import describe

from ..choices import Light
from .lights import light


def record_progress(
    project, period, *, month_investment_wan, physical_progress="", problems="", reason="", user=None
):
    """Save a month's report as a new version; a correction needs a reason, the old is kept."""
    from ..models import MonthlyProgress

    return record_version(
        MonthlyProgress,
        {"project": project, "period": period},
        {
            "month_investment_wan": month_investment_wan,
            "physical_progress": physical_progress,
            "problems": problems,
        },
        reason=reason,
        user=user,
        what="月报",
        when=describe(period),
    )


def escalate(project, period, user, reason: str):
    """Put a red project on the scheduling-meeting list (提级调度)."""
    from ..models import Escalation

    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写提级理由"})
    result = light(project, period)
    if result.light != Light.RED:
        raise ValidationError(f"{project}在{describe(period)}为{result.label}，只有红灯项目可以提级调度")
    if Escalation.objects.filter(project=project, decided_on=None).exists():
        raise ValidationError(f"{project}已在调度会议清单上，尚未作出决定")
    return Escalation.objects.create(project=project, period=period, raised_by=user, reason=reason.strip())


def decide(escalation, decision: str, on: datetime.date):
    """Record the scheduling meeting's decision on an escalation."""
    if not (decision or "").strip():
        raise ValidationError({"decision": "请填写调度决定"})
    escalation.decision = decision.strip()
    escalation.decided_on = on
    escalation.save()
    return escalation
