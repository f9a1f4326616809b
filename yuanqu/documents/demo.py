"""The demo's documents: a department head for 经济发展局 (login ``head``, who may take the
部门负责人审核 step of that department's documents), the 周通报 of the week before last written
by ``staff``, reviewed by ``head`` and published by ``leader``, and last week's waiting for the
department head. Only 周通报: a 月度经济运行分析 with its charts takes seconds to write, and the
demo is built in every test that seeds it; staff write one from the 生成材料 page."""

import datetime

from django.db import transaction
from django.utils import timezone

from yuanqu.core.context import acting_as
from yuanqu.enterprises.demo import DEMO_PASSWORD
from yuanqu.users.choices import Constraint, Role
from yuanqu.users.models import ObjectPermission, User

from . import services
from .choices import Decision
from .models import Document

HEAD_GRANT = "部门负责人-经济发展局-材料审核"


def _last_friday(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=(today.weekday() - 4) % 7 or 7)


def generate_documents(today: datetime.date | None = None) -> int:
    """The demo documents; 0 when the demo's staff and leader are missing or documents exist."""
    today = today or timezone.localdate()
    staff = User.objects.filter(username="staff").select_related("department").first()
    leader = User.objects.filter(username="leader").first()
    if staff is None or leader is None or staff.department is None or Document.objects.exists():
        return 0
    friday = _last_friday(today)
    with transaction.atomic(), acting_as(None, source="system"):
        head = User.objects.filter(username="head").first()
        if head is None:
            head = User(username="head", role=Role.STAFF, name="李强", department=staff.department)
            head.set_password(DEMO_PASSWORD)
            head.save()
        ObjectPermission.objects.get_or_create(
            name=HEAD_GRANT,
            defaults={
                "description": "经济发展局部门负责人：审核本部门起草的材料",
                "user": head,
                "model": "documents.document",
                "actions": ["view", "review"],
                "constraint": Constraint.OWN_DEPARTMENT,
            },
        )
    with acting_as(staff, source="web"):
        earlier = services.write("weekly", user=staff, date=friday - datetime.timedelta(days=7))
        services.submit(earlier, staff, "请审核")
    with acting_as(head, source="web"):
        services.sign(earlier, head, Decision.APPROVE, "数据已核对")
    with acting_as(leader, source="web"):
        services.sign(earlier, leader, Decision.APPROVE, "同意印发")
    with acting_as(staff, source="web"):
        weekly = services.write("weekly", user=staff, date=friday)
        services.submit(weekly, staff, "本周通报，请审核")
    return 2
