from django.urls import path

from . import views
from .import_urls import urlpatterns as import_patterns

app_name = "targets"

urlpatterns: list = [
    path("targets/", views.SheetView.as_view(), name="sheet"),
    path("targets/list/", views.TargetListView.as_view(), name="target_list"),
    path("targets/add/", views.TargetEditView.as_view(), name="target_add"),
    path("targets/<int:pk>/", views.TargetView.as_view(), name="target"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target_edit"),
    path("targets/<int:pk>/delete/", views.TargetDeleteView.as_view(), name="target_delete"),
    path("targets/reports/add/", views.TargetReportEditView.as_view(), name="targetreport_add"),
    path("targets/reports/<int:pk>/edit/", views.TargetReportEditView.as_view(), name="targetreport_edit"),
    path(
        "targets/reports/<int:pk>/delete/", views.TargetReportDeleteView.as_view(), name="targetreport_delete"
    ),
    path("targets/light-bands/", views.LightBandListView.as_view(), name="lightband_list"),
    path("targets/light-bands/<str:kind>/edit/", views.LightBandSetEditView.as_view(), name="lightband_edit"),
] + import_patterns
