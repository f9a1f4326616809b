"""The supervision REST API: tasks (written through the task page's form), append-only
progress reports and the rectification items, each restricted like the pages."""

import datetime
import itertools

from yuanqu.supervision.models import RectificationItem, Task, TaskReport, WorkPoint
from yuanqu.utilities.testing.api import ALL, APIViewTestCases, result_ids

_serial = itertools.count(1)


def work_point():
    return WorkPoint.objects.get_or_create(year=2024, number="一", title="优化营商环境", source="work_point")[
        0
    ]


def task_of(department, **extra):
    return Task.objects.create(
        number=f"2024-{next(_serial):03d}",
        work_point=work_point(),
        text="推进企业服务专员制度全覆盖",
        department=department,
        report_cycle="monthly",
        start_on=datetime.date(2024, 5, 7),
        due_on=extra.pop("due_on", datetime.date(2099, 9, 30)),
        status="on_track",
        **extra,
    )


class TestTaskAPI(
    APIViewTestCases.ListObjectsTestCase,
    APIViewTestCases.GetObjectTestCase,
    APIViewTestCases.CreateObjectTestCase,
    APIViewTestCases.UpdateObjectTestCase,
):
    model = Task
    url_namespace = "supervision-api"
    base_grants = [("users.department", ["view"], ALL), ("supervision.workpoint", ["view"], ALL)]
    update_data = {"target": "规上企业服务专员覆盖率100%", "status": "at_risk"}

    def make_record(self, department):
        return task_of(department)

    def create_data(self, department):
        return {
            "number": f"2024-{next(_serial):03d}",
            "work_point": work_point().pk,
            "text": "新签约亿元以上项目20个",
            "department": department.pk,
            "report_cycle": "weekly",
            "start_on": "2024-01-02",
            "due_on": "2024-12-31",
            "status": "not_started",  # the only status a new task takes
        }

    def test_create_is_checked_by_the_task_form(self):
        self.grant(["view", "add"])
        data = {**self.create_data(self.own_department), "due_on": "2023-12-31"}
        response = self.client.post(self.list_url(), data, format="json")
        assert response.status_code == 400
        assert response.json() == {"due_on": ["完成时限2023-12-31早于开始日期2024-01-02"]}
        assert not Task.objects.exists()

    def test_a_new_task_cannot_be_filed_as_done(self):
        # Issue 12, finding 11: a grant to add tasks is no grant to close them. The status is
        # read-only on create, whatever the request says.
        self.grant(["view", "add"], model="supervision.task")
        for given in ("done", "on_track", "cancelled"):
            data = {**self.create_data(self.own_department), "status": given, "done_on": "2024-06-30"}
            response = self.client.post(self.list_url(), data, format="json")
            assert response.status_code == 201, response.content
            assert response.json()["status"] == "not_started" and response.json()["done_on"] is None
        assert set(Task.objects.values_list("status", flat=True)) == {"not_started"}
        assert not Task.objects.filter(done_on__isnull=False).exists()

    def test_lights_and_filters_as_on_the_list_page(self):
        late = task_of(self.own_department, due_on=datetime.date(2024, 6, 28))
        task_of(self.own_department)
        self.grant(["view"])
        rows = self.client.get(self.list_url()).json()["results"]
        assert {row["id"]: row["light"] for row in rows}[late.pk] == "red"
        assert result_ids(self.client.get(self.list_url(), {"light": "red"})) == {late.pk}

    def test_tasks_are_not_deleted_through_the_api(self):
        task = task_of(self.own_department)
        self.grant(["view", "delete"])
        assert self.client.delete(self.detail_url(task)).status_code == 405
        assert Task.objects.filter(pk=task.pk).exists()


class TestTaskReportAPI(
    APIViewTestCases.ListObjectsTestCase,
    APIViewTestCases.GetObjectTestCase,
    APIViewTestCases.CreateObjectTestCase,
):
    model = TaskReport
    url_namespace = "supervision-api"
    base_grants = [("supervision.task", ["view"], ALL)]

    def make_record(self, department):
        return TaskReport.objects.create(
            task=task_of(department),
            reported_on=datetime.date(2024, 6, 5),
            progress="已完成摸底",
            percent=30,
            reporter=self.user,
        )

    def create_data(self, department):
        return {
            "task": task_of(department).pk,
            "reported_on": "2024-07-05",
            "progress": "已覆盖80%",
            "percent": 80,
        }

    def test_reporter_is_the_caller_and_percent_is_checked(self):
        self.grant(["view", "add"])
        data = self.create_data(self.own_department)
        response = self.client.post(self.list_url(), {**data, "percent": 120}, format="json")
        assert response.status_code == 400
        assert response.json() == {"percent": ["完成进度须在0到100之间。"]}
        response = self.client.post(self.list_url(), data, format="json")
        assert response.status_code == 201
        assert response.json()["reporter"] == self.user.pk

    def test_reports_are_append_only(self):
        report = self.make_record(self.own_department)
        self.grant(["view", "add", "change", "delete"])
        assert self.client.patch(self.detail_url(report), {"percent": 50}, format="json").status_code == 405
        assert self.client.delete(self.detail_url(report)).status_code == 405


class TestRectificationItemAPI(APIViewTestCases.ListObjectsTestCase, APIViewTestCases.GetObjectTestCase):
    model = RectificationItem
    url_namespace = "supervision-api"

    def make_record(self, department):
        return RectificationItem.objects.create(
            list_name="2024年营商环境专项督查整改清单",
            number=str(next(_serial)),
            problem="涉企检查多头重复",
            department=department,
            due_on=datetime.date(2024, 10, 31),
        )

    def test_filter_closed_as_on_the_list_page(self):
        open_item = self.make_record(self.own_department)
        closed = self.make_record(self.own_department)
        RectificationItem.objects.filter(pk=closed.pk).update(closed_on=datetime.date(2024, 10, 20))
        self.grant(["view"])
        assert result_ids(self.client.get(self.list_url(), {"closed": "false"})) == {open_item.pk}
        assert result_ids(self.client.get(self.list_url(), {"closed": "true"})) == {closed.pk}
