"""What every page family of the key-project book shares: the project queryset, the month
asked for, the 逾期天数 note, the light-rule check and the child-record edit view."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from yuanqu.users.permissions import restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.periods import last_complete_month, period_param

from ..models import KeyProject
from ..services.figures import as_of_day
from ..services.lights import load_rules

PROJECTS = KeyProject.objects.select_related("enterprise", "department", "leader").prefetch_related(
    "plans", "milestones"
)


def period_of(request):
    """The month asked for (``?period=2023-10``), else the last complete month, and an error
    text when it was malformed."""
    return period_param(request, last_complete_month)


def as_of_note(period) -> str:
    """The line every project page prints under its month: the day 逾期天数 are counted to."""
    return f"节点逾期天数、开工后未入库天数计至{as_of_day(period, timezone.localdate()):%Y-%m-%d}"


def rules_error():
    """The configuration error of the light rules, in Chinese, or ""."""
    try:
        load_rules()
    except ValidationError as exc:
        return exc.messages[0]
    return ""


class ChildEditView(generic.ObjectEditView):
    """Add a project's child record; ``?project=ID`` preselects the project."""

    def initial(self, obj):
        pk = self.request.GET.get("project")
        if pk and pk.isdigit():
            return {
                "project": restrict(KeyProject.objects.filter(pk=pk), self.request.user, "change").first()
            }
        return {}
