from django.apps import AppConfig


class FiguresConfig(AppConfig):
    name = "yuanqu.figures"
    verbose_name = "数据目录"

    def ready(self):
        from django.db.models.signals import post_migrate

        from yuanqu.registry import register_navigation as nav

        from . import importers  # noqa: F401  (its registration: yuanqu import peers)
        from .units import ensure_units

        post_migrate.connect(ensure_units, sender=self)
        nav("modules", "数据目录", "figures:catalogue", "figures.unit", order=85)
