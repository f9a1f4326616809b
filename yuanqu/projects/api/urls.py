from rest_framework.routers import DefaultRouter

from . import views

app_name = "projects-api"

router = DefaultRouter()
router.register("key-projects", views.KeyProjectViewSet)
router.register("project-year-plans", views.ProjectYearPlanViewSet)
router.register("project-milestones", views.MilestoneViewSet)
router.register("project-progress", views.MonthlyProgressViewSet)
router.register("project-blockers", views.BlockerViewSet)
urlpatterns = router.urls
