from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "yuanqu.targets"
    verbose_name = "目标管理"

    def ready(self):
        from django.db.models.signals import post_migrate

        from yuanqu.registry import register_navigation as nav

        from .progress import ensure_default_bands

        post_migrate.connect(ensure_default_bands, sender=self)
        # Next to 经济运行: the year's targets are read with the month's figures.
        nav("modules", "目标管理", "targets:sheet", "targets.target", order=35)
        nav("admin", "目标亮灯规则", "targets:lightband_list", "targets.lightband", order=85, action="change")
