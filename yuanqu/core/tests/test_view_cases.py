"""The shared CRUD cases on the working-day calendar (days and declared years); neither names a
department, so a department-limited grant reaches none of them."""

import datetime
import itertools

from django.db.models import Max

from yuanqu.core.models import CalendarDay, CalendarYear
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
