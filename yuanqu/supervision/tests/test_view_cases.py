"""The shared CRUD cases on the supervision pages: tasks (with their milestones' inline
formset, posted empty), the rectification list and the assessment periods, which name no
department."""

import datetime
import itertools

from yuanqu.supervision.choices import PeriodKind, ReportCycle, TaskStatus
from yuanqu.supervision.models import AssessmentPeriod, RectificationItem, Task, TaskMilestone, WorkPoint
from yuanqu.utilities.testing.views import ALL, ViewTestCases

_serial = itertools.count(1)
NO_MILESTONES = {"milestones-TOTAL_FORMS": "0", "milestones-INITIAL_FORMS": "0"}


def work_point():
    return WorkPoint.objects.get_or_create(year=2024, number="一", title="优化营商环境", source="work_point")[
        0
    ]


class TestTaskViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = Task
    base_grants = [("users.department", ["view"], ALL), ("supervision.workpoint", ["view"], ALL)]
    edit_changes = {"target": "规上企业服务专员覆盖率100%", "status": TaskStatus.AT_RISK}
    outside_grant_error = "保存后的任务超出了您的权限范围（例如牵头单位不是本部门），未保存。"
    watched_models = (TaskMilestone,)

    def make_record(self, department):
        return Task.objects.create(
            number=f"2024-{next(_serial):03d}",
            work_point=work_point(),
            text="推进企业服务专员制度全覆盖",
            department=department,
            report_cycle=ReportCycle.MONTHLY,
            start_on=datetime.date(2024, 5, 7),
            due_on=datetime.date(2099, 9, 30),
            status=TaskStatus.ON_TRACK,
        )

    def record_text(self, record):
        return record.number

    def create_data(self, department):
        return {
            "number": f"2024-{next(_serial):03d}",
            "work_point": work_point().pk,
            "text": "新签约亿元以上项目20个",
            "department": department.pk,
            "report_cycle": ReportCycle.WEEKLY,
            "start_on": "2024-01-02",
            "due_on": "2024-12-31",
            "status": TaskStatus.ON_TRACK,
            **NO_MILESTONES,
        }

    def _assert_posted_values_logged(self, data, logged):
        super()._assert_posted_values_logged(
            {k: v for k, v in data.items() if k not in NO_MILESTONES}, logged
        )


class TestRectificationItemViews(
    ViewTestCases.ListObjectViewTestCase, ViewTestCases.ExportObjectsViewTestCase
):
    model = RectificationItem

    def make_record(self, department):
        return RectificationItem.objects.create(
            list_name="2024年营商环境专项督查整改清单",
            number=str(next(_serial)),
            problem=f"涉企检查多头重复{next(_serial)}号问题",
            department=department,
            due_on=datetime.date(2024, 10, 31),
        )

    def record_text(self, record):
        return record.problem


class TestAssessmentPeriodViews(
    ViewTestCases.ListObjectViewTestCase,
    ViewTestCases.GetObjectViewTestCase,
    ViewTestCases.CreateObjectViewTestCase,
    ViewTestCases.EditObjectViewTestCase,
    ViewTestCases.ExportObjectsViewTestCase,
):
    model = AssessmentPeriod
    edit_changes = {"name": "2024年第三季度盘点（修订）", "overdue_deduction": "3.00"}

    def make_record(self, department):  # the rules apply to every department
        n = next(_serial)
        return AssessmentPeriod.objects.create(
            name=f"考核期{n}",
            kind=PeriodKind.QUARTER,
            start_on=datetime.date(2024, 7, 1),
            end_on=datetime.date(2024, 9, 30),
        )

    def create_data(self, department):
        return {
            "name": f"2024年10月小结{next(_serial)}",
            "kind": PeriodKind.MONTH,
            "start_on": "2024-10-01",
            "end_on": "2024-10-31",
            "weight_tasks": "40.00",
            "weight_reports": "20.00",
            "weight_demands_on_time": "20.00",
            "weight_demands_satisfied": "20.00",
            "weight_targets": "0.00",
            "overdue_deduction": "2.00",
            "notice_deduction": "5.00",
        }
