from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "yuanqu.demands"
    verbose_name = "诉求办理"
