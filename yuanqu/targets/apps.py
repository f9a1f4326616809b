from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "yuanqu.targets"
    verbose_name = "目标管理"

    def ready(self):
        from django.db.models.signals import post_migrate

        from yuanqu import registry

        from . import importers  # noqa: F401  (registers the sheet's import and export)
        from .progress import ensure_default_bands
        from .synonyms import ensure_synonyms

        post_migrate.connect(ensure_default_bands, sender=self)
        post_migrate.connect(ensure_synonyms, sender=self)

        # Next to 经济运行: the year's targets are read with the month's figures.
        registry.register_navigation("modules", "目标管理", "targets:sheet", "targets.target", order=35)
        registry.register_navigation(
            "admin", "目标亮灯规则", "targets:lightband_list", "targets.lightband", order=85, action="change"
        )
        registry.register_demo("peers", "yuanqu.targets.demo.generate_peers", order=80, requires=["economy"])
        registry.register_demo(
            "targets",
            "yuanqu.targets.demo.generate_targets",
            order=85,
            requires=["economy", "demands", "projects", "investment"],
        )
