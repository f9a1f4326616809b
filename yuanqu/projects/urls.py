from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("key-projects/", views.KeyProjectListView.as_view(), name="keyproject_list"),
    path("key-projects/add/", views.KeyProjectEditView.as_view(), name="keyproject_add"),
    path("key-projects/scheduling/", views.SchedulingView.as_view(), name="scheduling"),
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
