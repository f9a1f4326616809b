from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from yuanqu.core.workdays import WorkCalendar
from yuanqu.users.permissions import can_add_child, has_perm, restrict
from yuanqu.utilities import views as generic
from yuanqu.utilities.excel import export_xlsx, query_filters
from yuanqu.utilities.grants import get_for_action

from . import assessment, services
from .filtersets import AssessmentPeriodFilterSet, RectificationFilterSet, TaskFilterSet
from .forms import (
    AssessmentNoticeForm,
    AssessmentPeriodForm,
    CancelTaskForm,
    CloseItemForm,
    LookbackForm,
    MilestoneFormSet,
    TaskForm,
    TaskReportForm,
    UrgeForm,
)
from .models import (
    AssessmentNotice,
    AssessmentPeriod,
    AssessmentScore,
    LookbackReview,
    RectificationItem,
    Task,
    TaskReport,
)
from .tables import AssessmentPeriodTable, RectificationTable, TaskTable, light_badge

TASKS = Task.objects.select_related("work_point", "department", "leader")
ITEMS = RectificationItem.objects.select_related("department")


class TaskListView(generic.ObjectListView):
    queryset = TASKS
    filterset = TaskFilterSet
    table = TaskTable
    template_name = "supervision/task_list.html"


class TaskView(generic.ObjectView):
    queryset = TASKS
    template_name = "supervision/task.html"

    def extra_context(self, obj):
        user = self.request.user
        calendar = WorkCalendar()
        return {
            "light": light_badge(services.light(obj, calendar=calendar)),
            "next_report_due": services.task_next_report_due(obj),
            "report_missing": services.report_missing(obj, calendar=calendar),
            "supporting": obj.supporting_departments.all(),
            "milestones": restrict(obj.milestones.all(), user, "view"),
            "reports": restrict(obj.reports.select_related("reporter"), user, "view"),
            "can_report": can_add_child(user, TaskReport, "task", obj),
            "urges": restrict(obj.urges.select_related("urged_by"), user, "view"),
            "can_urge": restrict(TASKS.filter(pk=obj.pk), user, "urge").exists(),
            "urge_form": UrgeForm(),
            "report_form": TaskReportForm(user=user, initial={"reported_on": timezone.localdate()}),
        }


class TaskReportAddView(View):
    """Append a progress report: the lead department's staff; a report is never edited."""

    def post(self, request, pk):
        task = get_for_action(
            TASKS, pk, request.user, add_child=(TaskReport, "task"), message="只有牵头单位可以报送进展"
        )
        form = TaskReportForm(data=request.POST, user=request.user)
        if form.is_valid():
            report = form.save(commit=False)
            report.reporter = request.user
            services.file_report(task, report)
            done = "，任务已完成" if task.status == "done" else ""
            messages.success(request, f"已报送{report.reported_on:%Y-%m-%d}进展{done}。")
            return redirect(task.get_absolute_url())
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"进展未保存：{label}{'；'.join(errors)}")
        return redirect(task.get_absolute_url())


def _visible_tasks(request):
    """The tasks the page shows; for ``?export=xlsx`` the ones the user may export."""
    if not has_perm(request.user, Task, "view"):
        raise PermissionDenied("没有查看权限")
    action = "export" if request.GET.get("export") == "xlsx" else "view"
    return list(restrict(TASKS.all(), request.user, action))


def board(request):
    """督查督办看板: per lead department, total and lights."""
    if request.GET.get("export") == "xlsx":
        return export_board(request)
    rows = services.board(_visible_tasks(request), calendar=WorkCalendar())
    return render(
        request,
        "supervision/board.html",
        {"rows": rows, "can_export": has_perm(request.user, Task, "export")},
    )


def mine(request):
    """我的任务: what my department or I must do now, ordered by deadline."""
    rows = services.my_tasks(_visible_tasks(request), request.user, calendar=WorkCalendar())
    if request.GET.get("export") == "xlsx":
        header = ["亮灯", "任务编号", "任务内容", "牵头单位", "完成时限", "下次报送", "缺报"]
        data = (
            [
                _light_text(r["light"]),
                r["task"].number,
                r["task"].text,
                str(r["task"].department or ""),
                r["task"].due_on,
                r["next_report_due"],
                "是" if r["report_missing"] else "",
            ]
            for r in rows
        )
        return xlsx_export(request, Task, "我的任务", header, data)
    return render(
        request, "supervision/mine.html", {"rows": rows, "can_export": has_perm(request.user, Task, "export")}
    )


