from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "yuanqu.users"
    verbose_name = "用户与权限"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .defaults import ensure_default_permissions

        post_migrate.connect(ensure_default_permissions, sender=self)
