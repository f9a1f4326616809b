from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/generate/", views.GenerateView.as_view(), name="generate"),
    path("documents/check/", views.CheckView.as_view(), name="check"),
    path("documents/<int:pk>/", views.DocumentView.as_view(), name="document"),
    path("documents/<int:pk>/revise/", views.ReviseView.as_view(), name="document_revise"),
    path("documents/<int:pk>/signoff/<str:step>/", views.SignOffView.as_view(), name="document_signoff"),
    path("documents/<int:pk>/download/<str:fmt>/", views.DownloadView.as_view(), name="document_download"),
    path("documents/templates/", views.ReportTemplateListView.as_view(), name="reporttemplate_list"),
    path("documents/templates/add/", views.ReportTemplateEditView.as_view(), name="reporttemplate_add"),
    path("documents/templates/<int:pk>/", views.ReportTemplateView.as_view(), name="reporttemplate"),
    path(
        "documents/templates/<int:pk>/edit/",
        views.ReportTemplateEditView.as_view(),
        name="reporttemplate_edit",
    ),
    path(
        "documents/templates/<int:pk>/delete/",
        views.ReportTemplateDeleteView.as_view(),
        name="reporttemplate_delete",
    ),
    path(
        "documents/templates/<int:pk>/reset/",
        views.ReportTemplateResetView.as_view(),
        name="reporttemplate_reset",
    ),
]
