from rest_framework.routers import DefaultRouter

from . import views

app_name = "demands-api"

router = DefaultRouter()
router.register("demands", views.DemandViewSet)
urlpatterns = router.urls
