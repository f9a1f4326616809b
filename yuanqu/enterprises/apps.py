from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "yuanqu.enterprises"
    verbose_name = "企业库"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .industries import ensure_industries

        post_migrate.connect(ensure_industries, sender=self)
