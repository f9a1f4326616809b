from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yuanqu.evaluation"
    verbose_name = "亩均评价"
