from django.urls import path

from yuanqu.utilities.import_views import BulkImportView, ImportTemplateView

from . import views
from .importers import ProgressImporter, ProjectImporter

app_name = "projects"

urlpatterns = [
    path("key-projects/", views.KeyProjectListView.as_view(), name="keyproject_list"),
    path("key-projects/add/", views.KeyProjectEditView.as_view(), name="keyproject_add"),
    path("key-projects/scheduling/", views.SchedulingView.as_view(), name="scheduling"),
    path("key-projects/import/", BulkImportView.as_view(importer=ProjectImporter), name="keyproject_import"),
    path(
        "key-projects/import/template/",
        ImportTemplateView.as_view(importer=ProjectImporter),
        name="keyproject_import_template",
    ),
    path(
        "key-projects/progress/import/",
        views.MonthlyProgressImportView.as_view(),
        name="monthlyprogress_import",
    ),
    path(
        "key-projects/progress/import/template/",
        ImportTemplateView.as_view(importer=ProgressImporter),
        name="monthlyprogress_import_template",
    ),
    path("key-projects/weekly/", views.WeeklyView.as_view(), name="weekly"),
    path("key-projects/weekly/add/", views.WeeklyReportEditView.as_view(), name="weeklyreport_add"),
    path("key-projects/statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("key-projects/light-rules/", views.LightRuleListView.as_view(), name="lightrule_list"),
    path(
        "key-projects/light-rules/<str:kind>/edit/",
        views.LightRuleSetEditView.as_view(),
        name="lightrule_edit",
    ),
    path("key-projects/<int:pk>/watch/", views.WatchView.as_view(), name="keyproject_watch"),
    path(
        "key-projects/blockers/<int:pk>/to-demand/",
        views.BlockerConvertView.as_view(target="demand"),
        name="blocker_to_demand",
    ),
    path(
        "key-projects/blockers/<int:pk>/to-task/",
        views.BlockerConvertView.as_view(target="task"),
        name="blocker_to_task",
    ),
    path("key-projects/<int:pk>/", views.KeyProjectView.as_view(), name="keyproject"),
    path("key-projects/<int:pk>/edit/", views.KeyProjectEditView.as_view(), name="keyproject_edit"),
    path("key-projects/<int:pk>/delete/", views.KeyProjectDeleteView.as_view(), name="keyproject_delete"),
    path("key-projects/<int:pk>/escalate/", views.EscalateView.as_view(), name="keyproject_escalate"),
    path("key-projects/progress/add/", views.MonthlyProgressEditView.as_view(), name="monthlyprogress_add"),
    path("key-projects/plans/add/", views.ProjectYearPlanEditView.as_view(), name="projectyearplan_add"),
    path(
        "key-projects/plans/<int:pk>/edit/",
        views.ProjectYearPlanEditView.as_view(),
        name="projectyearplan_edit",
    ),
    path("key-projects/milestones/add/", views.MilestoneEditView.as_view(), name="milestone_add"),
    path("key-projects/milestones/<int:pk>/edit/", views.MilestoneEditView.as_view(), name="milestone_edit"),
    path("key-projects/blockers/add/", views.BlockerEditView.as_view(), name="blocker_add"),
    path("key-projects/blockers/<int:pk>/edit/", views.BlockerEditView.as_view(), name="blocker_edit"),
    path("key-projects/escalations/<int:pk>/decide/", views.DecideView.as_view(), name="escalation_decide"),
]
