from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from yuanqu.core.workdays import WorkCalendar
from yuanqu.users.permissions import can_add_child, has_perm, restrict
from yuanqu.utilities import views as generic

from . import services
from .filtersets import RectificationFilterSet, TaskFilterSet
from .forms import CloseItemForm, LookbackForm, TaskReportForm
from .models import LookbackReview, RectificationItem, Task, TaskReport
from .tables import RectificationTable, TaskTable, light_badge

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
            "report_form": TaskReportForm(user=user, initial={"reported_on": timezone.localdate()}),
        }


class TaskReportAddView(View):
    """Append a progress report: the lead department's staff; a report is never edited."""

    def post(self, request, pk):
        task = get_object_or_404(restrict(TASKS.all(), request.user, "view"), pk=pk)
        if not can_add_child(request.user, TaskReport, "task", task):
            raise PermissionDenied("只有牵头单位可以报送进展")
        form = TaskReportForm(data=request.POST, user=request.user)
        if form.is_valid():
            report = form.save(commit=False)
            report.task = task
            report.reporter = request.user
            report.save()
            messages.success(request, f"已报送{report.reported_on:%Y-%m-%d}进展。")
            return redirect(task.get_absolute_url())
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"进展未保存：{label}{'；'.join(errors)}")
        return redirect(task.get_absolute_url())


def _visible_tasks(request):
    if not has_perm(request.user, Task, "view"):
        raise PermissionDenied("没有查看权限")
    return list(restrict(TASKS.all(), request.user, "view"))


def board(request):
    """督查督办看板: per lead department, total and lights."""
    rows = services.board(_visible_tasks(request), calendar=WorkCalendar())
    return render(request, "supervision/board.html", {"rows": rows})


def mine(request):
    """我的任务: what my department or I must do now, ordered by deadline."""
    rows = services.my_tasks(_visible_tasks(request), request.user, calendar=WorkCalendar())
    return render(request, "supervision/mine.html", {"rows": rows})


def overdue(request):
    tasks = services.overdue(_visible_tasks(request), calendar=WorkCalendar())
    return render(request, "supervision/overdue.html", {"tasks": tasks})


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
        item = get_object_or_404(restrict(ITEMS.all(), request.user, "view"), pk=pk)
        if not restrict(ITEMS.filter(pk=pk), request.user, "change").exists():
            raise PermissionDenied("只有责任单位可以销号")
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
        item = get_object_or_404(restrict(ITEMS.all(), request.user, "view"), pk=pk)
        if not can_add_child(request.user, LookbackReview, "item", item):
            raise PermissionDenied("没有回头看权限")
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
