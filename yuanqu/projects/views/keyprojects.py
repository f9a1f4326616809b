"""The project list, the project page, and adding, editing and deleting a project."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone

from yuanqu.demands.models import Demand
from yuanqu.supervision.models import Task
from yuanqu.users.permissions import can, can_add_child, has_perm, restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.periods import describe
from yuanqu.utilities.progress import gap_text

from ..filtersets import KeyProjectFilterSet
from ..forms import EscalationForm, KeyProjectForm
from ..models import (
    Blocker,
    Escalation,
    KeyProject,
    Milestone,
    MonthlyProgress,
    ProjectYearPlan,
    WeeklyReport,
)
from ..services.figures import as_of_day, investment_curve, timeline
from ..services.lights import light
from ..tables import KeyProjectTable
from .common import PROJECTS, as_of_note, period_of, rules_error


def with_open_blockers(queryset, user):
    """The projects with ``open_blockers``: how many of each one's blockers are unresolved,
    counted among the blockers the user may see, in the list's own query (no query per row).
    Without a grant to see blockers the count is left out (the list shows “—”)."""
    if not has_perm(user, Blocker, "view"):
        return queryset
    unresolved = restrict(Blocker.objects.filter(project=OuterRef("pk"), resolved_on=None), user, "view")
    counted = unresolved.order_by().values("project").annotate(n=Count("pk")).values("n")
    return queryset.annotate(open_blockers=Coalesce(Subquery(counted), 0))


class KeyProjectListView(generic.ObjectListView):
    queryset = PROJECTS
    template_name = "projects/keyproject_list.html"

    def get(self, request):
        self.period, self.period_error = period_of(request)
        self.rules_error = rules_error()
        if self.rules_error:
            if not has_perm(request.user, KeyProject, "view"):
                raise PermissionDenied("没有查看权限")
            return render(request, "projects/rules_error.html", {"error": self.rules_error})
        return super().get(request)

    def get_queryset(self, action="view"):
        return with_open_blockers(super().get_queryset(action), self.request.user)

    def filterset(self, *args, **kwargs):
        return KeyProjectFilterSet(*args, period=self.period, **kwargs)

    def table(self, *args, **kwargs):
        return KeyProjectTable(*args, period=self.period, **kwargs)

    def extra_context(self, queryset):
        return {
            "period": self.period,
            "period_label": describe(self.period),
            "period_error": self.period_error,
            "as_of_note": as_of_note(self.period),
            "can_import_progress": has_perm(self.request.user, MonthlyProgress, "import"),
        }


class KeyProjectView(generic.ObjectView):
    queryset = PROJECTS
    template_name = "projects/keyproject.html"

    def extra_context(self, obj):
        user = self.request.user
        period, error = period_of(self.request)
        problem = rules_error()
        as_of = as_of_day(period, timezone.localdate())
        result = None if problem else light(obj, period, today=timezone.localdate())
        progress = restrict(MonthlyProgress.objects.filter(project=obj), user, "view").select_related(
            "reported_by"
        )
        return {
            "period": period,
            "period_label": describe(period),
            "period_error": error or problem,
            "as_of": as_of,
            "as_of_note": as_of_note(period),
            "result": result,
            "gap": gap_text(result.gap_pp) if result else "",
            "plans": restrict(ProjectYearPlan.objects.filter(project=obj), user, "view"),
            "milestones": restrict(Milestone.objects.filter(project=obj), user, "view"),
            "progress": progress.filter(is_current=True),
            "old_versions": progress.filter(is_current=False),
            "blockers": restrict(Blocker.objects.filter(project=obj), user, "view").select_related(
                "owner_department", "demand", "task"
            ),
            "can_to_demand": has_perm(user, Demand, "add"),
            "can_to_task": has_perm(user, Task, "add"),
            "curve": investment_curve(obj, period),
            "timeline": timeline(restrict(Milestone.objects.filter(project=obj), user, "view"), as_of),
            "weekly": restrict(WeeklyReport.objects.filter(project=obj), user, "view").select_related(
                "reported_by"
            )[:20],
            "can_add_weekly": obj.weekly_watch and can_add_child(user, WeeklyReport, "project", obj),
            "can_watch": can(user, obj, "watch"),
            "escalations": restrict(Escalation.objects.filter(project=obj), user, "view"),
            "can_add_progress": can_add_child(user, MonthlyProgress, "project", obj),
            "can_add_plan": can_add_child(user, ProjectYearPlan, "project", obj),
            "can_add_milestone": can_add_child(user, Milestone, "project", obj),
            "can_add_blocker": can_add_child(user, Blocker, "project", obj),
            "can_escalate": result is not None
            and result.light == "red"
            and can_add_child(user, Escalation, "project", obj),
            "escalation_form": EscalationForm(),
        }


class KeyProjectEditView(generic.ObjectEditView):
    queryset = KeyProject.objects.all()
    form = KeyProjectForm


class KeyProjectDeleteView(generic.ObjectDeleteView):
    queryset = KeyProject.objects.all()
