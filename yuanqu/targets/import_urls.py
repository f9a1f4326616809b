"""The target sheet's import, export and synonym pages (kept apart from ``urls.py`` so the
sheet's pages and its import evolve separately); included by ``urls.py``."""

from django.urls import path

from yuanqu.utilities.import_views import ImportTemplateView

from . import import_views, synonym_views
from .importers import TargetImporter

urlpatterns: list = [
    path("targets/import/", import_views.TargetImportView.as_view(), name="target_import"),
    path(
        "targets/import/template/",
        ImportTemplateView.as_view(importer=TargetImporter),
        name="target_import_template",
    ),
    path("targets/export/", import_views.TargetExportView.as_view(), name="target_export"),
    path("targets/synonyms/", synonym_views.SynonymListView.as_view(), name="synonym_list"),
    path("targets/synonyms/add/", synonym_views.SynonymEditView.as_view(), name="synonym_add"),
    path("targets/synonyms/<int:pk>/", synonym_views.SynonymView.as_view(), name="synonym"),
    path("targets/synonyms/<int:pk>/edit/", synonym_views.SynonymEditView.as_view(), name="synonym_edit"),
    path(
        "targets/synonyms/<int:pk>/delete/", synonym_views.SynonymDeleteView.as_view(), name="synonym_delete"
    ),
]
