from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from yuanqu.economy.services import add_months, describe, gap_text, parse_period
from yuanqu.users.permissions import can_add_child, has_perm, restrict
from yuanqu.utilities import views as generic

from .filtersets import KeyProjectFilterSet
from .forms import (
    BlockerForm,
    DecisionForm,
    EscalationForm,
    KeyProjectForm,
    MilestoneForm,
    MonthlyProgressForm,
    ProjectYearPlanForm,
)
from .models import Blocker, Escalation, KeyProject, Milestone, MonthlyProgress, ProjectYearPlan
from .services import decide, escalate, light, lights_by_project, load_rules
from .tables import KeyProjectTable

PROJECTS = KeyProject.objects.select_related("enterprise", "department", "leader").prefetch_related(
    "plans", "milestones"
)


def default_period():
    """The last complete month."""
    return add_months(timezone.localdate().replace(day=1), -1)


def period_of(request):
    """The month asked for (``?period=2023-10``) and an error text when it was malformed."""
    text = (request.GET.get("period") or "").strip()
    if not text:
        return default_period(), ""
    try:
        return parse_period(text), ""
    except ValidationError as exc:
        return default_period(), exc.messages[0]


def rules_error():
    """The configuration error of the light rules, in Chinese, or ""."""
    try:
        load_rules()
    except ValidationError as exc:
        return exc.messages[0]
    return ""


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

    def filterset(self, *args, **kwargs):
        return KeyProjectFilterSet(*args, period=self.period, **kwargs)

    def table(self, *args, **kwargs):
        return KeyProjectTable(*args, period=self.period, **kwargs)

    def extra_context(self, queryset):
        return {
            "period": self.period,
            "period_label": describe(self.period),
            "period_error": self.period_error,
        }


class KeyProjectView(generic.ObjectView):
    queryset = PROJECTS
    template_name = "projects/keyproject.html"

    def extra_context(self, obj):
        user = self.request.user
        period, error = period_of(self.request)
        problem = rules_error()
        result = None if problem else light(obj, period)
        progress = restrict(MonthlyProgress.objects.filter(project=obj), user, "view").select_related(
            "reported_by"
        )
        return {
            "period": period,
            "period_label": describe(period),
            "period_error": error or problem,
            "result": result,
            "gap": gap_text(result.gap_pp) if result else "",
            "plans": restrict(ProjectYearPlan.objects.filter(project=obj), user, "view"),
            "milestones": restrict(Milestone.objects.filter(project=obj), user, "view"),
            "progress": progress.filter(is_current=True),
            "old_versions": progress.filter(is_current=False),
            "blockers": restrict(Blocker.objects.filter(project=obj), user, "view").select_related(
                "owner_department", "demand"
            ),
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


class ChildEditView(generic.ObjectEditView):
    """Add a project's child record; ``?project=ID`` preselects the project."""

    def initial(self, obj):
        pk = self.request.GET.get("project")
        if pk and pk.isdigit():
            return {
                "project": restrict(KeyProject.objects.filter(pk=pk), self.request.user, "change").first()
            }
        return {}


class MonthlyProgressEditView(ChildEditView):
    """Only adds: a month that has a report already gets its next version."""

    queryset = MonthlyProgress.objects.all()
    form = MonthlyProgressForm


class ProjectYearPlanEditView(ChildEditView):
    queryset = ProjectYearPlan.objects.all()
    form = ProjectYearPlanForm


class MilestoneEditView(ChildEditView):
    queryset = Milestone.objects.all()
    form = MilestoneForm


class BlockerEditView(ChildEditView):
    queryset = Blocker.objects.all()
    form = BlockerForm


class EscalateView(View):
    """POST: put a red project on the scheduling-meeting list."""

    def post(self, request, pk):
        project = get_object_or_404(restrict(KeyProject.objects.all(), request.user, "view"), pk=pk)
        if not can_add_child(request.user, Escalation, "project", project):
            raise PermissionDenied("没有提级调度权限")
        period, _ = period_of(request)
        form = EscalationForm(request.POST)
        try:
            if not form.is_valid():
                raise ValidationError("请填写提级理由")
            escalate(project, period, request.user, form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已将“{project}”提交调度会议。")
        return redirect(project.get_absolute_url())


class DecideView(View):
    """POST: record the meeting's decision on an escalation."""

    def post(self, request, pk):
        escalation = get_object_or_404(restrict(Escalation.objects.all(), request.user, "change"), pk=pk)
        form = DecisionForm(request.POST)
        if form.is_valid():
            decide(escalation, form.cleaned_data["decision"], form.cleaned_data["decided_on"])
            messages.success(request, f"已记录“{escalation.project}”的调度决定。")
        else:
            messages.error(request, "请填写调度决定和决定日期")
        return redirect("projects:scheduling")


class SchedulingView(View):
    """The scheduling meeting: the month's red projects and the escalated ones."""

    template_name = "projects/scheduling.html"

    def get(self, request):
        user = request.user
        if not has_perm(user, KeyProject, "view"):
            raise PermissionDenied("没有查看权限")
        period, error = period_of(request)
        error = error or rules_error()
        projects = restrict(PROJECTS, user, "view")
        reds = []
        if not error:
            lights = lights_by_project(projects, period)
            reds = [(p, lights[p.pk]) for p in projects if lights[p.pk].light == "red"]
        escalations = restrict(Escalation.objects.select_related("project", "raised_by"), user, "view")
        return render(
            request,
            self.template_name,
            {
                "period": period,
                "period_label": describe(period),
                "error": error,
                "reds": reds,
                "open": escalations.filter(decided_on=None),
                "decided": escalations.exclude(decided_on=None)[:50],
                "can_decide": has_perm(user, Escalation, "change"),
                "decision_form": DecisionForm(initial={"decided_on": timezone.localdate()}),
            },
        )
