from django.urls import path

from . import cockpit, portal, views

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
    path("zone-figures/", views.ZoneMonthlyFigureListView.as_view(), name="zonemonthlyfigure_list"),
    path("zone-figures/add/", views.ZoneMonthlyFigureEditView.as_view(), name="zonemonthlyfigure_add"),
    path(
        "zone-figures/import/", views.ZoneMonthlyFigureImportView.as_view(), name="zonemonthlyfigure_import"
    ),
    path(
        "zone-figures/import/template/",
        views.ZoneMonthlyFigureImportTemplateView.as_view(),
        name="zonemonthlyfigure_import_template",
    ),
    path("zone-figures/<int:pk>/", views.ZoneMonthlyFigureView.as_view(), name="zonemonthlyfigure"),
    path("period-locks/", views.PeriodLockListView.as_view(), name="periodlock_list"),
    path("period-locks/<int:pk>/unlock/", views.PeriodUnlockView.as_view(), name="periodlock_unlock"),
]

# The enterprise portal (企业填报): a month's report on one form, the enterprise's own import.
urlpatterns += [
    path("portal/", portal.PortalView.as_view(), name="portal"),
    path("portal/<int:pk>/", portal.PortalMonthView.as_view(), name="portal_month"),
    path("portal/<int:pk>/import/", portal.PortalImportView.as_view(), name="portal_import"),
    path(
        "portal/<int:pk>/import/template/",
        portal.PortalImportTemplateView.as_view(),
        name="portal_import_template",
    ),
]
