from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    name = "yuanqu.investment"
    verbose_name = "双招双引"

    def ready(self):
        from yuanqu import registry
        from yuanqu.registry import register_navigation as nav

        from . import importers, search  # noqa: F401  (their registrations)

        registry.register_figures("investment", "yuanqu.investment.figures.provide")
        # Leads are linked to the key projects the projects demo builds.
        registry.register_demo("investment", "yuanqu.investment.demo.generate_investment", order=70, requires=["projects"])
        nav("modules", "双招双引", "investment:lead_list", "investment.lead", order=50)
