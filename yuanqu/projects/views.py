import datetime
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from yuanqu.demands.models import Demand
from yuanqu.economy.forms import MonthlyImportUploadForm
from yuanqu.supervision.models import Task
from yuanqu.users.permissions import can, can_add_child, has_perm, restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.excel import cell_value, export_xlsx
from yuanqu.utilities.grants import OutsideGrant, get_for_action
from yuanqu.utilities.import_views import BulkImportView
from yuanqu.utilities.periods import describe, last_complete_month, period_param
from yuanqu.utilities.progress import gap_text

from .choices import RuleKind
from .filtersets import KeyProjectFilterSet
from .forms import (
    BlockerDemandForm,
    BlockerForm,
    BlockerTaskForm,
    DecisionForm,
    EscalationForm,
    KeyProjectForm,
    LightRuleFormSet,
    MilestoneForm,
    MonthlyProgressForm,
    ProjectYearPlanForm,
    WeeklyReportForm,
)
from .importers import ProgressImporter
from .models import (
    Blocker,
    Escalation,
    KeyProject,
    LightRule,
    Milestone,
    MonthlyProgress,
    ProjectYearPlan,
    WeeklyReport,
)
from .services import (
    as_of_day,
    blocker_to_demand,
    blocker_to_task,
    check_rules,
    decide,
    escalate,
    investment_curve,
    light,
    lights_by_project,
    load_rules,
    set_watch,
    statistics,
    timeline,
    week_of,
    weekly_board,
)
from .tables import KeyProjectTable

PROJECTS = KeyProject.objects.select_related("enterprise", "department", "leader").prefetch_related(
    "plans", "milestones"
)


def period_of(request):
    """The month asked for (``?period=2023-10``), else the last complete month, and an error
    text when it was malformed."""
    return period_param(request, last_complete_month)


def with_open_blockers(queryset, user):
    """The projects with ``open_blockers``: how many of each one's blockers are unresolved,
    counted among the blockers the user may see, in the list's own query (no query per row).
    Without a grant to see blockers the count is left out (the list shows “—”)."""
    if not has_perm(user, Blocker, "view"):
        return queryset
    unresolved = restrict(Blocker.objects.filter(project=OuterRef("pk"), resolved_on=None), user, "view")
    counted = unresolved.order_by().values("project").annotate(n=Count("pk")).values("n")
    return queryset.annotate(open_blockers=Coalesce(Subquery(counted), 0))


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


class ChildEditView(generic.ObjectEditView):
    """Add a project's child record; ``?project=ID`` preselects the project."""

    def initial(self, obj):
        pk = self.request.GET.get("project")
        if pk and pk.isdigit():
            return {
                "project": restrict(KeyProject.objects.filter(pk=pk), self.request.user, "change").first()
            }
        return {}


class MonthlyProgressImportView(BulkImportView):
    importer = ProgressImporter
    upload_form = MonthlyImportUploadForm


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
        ] + [
            ("红灯", p.code, p.name, p.department, p.leader, r.cause) for p, r in reds
        ]
        header = ["类别", "项目编号", "项目名称", "责任部门", "包保领导", "提级理由/亮灯原因"]
        title = f"重点项目调度会议（{describe(period)}）"
        return export_xlsx(
            request, title=title, model=KeyProject, header=header, rows=rows,
            filters={"period": f"{period:%Y-%m}"}, filename=f"{title}.xlsx",
        )  # fmt: skip


# --- weekly watch ---------------------------------------------------------------------------


def week_param(request):
    """The week asked for (``?week=2023-10-09``, any day of it) as its Monday, or this week."""
    try:
        day = datetime.date.fromisoformat((request.GET.get("week") or "").strip())
    except ValueError:
        day = timezone.localdate()
    return week_of(day)


class WeeklyView(View):
    """周调度: the watched projects with this week's report or 本周未报."""

    def get(self, request):
        user = request.user
        if not has_perm(user, KeyProject, "view"):
            raise PermissionDenied("没有查看权限")
        week = week_param(request)
        rows = weekly_board(restrict(PROJECTS, user, "view"), week)
        if request.GET.get("export") == "xlsx":
            return self.export(request, week)
        for row in rows:
            row["can_report"] = can_add_child(user, WeeklyReport, "project", row["project"])
        return render(
            request,
            "projects/weekly.html",
            {
                "week": week,
                "week_end": week + datetime.timedelta(days=6),
                "previous": week - datetime.timedelta(days=7),
                "next": week + datetime.timedelta(days=7),
                "rows": rows,
                "missing": sum(1 for r in rows if r["report"] is None),
                "can_watch": has_perm(user, KeyProject, "watch"),
                "can_export": has_perm(user, KeyProject, "export"),
            },
        )

    def export(self, request, week):
        if not has_perm(request.user, KeyProject, "export"):
            raise PermissionDenied("没有导出权限")
        rows = [
            (
                row["project"].code,
                row["project"].name,
                row["project"].department,
                row["project"].leader,
                *(
                    (row["report"].progress_text, row["report"].problems, row["report"].next_step)
                    if row["report"]
                    else ("本周未报", "", "")
                ),
            )
            for row in weekly_board(restrict(PROJECTS, request.user, "export"), week)
        ]
        header = ["项目编号", "项目名称", "责任部门", "包保领导", "本周进展", "存在问题", "下周计划"]
        title = f"重点项目周调度（{week:%Y-%m-%d}起）"
        return export_xlsx(
            request, title=title, model=WeeklyReport, header=header, rows=rows,
            filters={"week": f"{week}"}, filename=f"{title}.xlsx",
        )  # fmt: skip


