from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("mu-evaluation/results/", views.ResultListView.as_view(), name="evaluationresult_list"),
    path("mu-evaluation/results/<int:pk>/", views.ResultView.as_view(), name="evaluationresult"),
    path("mu-evaluation/results/<int:pk>/appeal/", views.AppealAddView.as_view(), name="appeal_add"),
    path("mu-evaluation/schemes/", views.SchemeListView.as_view(), name="evaluationscheme_list"),
    path("mu-evaluation/schemes/add/", views.SchemeEditView.as_view(), name="evaluationscheme_add"),
    path("mu-evaluation/schemes/<int:pk>/", views.SchemeView.as_view(), name="evaluationscheme"),
    path(
        "mu-evaluation/schemes/<int:pk>/edit/", views.SchemeEditView.as_view(), name="evaluationscheme_edit"
    ),
    path(
        "mu-evaluation/schemes/<int:pk>/delete/",
        views.SchemeDeleteView.as_view(),
        name="evaluationscheme_delete",
    ),
    path(
        "mu-evaluation/schemes/<int:pk>/evaluate/",
        views.EvaluateView.as_view(),
        name="evaluationscheme_evaluate",
    ),
    path("mu-evaluation/data/", views.InputListView.as_view(), name="evaluationinput_list"),
    path("mu-evaluation/data/add/", views.InputEditView.as_view(), name="evaluationinput_add"),
    path("mu-evaluation/data/<int:pk>/edit/", views.InputEditView.as_view(), name="evaluationinput_edit"),
    path("mu-evaluation/appeals/", views.AppealListView.as_view(), name="appeal_list"),
    path("mu-evaluation/appeals/<int:pk>/", views.AppealView.as_view(), name="appeal"),
    path("mu-evaluation/appeals/<int:pk>/resolve/", views.AppealResolveView.as_view(), name="appeal_resolve"),
]
