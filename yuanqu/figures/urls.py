from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("figures/", views.CatalogueView.as_view(), name="catalogue"),
]
