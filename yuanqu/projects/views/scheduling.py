"""The scheduling meeting (调度会议): escalating a red project, the meeting's list and its
decisions, with the list's Excel export."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.excel import export_xlsx
from yuanqu.utilities.grants import get_for_action
from yuanqu.utilities.periods import describe

from ..forms import DecisionForm, EscalationForm
from ..models import Escalation, KeyProject
from ..services.lights import lights_by_project
from ..services.recording import decide, escalate
from .common import PROJECTS, as_of_note, period_of, rules_error


class EscalateView(View):
    """POST: put a red project on the scheduling-meeting list."""

    def post(self, request, pk):
        project = get_for_action(
            KeyProject, pk, request.user, add_child=(Escalation, "project"), message="没有提级调度权限"
        )
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
        escalation = get_for_action(Escalation, pk, request.user, "change", message="没有记录调度决定的权限")
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
        exporting = request.GET.get("export") == "xlsx"
        if exporting and not has_perm(user, KeyProject, "export"):
            raise PermissionDenied("没有导出权限")
        action = "export" if exporting else "view"
        projects = restrict(PROJECTS, user, action)
        reds = []
        if not error:
            lights = lights_by_project(projects, period, today=timezone.localdate())
            reds = [(p, lights[p.pk]) for p in projects if lights[p.pk].light == "red"]
        escalations = restrict(Escalation.objects.select_related("project", "raised_by"), user, action)
        if exporting:
            return self.export(request, period, reds, escalations.filter(decided_on=None))
        return render(
            request,
            self.template_name,
            {
                "period": period,
                "period_label": describe(period),
                "as_of_note": as_of_note(period),
                "error": error,
                "reds": reds,
                "open": escalations.filter(decided_on=None),
                "decided": escalations.exclude(decided_on=None)[:50],
                "can_decide": has_perm(user, Escalation, "change"),
                "can_export": has_perm(user, KeyProject, "export"),
                "decision_form": DecisionForm(initial={"decided_on": timezone.localdate()}),
            },
        )

    def export(self, request, period, reds, open_escalations):
        """One sheet: the escalated projects awaiting a decision, then the month's red ones."""
        rows = [
            ("提级待决定", e.project.code, e.project.name, e.project.department, e.project.leader, e.reason)
            for e in open_escalations
        ] + [("红灯", p.code, p.name, p.department, p.leader, r.cause) for p, r in reds]
        header = ["类别", "项目编号", "项目名称", "责任部门", "包保领导", "提级理由/亮灯原因"]
        title = f"重点项目调度会议（{describe(period)}）"
        return export_xlsx(
            request, title=title, model=KeyProject, header=header, rows=rows,
            filters={"period": f"{period:%Y-%m}"}, filename=f"{title}.xlsx",
        )  # fmt: skip
