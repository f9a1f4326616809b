from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("audit/changes/", views.ObjectChangeListView.as_view(), name="objectchange_list"),
    path("audit/changes/<int:pk>/", views.objectchange, name="objectchange"),
    path("audit/events/", views.AuditEventListView.as_view(), name="auditevent_list"),
    path("calendar/", views.CalendarDayListView.as_view(), name="calendarday_list"),
    path("calendar/add/", views.CalendarDayEditView.as_view(), name="calendarday_add"),
    path("calendar/notice/", views.CalendarNoticeView.as_view(), name="calendar_notice"),
    path("calendar/<int:pk>/", views.CalendarDayView.as_view(), name="calendarday"),
    path("calendar/<int:pk>/edit/", views.CalendarDayEditView.as_view(), name="calendarday_edit"),
    path("calendar/<int:pk>/delete/", views.CalendarDayDeleteView.as_view(), name="calendarday_delete"),
    path("calendar/years/", views.CalendarYearListView.as_view(), name="calendaryear_list"),
    path("calendar/years/add/", views.CalendarYearEditView.as_view(), name="calendaryear_add"),
    path("calendar/years/<int:pk>/", views.CalendarYearView.as_view(), name="calendaryear"),
    path("calendar/years/<int:pk>/edit/", views.CalendarYearEditView.as_view(), name="calendaryear_edit"),
    path("calendar/years/<int:pk>/delete/", views.CalendarYearDeleteView.as_view(), name="calendaryear_delete"),
]
