from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "yuanqu.investment"
    verbose_name = "双招双引"
