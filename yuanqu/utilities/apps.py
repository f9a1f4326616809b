from django.apps import AppConfig


class UtilitiesConfig(AppConfig):
    name = "yuanqu.utilities"
    verbose_name = "通用工具"
