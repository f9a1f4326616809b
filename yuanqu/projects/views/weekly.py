"""Weekly watch (周调度): the board of watched projects, putting a project on watch, weekly
reports, with the board's Excel export."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from yuanqu.users.permissions import can_add_child, has_perm, restrict
from yuanqu.utilities.excel import export_xlsx
from yuanqu.utilities.grants import get_for_action

from ..forms import WeeklyReportForm
from ..models import KeyProject, WeeklyReport
from ..services.weekly import set_watch, week_of, weekly_board
from .common import PROJECTS, ChildEditView


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
