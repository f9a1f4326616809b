"""The demo's documents: one 周通报 published through the three steps, one waiting for the
department head, who can open and sign it."""

import datetime

import pytest
from django.urls import reverse

from yuanqu.documents import services
from yuanqu.documents.choices import Decision
from yuanqu.documents.demo import generate_documents
from yuanqu.documents.models import Document
from yuanqu.users.models import User
from yuanqu.utilities.testing import factories as f


@pytest.mark.django_db
def test_demo_documents_and_the_department_head(client, leader, econ_dept):
    staff = f.user("staff", dept=econ_dept, name="王丽")
    assert generate_documents(datetime.date(2026, 12, 2)) == 2
    assert generate_documents(datetime.date(2026, 12, 2)) == 0  # once
    published, waiting = Document.objects.order_by("date")
    assert (published.date, waiting.date) == (datetime.date(2026, 11, 20), datetime.date(2026, 11, 27))
    assert published.status == "published" and waiting.status == "dept_review"
    assert [s.user.username for s in published.signoffs.order_by("id")] == ["staff", "head", "leader"]
    head = User.objects.get(username="head")
    assert head.department == staff.department and not services.may_sign(waiting, staff)
    assert services.may_sign(waiting, head)
    client.force_login(head)
    assert client.get(reverse("documents:document", args=[waiting.pk])).status_code == 200
    services.sign(waiting, head, Decision.APPROVE, "同意")
    waiting.refresh_from_db()
    assert waiting.status == "leader_review"
