from django import forms

from yuanqu.utilities.forms import BaseModelForm

from .models import CalendarDay, CalendarYear


class CalendarDayForm(BaseModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "kind", "name", "notes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class CalendarYearForm(BaseModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "complete", "notes"]