class WatchView(View):
    """POST: the leader puts a project on weekly watch or takes it off (``watch=1``/``0``)."""

    def post(self, request, pk):
        project = get_for_action(KeyProject, pk, request.user, "watch", message="没有设置周调度的权限")
        watched = request.POST.get("watch") == "1"
        set_watch(project, request.user, watched, today=timezone.localdate())
        messages.success(request, f"已将“{project}”{'列入' if watched else '移出'}周调度。")
        return redirect(project.get_absolute_url())


class WeeklyReportEditView(ChildEditView):
    """Only adds: a week that has a report already gets its next version."""

    queryset = WeeklyReport.objects.all()
    form = WeeklyReportForm

    def initial(self, obj):
        return {**super().initial(obj), "week": timezone.localdate()}


# --- statistics -----------------------------------------------------------------------------


class StatisticsView(View):
    """项目统计: the figures the reports quote for a year up to a month; ``?export=xlsx``."""

    def get(self, request):
        user = request.user
        if not has_perm(user, KeyProject, "view"):
            raise PermissionDenied("没有查看权限")
        period, error = period_of(request)
        error = error or rules_error()
        figures = None if error else statistics(
            restrict(KeyProject.objects.all(), user, "view"), period, today=timezone.localdate()
        )
        if figures and request.GET.get("export") == "xlsx":
            return self.export(request, period, figures)
        return render(
            request,
            "projects/statistics.html",
            {
                "period": period,
                "period_label": describe(period),
                "as_of_note": as_of_note(period),
                "error": error,
                "figures": figures,
                "list_url": reverse("projects:keyproject_list"),
                "can_export": has_perm(user, KeyProject, "export"),
            },
        )

    def export(self, request, period, figures):
        if not has_perm(request.user, KeyProject, "export"):
            raise PermissionDenied("没有导出权限")
        title = f"重点项目统计（{describe(period)}）"
        return export_xlsx(
            request, title=title, model=KeyProject, workbook=statistics_xlsx(period, figures),
            filters={"period": f"{period:%Y-%m}"}, filename=f"{title}.xlsx",
        )  # fmt: skip


