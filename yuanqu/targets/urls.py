from .import_urls import urlpatterns as import_patterns

app_name = "targets"

urlpatterns: list = [] + import_patterns
