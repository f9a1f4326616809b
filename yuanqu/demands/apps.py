from django.apps import AppConfig


class DemandsConfig(AppConfig):
    name = "yuanqu.demands"
    verbose_name = "诉求办理"

    def ready(self):
        from yuanqu import registry
        from yuanqu.registry import register_navigation as nav

        from . import importers, search  # noqa: F401  (their registrations)

        registry.register_figures("demands", "yuanqu.demands.figures.provide")
        registry.register_demo("demands", "yuanqu.demands.demo.generate_demands", order=40)
        nav("modules", "诉求办理", "demands:demand_list", "demands.demand", order=70)
        nav("enterprise", "我的诉求", "demands:demand_list", "demands.demand", order=50)
        nav("admin", "诉求类别", "demands:demandcategory_list", "demands.demandcategory", order=50)