def overdue(request):
    tasks = services.overdue(_visible_tasks(request), calendar=WorkCalendar())
    if request.GET.get("export") == "xlsx":
        header = ["任务编号", "任务内容", "牵头单位", "责任领导", "完成时限", "状态"]
        data = (
            [t.number, t.text, str(t.department or ""), str(t.leader or ""), t.due_on, t.get_status_display()]
            for t in tasks
        )
        return xlsx_export(request, Task, "逾期任务", header, data)
    return render(
        request,
        "supervision/overdue.html",
        {"tasks": tasks, "can_export": has_perm(request.user, Task, "export")},
    )


class RectificationListView(generic.ObjectListView):
    queryset = ITEMS
    filterset = RectificationFilterSet
    table = RectificationTable


class RectificationView(generic.ObjectView):
    queryset = ITEMS
    template_name = "supervision/rectification.html"

    def extra_context(self, obj):
        user = self.request.user
        return {
            "reviews": restrict(obj.reviews.all(), user, "view"),
            "can_close": restrict(ITEMS.filter(pk=obj.pk), user, "change").exists(),
            "can_review": can_add_child(user, LookbackReview, "item", obj),
            "close_form": CloseItemForm(),
            "lookback_form": LookbackForm(),
        }


class RectificationCloseView(View):
    """销号, only with evidence."""

    def post(self, request, pk):
        item = get_for_action(ITEMS, pk, request.user, "change", message="只有责任单位可以销号")
        form = CloseItemForm(data=request.POST)
        form.is_valid()
        try:
            services.close_item(
                item, form.cleaned_data.get("evidence", ""), form.cleaned_data.get("evidence_file", "")
            )
        except services.SupervisionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"整改事项{item.number}已销号。")
        return redirect(item.get_absolute_url())


class RectificationLookbackView(View):
    """回头看: a review record; a failed review reopens the item."""

    def post(self, request, pk):
        item = get_for_action(
            ITEMS, pk, request.user, add_child=(LookbackReview, "item"), message="没有回头看权限"
        )
        form = LookbackForm(data=request.POST)
        if not form.is_valid():
            messages.error(request, "回头看未保存：请选择复查结果。")
            return redirect(item.get_absolute_url())
        try:
            review = services.lookback(item, form.cleaned_data["passed"], form.cleaned_data["note"])
        except services.SupervisionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"回头看已记录：{review.get_result_display()}。")
        return redirect(item.get_absolute_url())


# --- editing ---------------------------------------------------------------------------


class TaskEditView(generic.ObjectEditView):
    """New or changed task with its milestones (an inline formset); the change log records both."""

    queryset = TASKS
    form = TaskForm
    template_name = "supervision/task_edit.html"

    formset = MilestoneFormSet
    formset_prefix = "milestones"
    outside_grant_message = "保存后的任务超出了您的权限范围（例如牵头单位不是本部门），未保存。"

    def saved_message(self, task, is_new):
        return f"已{'新建' if is_new else '保存'}督办任务“{task.number}”。"


class TaskCancelView(View):
    """取消 with a reason (a task is never deleted: its reports stay)."""

    def get(self, request, pk):
        task = get_for_action(TASKS, pk, request.user, "change")
        return render(request, "supervision/task_cancel.html", {"object": task, "form": CancelTaskForm()})

    def post(self, request, pk):
        task = get_for_action(TASKS, pk, request.user, "change")
        form = CancelTaskForm(data=request.POST)
        if not form.is_valid():
            return render(request, "supervision/task_cancel.html", {"object": task, "form": form})
        try:
            services.cancel_task(task, form.cleaned_data["reason"])
        except services.SupervisionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"任务{task.number}已取消。")
        return redirect(task.get_absolute_url())


class TaskUrgeView(View):
    """催办: the supervision office presses the lead department (grant ``urge`` on tasks)."""

    def post(self, request, pk):
        task = get_for_action(TASKS, pk, request.user, "urge", message="只有督查人员可以催办")
        form = UrgeForm(data=request.POST)
        try:
            services.urge(task, request.user, form.data.get("text", ""))
        except services.SupervisionError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已催办任务{task.number}。")
        return redirect(task.get_absolute_url())


# --- exports ---------------------------------------------------------------------------


def xlsx_export(request, model, title, header, rows):
    """An audited Excel export of a page's rows (the user needs the model's export grant)."""
    if not has_perm(request.user, model, "export"):
        raise PermissionDenied("没有导出权限")
    return export_xlsx(
        request, title=title, model=model, header=header, rows=rows,
        filters=query_filters(request), data={"page": request.path},
    )  # fmt: skip


