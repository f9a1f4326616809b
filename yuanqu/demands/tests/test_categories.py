"""The category pages: administrators keep the time limits and yellow-light days; 交办 uses
the category's limit and the light its yellow days."""

import datetime

from django.urls import reverse

from yuanqu.core.models import ObjectChange
from yuanqu.demands import services
from yuanqu.demands.models import DemandCategory
from yuanqu.utilities.testing.views import with_version

from .conftest import at


def test_sysadmin_lists_adds_and_edits_categories(client, sysadmin):
    client.force_login(sysadmin)
    listing = client.get(reverse("demands:demandcategory_list")).content.decode()
    assert "用电" in listing and "政策咨询" in listing
    response = client.post(
        reverse("demands:demandcategory_add"),
        {
            "name": "消防",
            "group": "approval",
            "time_limit_workdays": 7,
            "yellow_before_workdays": 2,
            "order": 5,
            "active": "on",
        },
    )
    assert response.status_code == 302
    category = DemandCategory.objects.get(name="消防")
    assert response["Location"] == category.get_absolute_url()
    assert client.get(category.get_absolute_url()).status_code == 200
    response = client.post(
        reverse("demands:demandcategory_edit", args=[category.pk]),
        with_version(
            category,
            {
                "name": "消防",
                "group": "approval",
                "time_limit_workdays": 8,
                "yellow_before_workdays": 3,
                "order": 5,
            },
        ),
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.time_limit_workdays, category.yellow_before_workdays, category.active) == (8, 3, False)
    assert (
        ObjectChange.objects.filter(content_type__model="demandcategory", object_id=str(category.pk)).count()
        == 2
    )


def test_yellow_days_must_be_below_the_limit(client, sysadmin, power):
    client.force_login(sysadmin)
    response = client.post(
        reverse("demands:demandcategory_edit", args=[power.pk]),
        {
            "name": "用电",
            "group": "factors",
            "time_limit_workdays": 5,
            "yellow_before_workdays": 5,
            "order": 1,
            "active": "on",
        },
    )
    assert "黄灯提前天数应小于办理时限（5个工作日）" in response.content.decode()
    power.refresh_from_db()
    assert power.yellow_before_workdays == 1


def test_staff_see_the_categories_but_cannot_edit(client, alice, power):
    client.force_login(alice)
    assert client.get(reverse("demands:demandcategory_list")).status_code == 200
    assert client.get(reverse("demands:demandcategory_add")).status_code == 403
    assert client.get(reverse("demands:demandcategory_edit", args=[power.pk])).status_code == 404


def test_assignment_uses_the_edited_limit_and_the_light_its_yellow_days(demand, alice, econ_dept, power):
    power.time_limit_workdays, power.yellow_before_workdays = 8, 3
    power.save()
    services.assign(demand, alice, econ_dept, at=at(2024, 10, 8, 11))
    # 2024-10-08 + 8 working days: 10-09 … 10-12 (make-up Saturday), 10-14 … 10-17
    assert demand.due_on == datetime.date(2024, 10, 17)
    assert services.light(demand, today=datetime.date(2024, 10, 12)) == "green"  # 4 working days left
    assert services.light(demand, today=datetime.date(2024, 10, 14)) == "yellow"  # 3 left
