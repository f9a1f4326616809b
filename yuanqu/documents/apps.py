from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "yuanqu.documents"
    verbose_name = "材料报告"
