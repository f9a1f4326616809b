from django.urls import path

from yuanqu.utilities.import_views import BulkImportView, ImportTemplateView

from . import views
from .importers import PeerValueImporter

app_name = "figures"

urlpatterns = [
    path("figures/", views.CatalogueView.as_view(), name="catalogue"),
    path("figures/peers/", views.PeerValueListView.as_view(), name="peervalue_list"),
    path("figures/peers/add/", views.PeerValueEditView.as_view(), name="peervalue_add"),
    path(
        "figures/peers/import/", BulkImportView.as_view(importer=PeerValueImporter), name="peervalue_import"
    ),
    path(
        "figures/peers/import/template/",
        ImportTemplateView.as_view(importer=PeerValueImporter),
        name="peervalue_import_template",
    ),
    path("figures/peers/<int:pk>/", views.PeerValueView.as_view(), name="peervalue"),
    path("figures/peers/<int:pk>/edit/", views.PeerValueEditView.as_view(), name="peervalue_edit"),
    path("figures/peers/<int:pk>/delete/", views.PeerValueDeleteView.as_view(), name="peervalue_delete"),
]
