from django.urls import path

from yuanqu.utilities.import_views import BulkImportView, ImportTemplateView

from . import views
from .importers import TaskImporter

app_name = "supervision"

urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/add/", views.TaskEditView.as_view(), name="task_add"),
    path("tasks/import/", BulkImportView.as_view(importer=TaskImporter), name="task_import"),
    path(
        "tasks/import/template/",
        ImportTemplateView.as_view(importer=TaskImporter),
        name="task_import_template",
    ),
    path("tasks/board/", views.board, name="board"),
    path("tasks/overdue/", views.overdue, name="overdue"),
    path("tasks/mine/", views.mine, name="mine"),
    path("tasks/<int:pk>/", views.TaskView.as_view(), name="task"),
    path("tasks/<int:pk>/edit/", views.TaskEditView.as_view(), name="task_edit"),
    path("tasks/<int:pk>/cancel/", views.TaskCancelView.as_view(), name="task_cancel"),
    path("tasks/<int:pk>/urge/", views.TaskUrgeView.as_view(), name="task_urge"),
    path("tasks/<int:pk>/reports/add/", views.TaskReportAddView.as_view(), name="taskreport_add"),
    path("rectifications/", views.RectificationListView.as_view(), name="rectificationitem_list"),
    path("rectifications/<int:pk>/", views.RectificationView.as_view(), name="rectification"),
    path(
        "rectifications/<int:pk>/close/", views.RectificationCloseView.as_view(), name="rectification_close"
    ),
    path(
        "rectifications/<int:pk>/lookback/",
        views.RectificationLookbackView.as_view(),
        name="rectification_lookback",
    ),
    path("assessments/", views.AssessmentPeriodListView.as_view(), name="assessmentperiod_list"),
    path("assessments/add/", views.AssessmentPeriodEditView.as_view(), name="assessmentperiod_add"),
    path("assessments/<int:pk>/", views.AssessmentPeriodView.as_view(), name="assessmentperiod"),
    path(
        "assessments/<int:pk>/edit/", views.AssessmentPeriodEditView.as_view(), name="assessmentperiod_edit"
    ),
    path("assessments/<int:pk>/compute/", views.AssessmentComputeView.as_view(), name="assessment_compute"),
    path(
        "assessments/<int:pk>/notices/add/",
        views.AssessmentNoticeAddView.as_view(),
        name="assessment_notice_add",
    ),
    path("assessments/<int:pk>/export/", views.assessment_export, name="assessment_export"),
    path("assessments/<int:pk>/print/", views.assessment_print, name="assessment_print"),
]
