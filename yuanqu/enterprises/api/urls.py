from rest_framework.routers import DefaultRouter

from . import views

app_name = "enterprises-api"

router = DefaultRouter()
router.register("enterprises", views.EnterpriseViewSet)
router.register("qualifications", views.QualificationViewSet)
urlpatterns = router.urls
