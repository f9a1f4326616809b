from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

app_name = "economy-api"

router = DefaultRouter()
router.register("indicators", views.IndicatorViewSet)
router.register("monthly-values", views.EnterpriseMonthlyValueViewSet)
router.register("zone-figures", views.ZoneMonthlyFigureViewSet)
urlpatterns = [
    path("indicator-summary/", views.IndicatorSummaryView.as_view(), name="indicator-summary"),
    *router.urls,
]
