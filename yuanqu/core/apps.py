from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "yuanqu.core"
    verbose_name = "平台核心"

    def ready(self):
        from . import signals  # noqa: F401