def _light_text(value):
    return services.LIGHTS.get(value, "") if value else ""


def export_board(request):
    rows = services.board(_visible_tasks(request), calendar=WorkCalendar())
    header = ["牵头单位", "任务数", "绿灯", "黄灯", "红灯", "已完成"]
    data = ([r["department"], r["total"], r["green"], r["yellow"], r["red"], r["done"]] for r in rows)
    return xlsx_export(request, Task, "督查看板", header, data)


# --- 我的待办 ----------------------------------------------------------------------------


FINISHED_TASK_DAYS = 30  # how long a task reported done stays on the 已办 tab


def my_work(request):
    """我的待办 in two tabs. 待办: my open tasks and the demands I must act on, overdue first,
    then the nearest deadline. 已办待确认: the demands my department answered that wait for
    the enterprise's confirmation (or my call-back, when it has no account) and my tasks
    reported done in the last 30 days, the latest first. An enterprise user's answered
    demands are its own 待办 (it confirms them). The export holds the tab's rows the user may
    also export (each part restricted by its ``export`` grant)."""
    from datetime import timedelta

    from yuanqu.demands.choices import AWAITING_STATUSES
    from yuanqu.demands.models import Demand
    from yuanqu.demands.services import my_demands
    from yuanqu.supervision.choices import TaskStatus
    from yuanqu.users.choices import Role

    user = request.user
    if not (has_perm(user, Task, "view") or has_perm(user, Demand, "view")):
        raise PermissionDenied("没有查看权限")
    action = "export" if request.GET.get("export") == "xlsx" else "view"
    tab = "done" if request.GET.get("tab") == "done" else "open"
    today, calendar = timezone.localdate(), WorkCalendar()
    since = today - timedelta(days=FINISHED_TASK_DAYS)
    tasks = services.work_tasks(restrict(Task.objects.all(), user, action), user, since)
    demands = services.work_demands(restrict(my_demands(user), user, action))
    awaiting = () if user.role == Role.ENTERPRISE else AWAITING_STATUSES
    waiting = [d for d in demands if d["status"] in awaiting]
    open_rows = services.my_work(tasks, [d for d in demands if d["status"] not in awaiting], today, calendar)
    open_rows.sort(
        key=lambda r: (r["light"] != "red", r["deadline"] is None, r["deadline"] or today, r["number"])
    )
    finished = [
        {
            "kind": "企业诉求",
            "number": d["number"],
            "title": d["title"],
            "department": d["department__name"],
            "deadline": d["due_on"],
            "light": None,
            "note": "已答复，待企业确认"
            if d["enterprise_has_account"]
            else "已答复，企业无账号，待您电话回访",
            "finished_on": timezone.localdate(d["answered_at"]) if d["answered_at"] else None,
            "url": services.demand_url(d["pk"]),
        }
        for d in waiting
    ] + [
        {
            "kind": "督办任务",
            "number": t["number"],
            "title": t["text"],
            "department": t["department__name"],
            "deadline": t["due_on"],
            "light": None,
            "note": "已报送完成",
            "finished_on": t["done_on"],
            "url": services.task_url(t["pk"]),
        }
        for t in tasks
        if t["status"] == TaskStatus.DONE and t["done_on"] and t["done_on"] >= since
    ]
    finished.sort(key=lambda r: (r["finished_on"] or today, r["number"]), reverse=True)
    rows = finished if tab == "done" else open_rows
    can_export = has_perm(user, Task, "export") or has_perm(user, Demand, "export")
    if action == "export":
        if not can_export:
            raise PermissionDenied("没有导出权限")
        header = ["类型", "编号", "事项", "责任单位", "办理时限", "亮灯", "说明"]
        data = (
            [
                r["kind"],
                r["number"],
                r["title"],
                str(r["department"] or ""),
                r["deadline"],
                _light_text(r["light"]),
                r["note"],
            ]
            for r in rows
        )
        model = Task if has_perm(user, Task, "export") else Demand
        title = "我的待办（已办待确认）" if tab == "done" else "我的待办"
        return xlsx_export(request, model, title, header, data)
    context = {
        "rows": rows,
        "tab": tab,
        "open_count": len(open_rows),
        "finished_count": len(finished),
        "overdue_count": sum(r["light"] == "red" for r in open_rows),
        "can_export": can_export,
    }
    return render(request, "supervision/my_work.html", context)


