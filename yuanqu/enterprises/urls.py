from django.urls import path

from yuanqu.utilities.import_views import BulkImportView, ImportTemplateView

from . import views
from .importers import EnterpriseImporter

app_name = "enterprises"

urlpatterns = [
    path("enterprises/", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/add/", views.EnterpriseEditView.as_view(), name="enterprise_add"),
    path(
        "enterprises/import/", BulkImportView.as_view(importer=EnterpriseImporter), name="enterprise_import"
    ),
    path(
        "enterprises/import/template/",
        ImportTemplateView.as_view(importer=EnterpriseImporter),
        name="enterprise_import_template",
    ),
    path("enterprises/industries/", views.industry_options, name="industry_options"),
    path("enterprises/<int:pk>/", views.EnterpriseView.as_view(), name="enterprise"),
    path("enterprises/<int:pk>/edit/", views.EnterpriseEditView.as_view(), name="enterprise_edit"),
    path("enterprises/<int:pk>/delete/", views.EnterpriseDeleteView.as_view(), name="enterprise_delete"),
    path("qualifications/", views.QualificationListView.as_view(), name="qualification_list"),
    path("qualifications/add/", views.QualificationEditView.as_view(), name="qualification_add"),
    path("qualifications/<int:pk>/edit/", views.QualificationEditView.as_view(), name="qualification_edit"),
    path("qualifications/<int:pk>/delete/", views.QualificationDeleteView.as_view(), name="qualification_delete"),
    path("contacts/add/", views.ContactEditView.as_view(), name="contact_add"),
    path("contacts/<int:pk>/edit/", views.ContactEditView.as_view(), name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.ContactDeleteView.as_view(), name="contact_delete"),
    path("scale-records/add/", views.ScaleRecordEditView.as_view(), name="scalerecord_add"),
    path("scale-records/<int:pk>/edit/", views.ScaleRecordEditView.as_view(), name="scalerecord_edit"),
    path("scale-records/<int:pk>/delete/", views.ScaleRecordDeleteView.as_view(), name="scalerecord_delete"),
    path("industry-chains/", views.IndustryChainListView.as_view(), name="industrychain_list"),
    path("industry-chains/add/", views.IndustryChainEditView.as_view(), name="industrychain_add"),
    path("industry-chains/<int:pk>/edit/", views.IndustryChainEditView.as_view(), name="industrychain_edit"),
    path("industry-chains/<int:pk>/delete/", views.IndustryChainDeleteView.as_view(), name="industrychain_delete"),
]
