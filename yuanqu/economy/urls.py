from django.urls import path

from . import cockpit, views

app_name = "economy"

urlpatterns = [
    path("economy/", views.IndicatorSummaryView.as_view(), name="summary"),
    path("cockpit/", cockpit.CockpitView.as_view(), name="cockpit"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator_list"),
    path("indicators/add/", views.IndicatorEditView.as_view(), name="indicator_add"),
    path("indicators/<int:pk>/", views.IndicatorView.as_view(), name="indicator"),
    path("indicators/<int:pk>/edit/", views.IndicatorEditView.as_view(), name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.IndicatorDeleteView.as_view(), name="indicator_delete"),
    path(
        "monthly-values/", views.EnterpriseMonthlyValueListView.as_view(), name="enterprisemonthlyvalue_list"
    ),
    path(
        "monthly-values/add/",
        views.EnterpriseMonthlyValueEditView.as_view(),
        name="enterprisemonthlyvalue_add",
    ),
    path(
        "monthly-values/import/",
        views.EnterpriseMonthlyValueImportView.as_view(),
        name="enterprisemonthlyvalue_import",
    ),
    path(
        "monthly-values/import/template/",
        views.EnterpriseMonthlyValueImportTemplateView.as_view(),
        name="enterprisemonthlyvalue_import_template",
    ),
    path(
        "monthly-values/<int:pk>/", views.EnterpriseMonthlyValueView.as_view(), name="enterprisemonthlyvalue"
    ),
]
