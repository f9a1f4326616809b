from django.urls import path

from yuanqu.utilities.import_views import BulkImportView, ImportTemplateView

from . import views
from .importers import LeadImporter

app_name = "investment"

urlpatterns = [
    path("investment-leads/", views.LeadListView.as_view(), name="lead_list"),
    path("investment-leads/add/", views.LeadEditView.as_view(), name="lead_add"),
    path("investment-leads/import/", BulkImportView.as_view(importer=LeadImporter), name="lead_import"),
    path(
        "investment-leads/import/template/",
        ImportTemplateView.as_view(importer=LeadImporter),
        name="lead_import_template",
    ),
    path("investment-leads/board/", views.board, name="board"),
    path("investment-leads/statistics/", views.statistics, name="statistics"),
    path("investment-leads/<int:pk>/", views.LeadView.as_view(), name="lead"),
    path("investment-leads/<int:pk>/edit/", views.LeadEditView.as_view(), name="lead_edit"),
    path("investment-leads/<int:pk>/delete/", views.LeadDeleteView.as_view(), name="lead_delete"),
    path("investment-leads/<int:pk>/move/", views.move_stage, name="lead_move"),
    path("investment-leads/<int:pk>/funds/", views.add_funds, name="lead_funds"),
    path("investment-leads/<int:pk>/key-project/", views.link_project, name="lead_link_project"),
    path(
        "investment-leads/<int:pk>/key-project/add/",
        views.ProjectFromLeadView.as_view(),
        name="lead_add_project",
    ),
]
