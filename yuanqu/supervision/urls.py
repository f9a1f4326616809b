from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("tasks/", views.TaskListView.as_view(), name="task_list"),
    path("tasks/board/", views.board, name="board"),
    path("tasks/overdue/", views.overdue, name="overdue"),
    path("tasks/mine/", views.mine, name="mine"),
    path("tasks/<int:pk>/", views.TaskView.as_view(), name="task"),
    path("tasks/<int:pk>/reports/add/", views.TaskReportAddView.as_view(), name="taskreport_add"),
    path("rectifications/", views.RectificationListView.as_view(), name="rectificationitem_list"),
    path("rectifications/<int:pk>/", views.RectificationView.as_view(), name="rectification"),
    path(
        "rectifications/<int:pk>/close/", views.RectificationCloseView.as_view(), name="rectification_close"
    ),
    path(
        "rectifications/<int:pk>/lookback/",
        views.RectificationLookbackView.as_view(),
        name="rectification_lookback",
    ),
]
