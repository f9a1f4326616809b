"""The target sheet's import, export and synonym pages (kept apart from ``urls.py`` so the
sheet's pages and its import evolve separately); included by ``urls.py``."""

from django.urls import path

from yuanqu.utilities.import_views import ImportTemplateView

from . import import_views
from .importers import TargetImporter

urlpatterns: list = [
    path("targets/import/", import_views.TargetImportView.as_view(), name="target_import"),
    path(
        "targets/import/template/",
        ImportTemplateView.as_view(importer=TargetImporter),
        name="target_import_template",
    ),
    path("targets/export/", import_views.TargetExportView.as_view(), name="target_export"),
]
