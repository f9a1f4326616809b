from rest_framework.routers import DefaultRouter

from . import views

app_name = "investment-api"

router = DefaultRouter()
router.register("leads", views.LeadViewSet)
router.register("lead-events", views.LeadEventViewSet)
router.register("funds-in-place", views.FundsInPlaceViewSet)
router.register("talent-introductions", views.TalentIntroductionViewSet)
urlpatterns = router.urls
