from django.urls import path

from . import views

app_name = "demands"

urlpatterns = [
    path("demands/", views.DemandListView.as_view(), name="demand_list"),
    path("demands/add/", views.DemandCreateView.as_view(), name="demand_add"),
    path("demands/mine/", views.my_demands, name="my_demands"),
    path("demands/statistics/", views.statistics, name="statistics"),
    path("demands/<int:pk>/", views.DemandView.as_view(), name="demand"),
    *[
        path(f"demands/<int:pk>/{action.replace('_', '-')}/", view.as_view(), name=f"demand_{action}")
        for action, view in views.ACTION_VIEWS.items()
    ],
]
