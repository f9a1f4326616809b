"""项目统计: the figures the reports quote, on the page and as one Excel sheet."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from yuanqu.users.permissions import has_perm, restrict
from yuanqu.utilities.excel import export_xlsx, sections_to_xlsx
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
    """The statistics page on one sheet: the title and the three headline counts, then the
    按级别 / 按类型 (with 合计) / 亮灯 tables, each under a bold heading row, an empty row
    between them (``utilities.excel.write_sections``); the counts and sums are numbers, the
    rate the page's text (“53.8%”, “—” without a plan)."""
    table = ("项目数（个）", "年度计划投资（万元）", "累计完成投资（万元）", "完成率")

    def lines(rows):
        return [(row["label"], row["count"], row["plan"], row["ytd"], row["rate_text"]) for row in rows]

    sections = [
        (
            [f"重点项目统计（{describe(period)}）"],
            [
                ("本年在库项目（个）", figures["listed"]),
                ("开工亿元以上项目（个）", figures["started_billion"]),
                ("竣工投产项目（个）", figures["finished"]),
            ],
        ),
        (["按级别", *table], lines(figures["by_level"])),
        (["按类型", *table], lines([*figures["by_type"], figures["total"]])),
        (["亮灯", "项目数（个）"], [(row["label"], row["count"]) for row in figures["lights"]]),
    ]
    return sections_to_xlsx("项目统计", sections, figures=(1, 2, 3))
