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
        # Reference data the system administrator keeps (who cannot open 数据目录 itself).
        nav("admin", "计量单位", "figures:unit_list", "figures.unit", order=72, action="change")
        nav("admin", "汇率", "figures:exchangerate_list", "figures.exchangerate", order=74, action="change")
