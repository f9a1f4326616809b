from django.urls import path

from yuanqu.utilities.import_views import BulkImportView, ImportTemplateView

from . import views
from .importers import DemandImporter

app_name = "demands"

urlpatterns = [
    path("demands/", views.DemandListView.as_view(), name="demand_list"),
    path("demands/add/", views.DemandCreateView.as_view(), name="demand_add"),
    path("demands/mine/", views.my_demands, name="my_demands"),
    path("demands/statistics/", views.statistics, name="statistics"),
    path("demands/import/", BulkImportView.as_view(importer=DemandImporter), name="demand_import"),
    path(
        "demands/import/template/",
        ImportTemplateView.as_view(importer=DemandImporter),
        name="demand_import_template",
    ),
    path("demands/<int:pk>/", views.DemandView.as_view(), name="demand"),
    path("demand-attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("demand-categories/", views.DemandCategoryListView.as_view(), name="demandcategory_list"),
    path("demand-categories/add/", views.DemandCategoryEditView.as_view(), name="demandcategory_add"),
    path("demand-categories/<int:pk>/", views.DemandCategoryView.as_view(), name="demandcategory"),
    path(
        "demand-categories/<int:pk>/edit/", views.DemandCategoryEditView.as_view(), name="demandcategory_edit"
    ),
    *[
        path(f"demands/<int:pk>/{action.replace('_', '-')}/", view.as_view(), name=f"demand_{action}")
        for action, view in views.ACTION_VIEWS.items()
    ],
]
