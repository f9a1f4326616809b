from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "yuanqu.enterprises"
    verbose_name = "企业库"
