"""项目统计: the figures the reports quote, on the page and as one Excel sheet."""

import io

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.excel import cell_value, export_xlsx
from yuanqu.utilities.periods import describe

from ..models import KeyProject
from ..services.statistics import statistics
from .common import as_of_note, period_of, rules_error


class StatisticsView(View):
    """项目统计: the figures the reports quote for a year up to a month; ``?export=xlsx``."""

    def get(self, request):
        user = request.user
        if not has_perm(user, KeyProject, "view"):
            raise PermissionDenied("没有查看权限")
        period, error = period_of(request)
        error = error or rules_error()
        figures = (
            None
            if error
            else statistics(
                restrict(KeyProject.objects.all(), user, "view"), period, today=timezone.localdate()
            )
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
