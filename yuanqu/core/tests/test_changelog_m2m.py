"""A many-to-many link added or removed is a change in the record's history, like a field."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.supervision.models import Task, WorkPoint
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.views import with_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(econ_dept, leader):
    point = WorkPoint.objects.create(year=2025, number="01", title="优化营商环境", source="work_point")
    return Task.objects.create(
        number="DB2025-001",
        work_point=point,
        text="推进企业服务专员制度全覆盖",
        department=econ_dept,
        leader=leader,
        report_cycle="monthly",
        start_on=datetime.date(2025, 1, 2),
        due_on=datetime.date(2025, 9, 30),
        status="on_track",
    )


def _updates(obj):
    return list(
        ObjectChange.objects.filter(
            content_type__model=obj._meta.model_name, object_id=str(obj.pk), action="update"
        ).order_by("pk")
    )


def test_links_added_and_removed_directly_are_each_logged(task):
    invest, finance = f.department("投资促进局"), f.department("财政局")
    task.supporting_departments.add(invest, finance)
    task.supporting_departments.remove(invest)
    changes = _updates(task)
    assert [(c.prechange_data, c.postchange_data) for c in changes] == [
        ({"supporting_departments": []}, {"supporting_departments": sorted([invest.pk, finance.pk])}),
        ({"supporting_departments": sorted([invest.pk, finance.pk])}, {"supporting_departments": [finance.pk]}),
    ]


def test_the_edit_page_logs_one_update_and_the_history_names_the_departments(client, task, inspector):
    invest, finance = f.department("投资促进局"), f.department("财政局")
    task.supporting_departments.add(invest)
    before = len(_updates(task))
    client.force_login(inspector)
    data = {k: v for k, v in model_to_dict(task).items() if v is not None}
    data["supporting_departments"] = [finance.pk]
    data["start_on"], data["due_on"] = "2025-01-02", "2025-09-30"
    data.update({"milestones-TOTAL_FORMS": "0", "milestones-INITIAL_FORMS": "0"})
    response = client.post(
        reverse("supervision:task_edit", args=[task.pk]), with_version(task, data, children=True)
    )
    assert response.status_code == 302, response.context["form"].errors
    changes = _updates(task)[before:]
    assert len(changes) == 1  # set() is a remove and an add underneath: one step in the history
    assert changes[0].prechange_data == {"supporting_departments": [invest.pk]}
    assert changes[0].postchange_data == {"supporting_departments": [finance.pk]}
    page = client.get(task.get_absolute_url()).content.decode()
    assert "投资促进局" in page and "财政局" in page

    # The same form sent again (from the page as it is now) changes nothing and logs nothing.
    response = client.post(
        reverse("supervision:task_edit", args=[task.pk]), with_version(task, data, children=True)
    )
    assert response.status_code == 302
    assert len(_updates(task)) == before + 1


def test_a_refused_edit_logs_no_link_change(client, task, inspector):
    finance = f.department("财政局")
    client.force_login(inspector)
    data = {k: v for k, v in model_to_dict(task).items() if v is not None}
    data["supporting_departments"] = [finance.pk, task.department_id]  # the lead cannot also support
    data["start_on"], data["due_on"] = "2025-01-02", "2025-09-30"
    data.update({"milestones-TOTAL_FORMS": "0", "milestones-INITIAL_FORMS": "0"})
    response = client.post(reverse("supervision:task_edit", args=[task.pk]), data)
    assert response.status_code == 200 and "不能同时作为配合单位" in response.content.decode()
    assert _updates(task) == []
    assert list(task.supporting_departments.all()) == []
