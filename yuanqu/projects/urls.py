from django.urls import path

from yuanqu.utilities.import_views import BulkImportView, ImportTemplateView

from .importers import ProgressImporter, ProjectImporter
from .views import blockers, keyprojects, records, rules, scheduling, statistics, weekly

app_name = "projects"

urlpatterns = [
    path("key-projects/", keyprojects.KeyProjectListView.as_view(), name="keyproject_list"),
    path("key-projects/add/", keyprojects.KeyProjectEditView.as_view(), name="keyproject_add"),
    path("key-projects/scheduling/", scheduling.SchedulingView.as_view(), name="scheduling"),
    path("key-projects/import/", BulkImportView.as_view(importer=ProjectImporter), name="keyproject_import"),
    path(
        "key-projects/import/template/",
        ImportTemplateView.as_view(importer=ProjectImporter),
        name="keyproject_import_template",
    ),
    path(
        "key-projects/progress/import/",
        records.MonthlyProgressImportView.as_view(),
        name="monthlyprogress_import",
    ),
    path(
        "key-projects/progress/import/template/",
        ImportTemplateView.as_view(importer=ProgressImporter),
        name="monthlyprogress_import_template",
    ),
    path("key-projects/weekly/", weekly.WeeklyView.as_view(), name="weekly"),
    path("key-projects/weekly/add/", weekly.WeeklyReportEditView.as_view(), name="weeklyreport_add"),
    path("key-projects/statistics/", statistics.StatisticsView.as_view(), name="statistics"),
    path("key-projects/light-rules/", rules.LightRuleListView.as_view(), name="lightrule_list"),
    path(
        "key-projects/light-rules/<str:kind>/edit/",
        rules.LightRuleSetEditView.as_view(),
        name="lightrule_edit",
    ),
    path("key-projects/<int:pk>/watch/", weekly.WatchView.as_view(), name="keyproject_watch"),
    path(
        "key-projects/blockers/<int:pk>/to-demand/",
        blockers.BlockerConvertView.as_view(target="demand"),
        name="blocker_to_demand",
    ),
    path(
        "key-projects/blockers/<int:pk>/to-task/",
        blockers.BlockerConvertView.as_view(target="task"),
        name="blocker_to_task",
    ),
    path("key-projects/<int:pk>/", keyprojects.KeyProjectView.as_view(), name="keyproject"),
    path("key-projects/<int:pk>/edit/", keyprojects.KeyProjectEditView.as_view(), name="keyproject_edit"),
    path(
        "key-projects/<int:pk>/delete/", keyprojects.KeyProjectDeleteView.as_view(), name="keyproject_delete"
    ),
    path("key-projects/<int:pk>/escalate/", scheduling.EscalateView.as_view(), name="keyproject_escalate"),
    path("key-projects/progress/add/", records.MonthlyProgressEditView.as_view(), name="monthlyprogress_add"),
    path("key-projects/plans/add/", records.ProjectYearPlanEditView.as_view(), name="projectyearplan_add"),
    path(
        "key-projects/plans/<int:pk>/edit/",
        records.ProjectYearPlanEditView.as_view(),
        name="projectyearplan_edit",
    ),
    path("key-projects/milestones/add/", records.MilestoneEditView.as_view(), name="milestone_add"),
    path(
        "key-projects/milestones/<int:pk>/edit/", records.MilestoneEditView.as_view(), name="milestone_edit"
    ),
    path("key-projects/blockers/add/", blockers.BlockerEditView.as_view(), name="blocker_add"),
    path("key-projects/blockers/<int:pk>/edit/", blockers.BlockerEditView.as_view(), name="blocker_edit"),
    path(
        "key-projects/escalations/<int:pk>/decide/", scheduling.DecideView.as_view(), name="escalation_decide"
    ),
]
