from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "yuanqu.supervision"
    verbose_name = "督查督办"