# --- 目标管理考核 ------------------------------------------------------------------------


class AssessmentPeriodListView(generic.ObjectListView):
    queryset = AssessmentPeriod.objects.all()
    filterset = AssessmentPeriodFilterSet
    table = AssessmentPeriodTable


class AssessmentPeriodEditView(generic.ObjectEditView):
    """A period and its rules; a new period starts from the last period's rules."""

    queryset = AssessmentPeriod.objects.all()
    form = AssessmentPeriodForm

    def initial(self, obj):
        last = AssessmentPeriod.objects.order_by("-end_on").first()
        if last is None:
            return {}
        fields = [
            f for f in AssessmentPeriodForm.Meta.fields if f.startswith("weight_") or f.endswith("_deduction")
        ]
        return {f: getattr(last, f) for f in fields} | {"kind": last.kind}


def _ranking_context(request, period):
    scores = restrict(period.scores.select_related("department"), request.user, "view")
    return {
        "object": period,
        "rows": assessment.ranking(period, scores),
        "previous": assessment.previous_period(period),
        "judged": assessment.judged_month(period),
    }


class AssessmentPeriodView(generic.ObjectView):
    """The ranking of one period, with its rules and 通报."""

    queryset = AssessmentPeriod.objects.all()
    template_name = "supervision/assessment.html"

    def extra_context(self, obj):
        user = self.request.user
        return {
            **_ranking_context(self.request, obj),
            "notices": restrict(obj.notices.select_related("department"), user, "view"),
            "can_notice": can_add_child(user, AssessmentNotice, "period", obj),
            "notice_form": AssessmentNoticeForm(initial={"issued_on": timezone.localdate()}, user=user),
            "can_export_scores": has_perm(user, AssessmentScore, "export"),
        }


def _period_for(request, pk, action="view"):
    if not has_perm(request.user, AssessmentPeriod, "view"):
        raise PermissionDenied("没有查看权限")
    return get_for_action(AssessmentPeriod, pk, request.user, action)


class AssessmentComputeView(View):
    """计算 (or recompute) the period's ranking from today's records."""

    def post(self, request, pk):
        period = _period_for(request, pk, "change")
        rows = assessment.compute(period, calendar=WorkCalendar())
        assessment.save(period, rows)
        messages.success(request, f"已计算{period}的考核排名（{len(rows)}个单位）。")
        return redirect(period.get_absolute_url())


class AssessmentNoticeAddView(View):
    """登记通报: deducted when the period is (re)computed."""

    def post(self, request, pk):
        period = _period_for(request, pk)
        if not can_add_child(request.user, AssessmentNotice, "period", period):
            raise PermissionDenied("没有登记通报的权限")
        form = AssessmentNoticeForm(data=request.POST, user=request.user)
        if form.is_valid():
            notice = form.save(commit=False)
            notice.period = period
            notice.save()
            messages.success(request, f"已登记对{notice.department}的通报，重新计算后计入扣分。")
        else:
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"通报未保存：{label}{'；'.join(errors)}")
        return redirect(period.get_absolute_url())


RANKING_HEADER = [
    "名次",
    "单位",
    "任务按时完成率（%）",
    "任务得分",
    "按时报送率（%）",
    "报送得分",
    "诉求按时办结率（%）",
    "办结得分",
    "诉求满意率（%）",
    "满意得分",
    "目标完成率（%）",
    "目标得分",
    "逾期事项",
    "通报次数",
    "扣分",
    "总分",
    "名次变化",
]


def assessment_export(request, pk):
    period = _period_for(request, pk)
    scores = restrict(period.scores.select_related("department"), request.user, "export")
    data = (
        [
            s.rank,
            str(s.department),
            s.task_rate,
            s.task_score,
            s.report_rate,
            s.report_score,
            s.demand_on_time_rate,
            s.demand_on_time_score,
            s.demand_satisfied_rate,
            s.demand_satisfied_score,
            s.target_rate,
            s.target_score,
            s.overdue_count,
            s.notice_count,
            s.deduction,
            s.total,
            r["change"],
        ]
        for r in assessment.ranking(period, scores)
        for s in [r["score"]]
    )
    return xlsx_export(request, AssessmentScore, f"{period}考核排名", RANKING_HEADER, data)


def assessment_print(request, pk):
    """The printable ranking (no navigation), as the office publishes it."""
    period = _period_for(request, pk)
    return render(request, "supervision/assessment_print.html", _ranking_context(request, period))
