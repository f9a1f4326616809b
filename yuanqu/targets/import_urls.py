"""The target sheet's import, export and synonym pages (kept apart from ``urls.py`` so the
sheet's pages and its import evolve separately); included by ``urls.py``."""

urlpatterns: list = []
