from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "yuanqu.projects"
    verbose_name = "重点项目"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .services import ensure_default_light_rules

        post_migrate.connect(ensure_default_light_rules, sender=self)
