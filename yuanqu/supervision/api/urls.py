from rest_framework.routers import DefaultRouter

from . import views

app_name = "supervision-api"

router = DefaultRouter()
router.register("supervision-tasks", views.TaskViewSet)
router.register("task-reports", views.TaskReportViewSet)
router.register("rectification-items", views.RectificationItemViewSet)
urlpatterns = router.urls
