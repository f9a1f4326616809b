from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "yuanqu.jobs"
    verbose_name = "后台任务"