def statistics_xlsx(period, figures) -> tuple[bytes, int]:
    """The statistics page's tables on one sheet, a blank row between them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "项目统计"
    bold = Font(bold=True)
    count = 0

    def heading(*values):
        sheet.append([cell_value(v) for v in values])
        for cell in sheet[sheet.max_row]:
            cell.font = bold

    def percent(rate):
        return "—" if rate is None else f"{rate * 100:.1f}%"

    heading(f"重点项目统计（{describe(period)}）")
    sheet.append(["本年在库项目（个）", figures["listed"]])
    sheet.append(["开工亿元以上项目（个）", figures["started_billion"]])
    sheet.append(["竣工投产项目（个）", figures["finished"]])
    count += 3
    for title, rows in (("按级别", figures["by_level"]), ("按类型", figures["by_type"])):
        sheet.append([])
        heading(title, "项目数（个）", "年度计划投资（万元）", "累计完成投资（万元）", "完成率")
        for row in [*rows, figures["total"]] if title == "按类型" else rows:
            sheet.append(
                [cell_value(row["label"]), row["count"], row["plan"], row["ytd"], percent(row["rate"])]
            )
            count += 1
    sheet.append([])
    heading("亮灯", "项目数（个）")
    for row in figures["lights"]:
        sheet.append([row["label"], row["count"]])
        count += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


# --- light rules ----------------------------------------------------------------------------


class LightRuleListView(View):
    """The rule sets, one per kind, with the coverage check of each."""

    def get(self, request):
        user = request.user
        if not has_perm(user, LightRule, "view"):
            raise PermissionDenied("没有查看权限")
        rules = restrict(LightRule.objects.all(), user, "view")
        if request.GET.get("export") == "xlsx":
            return self.export(request, rules)
        sets = []
        for kind in RuleKind:
            bands = [r for r in rules if r.kind == kind]
            try:
                check_rules(bands, f"“{kind.label}”亮灯规则")
                problem = ""
            except ValidationError as exc:
                problem = exc.messages[0]
            sets.append({"kind": kind, "bands": bands, "error": problem})
        return render(
            request,
            "projects/lightrule_list.html",
            {
                "sets": sets,
                "can_change": has_perm(user, LightRule, "change"),
                "can_export": has_perm(user, LightRule, "export"),
            },
        )

    def export(self, request, rules):
        if not has_perm(request.user, LightRule, "export"):
            raise PermissionDenied("没有导出权限")
        rules = restrict(LightRule.objects.all(), request.user, "export")
        rows = [(r.get_kind_display(), r.lower, r.upper, r.get_light_display()) for r in rules]
        header = ["规则类别", "下限（含）", "上限（不含）", "亮灯"]
        return export_xlsx(
            request, title="亮灯规则", model=LightRule, header=header, rows=rows, filename="亮灯规则.xlsx"
        )


class LightRuleSetEditView(View):
    """All bands of one kind edited together (add, change, delete), saved only when they
    cover the whole line exactly once; otherwise the gap or overlap is the form's error."""

    template_name = "projects/lightrule_edit.html"

    def dispatch(self, request, kind):
        if kind not in RuleKind.values:
            raise Http404("没有该类亮灯规则")
        if not has_perm(request.user, LightRule, "change"):
            raise PermissionDenied("没有修改亮灯规则的权限")
        self.kind = RuleKind(kind)
        self.rules = restrict(LightRule.objects.filter(kind=kind), request.user, "change")
        return super().dispatch(request, kind)

    def render_page(self, request, formset):
        return render(request, self.template_name, {"kind": self.kind, "formset": formset})

    def get(self, request, kind):
        return self.render_page(request, LightRuleFormSet(queryset=self.rules, kind=kind))

    def post(self, request, kind):
        formset = LightRuleFormSet(request.POST, queryset=self.rules, kind=kind)
        if not formset.is_valid():
            return self.render_page(request, formset)
        adding = any(f.instance.pk is None and f.has_changed() for f in formset.forms) and not all(
            formset._should_delete_form(f) for f in formset.forms if f.instance.pk is None and f.has_changed()
        )
        if adding and not has_perm(request.user, LightRule, "add"):
            raise PermissionDenied("没有新增亮灯规则的权限")
        if formset.deleted_forms and not has_perm(request.user, LightRule, "delete"):
            raise PermissionDenied("没有删除亮灯规则的权限")
        with transaction.atomic():
            for rule in formset.save(commit=False):
                rule.kind = kind
                rule.save()
            for rule in formset.deleted_objects:
                rule.delete()
        messages.success(request, f"已保存“{self.kind.label}”亮灯规则。")
        return redirect("projects:lightrule_list")


# --- blockers become demands or tasks -------------------------------------------------------


class BlockerConvertView(View):
    """GET: the form; POST: turn the blocker into an enterprise demand or a supervision task.

    The blocker is fetched with the view grant (404 outside it); only users who may add the
    target record may convert (403 otherwise); a converted blocker refuses a second one."""

    target = ""  # "demand" or "task"

    def setup_blocker(self, request, pk):
        model = Demand if self.target == "demand" else Task
        return get_for_action(
            Blocker.objects.select_related("project", "demand", "task"),
            pk,
            request.user,
            allowed=lambda blocker: has_perm(request.user, model, "add"),
            message=f"没有新建{model._meta.verbose_name}的权限",
        )

    def form(self, request, blocker, data=None):
        if self.target == "demand":
            return BlockerDemandForm(data, user=request.user, blocker=blocker)
        return BlockerTaskForm(data, user=request.user, blocker=blocker)

    def render_page(self, request, blocker, form):
        title = "转为企业诉求" if self.target == "demand" else "转为督办任务"
        return render(
            request, "projects/blocker_convert.html", {"blocker": blocker, "form": form, "title": title}
        )

    def get(self, request, pk):
        blocker = self.setup_blocker(request, pk)
        return self.render_page(request, blocker, self.form(request, blocker))

    def post(self, request, pk):
        blocker = self.setup_blocker(request, pk)
        form = self.form(request, blocker, request.POST)
        if not form.is_valid():
            return self.render_page(request, blocker, form)
        try:
            with transaction.atomic():
                if self.target == "demand":
                    record = blocker_to_demand(blocker, request.user, form.cleaned_data["category"])
                else:
                    record = blocker_to_task(
                        blocker,
                        request.user,
                        form.cleaned_data["work_point"],
                        form.cleaned_data["due_on"],
                        today=timezone.localdate(),
                    )
                    if not can(request.user, record, "add"):
                        raise OutsideGrant
        except OutsideGrant:
            raise PermissionDenied("只能为本部门新建督办任务：该堵点的责任部门不是您的部门") from None
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.render_page(request, blocker, form)
        messages.success(request, f"已将堵点转为{record._meta.verbose_name}{record.number}。")
        return redirect(blocker.project.get_absolute_url() + "#blockers")
