from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("audit/changes/", views.ObjectChangeListView.as_view(), name="objectchange_list"),
    path("audit/changes/<int:pk>/", views.objectchange, name="objectchange"),
    path("audit/events/", views.AuditEventListView.as_view(), name="auditevent_list"),
]
