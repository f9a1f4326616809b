"""The shared CRUD cases on core's pages: the working-day calendar (days and declared years) and
the audit trail's two lists (changes, security events). None names a department, so a
department-limited grant reaches none of them."""

import datetime
import itertools
from contextlib import contextmanager

from django.db.models import Max

from yuanqu.core.choices import AuditEventKind
from yuanqu.core.models import AuditEvent, CalendarDay, CalendarYear, ObjectChange
from yuanqu.users.choices import Role
from yuanqu.utilities.testing import factories as f
from yuanqu.utilities.testing.changes import assert_nothing_changed, table_state
from yuanqu.utilities.testing.views import ViewTestCases

_serial = itertools.count(1)


class TestCalendarDayViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = CalendarDay
    edit_changes = {"name": "国庆节（调整）", "notes": "依据国办发明电〔2030〕1号"}

    def make_record(self, department):
        # Before the seeded years, so that the record is on the list's first page.
        day = datetime.date(1990, 1, 1) + datetime.timedelta(days=next(_serial))
        return CalendarDay.objects.create(date=day, kind=CalendarDay.Kind.HOLIDAY, name=f"假日{day:%Y%m%d}")

    def record_text(self, record):
        return record.name

    def create_data(self, department):
        day = datetime.date(2032, 1, 1) + datetime.timedelta(days=next(_serial))
        return {
            "date": day.isoformat(),
            "kind": CalendarDay.Kind.MAKEUP_WORKDAY,
            "is_workday": "on",
            "name": "调休",
        }


class TestCalendarYearViews(ViewTestCases.PrimaryObjectViewTestCase):
    model = CalendarYear
    edit_changes = {"notes": "依据国办发明电〔2040〕2号"}

    def make_record(self, department):  # years count up from 2001, new ones down from 2100
        year = (CalendarYear.objects.aggregate(last=Max("year"))["last"] or 2000) + 1
        return CalendarYear.objects.create(year=year, notes=f"录入说明{year}")

    def record_text(self, record):
        return record.notes

    def create_data(self, department):
        year = 2100 - CalendarYear.objects.filter(year__gte=2050).count()
        return {"year": str(year), "complete": "on", "notes": "全年录入"}


class AuditTrailCases:
    """The audit trail is read by the auditor role only (三权分立): the tester is an auditor
    and the grants are the role's."""

    tester_role = Role.AUDITOR
    grant_to_role = True


class TestObjectChangeViews(
    AuditTrailCases, ViewTestCases.ListObjectViewTestCase, ViewTestCases.ExportObjectsViewTestCase
):
    model = ObjectChange

    def make_record(self, department):  # a change of a department's enterprise; the trail has no department
        enterprise = f.enterprise(name=f"留痕企业{next(_serial)}有限公司", dept=department)
        return ObjectChange.objects.filter(object_id=str(enterprise.pk), object_repr=enterprise.name).latest(
            "pk"
        )

    def record_text(self, record):
        return record.object_repr


class TestAuditEventViews(
    AuditTrailCases, ViewTestCases.ListObjectViewTestCase, ViewTestCases.ExportObjectsViewTestCase
):
    model = AuditEvent

    def make_record(self, department):
        n = next(_serial)
        return AuditEvent.objects.create(
            kind=AuditEventKind.LOGIN_FAILED, user_name=f"guess{n}", detail=f"密码错误（第{n}次测试）"
        )

    def record_text(self, record):
        return record.detail

    @contextmanager
    def nothing_changed(self):
        # A refused request is itself a security event: the one row it may add is its own
        # 访问被拒绝; no other event is added, altered or removed.
        before = table_state(AuditEvent)
        with assert_nothing_changed():
            yield
        after = table_state(AuditEvent)
        assert {pk: after.get(pk) for pk in before} == before
        added = [after[pk]["kind"] for pk in after.keys() - before.keys()]
        assert added in ([], [AuditEventKind.ACCESS_DENIED]), added
