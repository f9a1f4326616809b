from django.apps import AppConfig


class EconomyConfig(AppConfig):
    name = "yuanqu.economy"
    verbose_name = "经济运行"

    def ready(self):
        from django.db.models.signals import post_migrate

        from yuanqu import registry
        from yuanqu.registry import register_navigation as nav

        from . import importers, rollups, search, zone_importers  # noqa: F401  (their registrations)
        from .indicators import ensure_indicators

        post_migrate.connect(ensure_indicators, sender=self)
        rollups.connect()  # after core's change-log receivers (checked by the registry)
        registry.register_exporter("monthly", "yuanqu.economy.exporters.MonthlyExporter")
        registry.register_demo("economy", "yuanqu.economy.demo.generate_economy", order=20)
        nav("modules", "经济运行", "economy:summary", "economy.enterprisemonthlyvalue", order=30)
        nav("enterprise", "月报填报", "economy:portal", "economy.enterprisemonthlyvalue", order=20)
        nav(
            "enterprise", "本企业月报", "economy:enterprisemonthlyvalue_list", "economy.enterprisemonthlyvalue",
            order=30,
        )  # fmt: skip
        nav("admin", "经济指标", "economy:indicator_list", "economy.indicator", order=60, action="change")
        nav("admin", "月份锁定", "economy:periodlock_list", "economy.periodlock", order=70, action="add")
        # Read-only pages answered again from the response cache while the data is unchanged.
        registry.register_cached_page("economy:cockpit")
        registry.register_cached_page("economy:indicator")
        registry.register_home_panel("cockpit", "yuanqu.economy.panels.cockpit_button", order=20, slot="actions")
        registry.register_figures("economy", "yuanqu.economy.figures.provide")
        registry.register_home_panel("portal_reminder", "yuanqu.economy.panels.portal_reminder", order=10)
