from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "yuanqu.economy"
    verbose_name = "经济运行"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .indicators import ensure_indicators

        post_migrate.connect(ensure_indicators, sender=self)
        from . import zone_importers  # noqa: F401  (registers the ``zone-figures`` importer)
