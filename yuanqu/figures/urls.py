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
    path("figures/units/", views.UnitListView.as_view(), name="unit_list"),
    path("figures/units/add/", views.UnitEditView.as_view(), name="unit_add"),
    path("figures/units/<int:pk>/", views.UnitView.as_view(), name="unit"),
    path("figures/units/<int:pk>/edit/", views.UnitEditView.as_view(), name="unit_edit"),
    path("figures/units/<int:pk>/delete/", views.UnitDeleteView.as_view(), name="unit_delete"),
    path("figures/rates/", views.ExchangeRateListView.as_view(), name="exchangerate_list"),
    path("figures/rates/add/", views.ExchangeRateEditView.as_view(), name="exchangerate_add"),
    path("figures/rates/<int:pk>/", views.ExchangeRateView.as_view(), name="exchangerate"),
    path("figures/rates/<int:pk>/edit/", views.ExchangeRateEditView.as_view(), name="exchangerate_edit"),
    path(
        "figures/rates/<int:pk>/delete/", views.ExchangeRateDeleteView.as_view(), name="exchangerate_delete"
    ),
]
