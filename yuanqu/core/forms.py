
from yuanqu.utilities.forms import BaseModelForm, DateInput

from .models import CalendarDay, CalendarYear


class CalendarDayForm(BaseModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "kind", "name", "notes"]
        widgets = {"date": DateInput()}


class CalendarYearForm(BaseModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "complete", "notes"]
