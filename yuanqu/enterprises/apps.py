from django.apps import AppConfig


def own_enterprise_args(user):
    """The URL arguments of 本企业: the enterprise user's own enterprise."""
    return [user.enterprise_id]


class EnterprisesConfig(AppConfig):
    name = "yuanqu.enterprises"
    verbose_name = "企业库"

    def ready(self):
        from django.db.models.signals import post_migrate

        from yuanqu import registry
        from yuanqu.registry import register_navigation as nav

        from . import importers, search  # noqa: F401  (their registrations)
        from .industries import ensure_industries

        post_migrate.connect(ensure_industries, sender=self)
        nav("modules", "企业库", "enterprises:enterprise_list", "enterprises.enterprise", order=20)
        # The list and its API page, read-only: answered again from the response cache.
        registry.register_cached_page("enterprises:enterprise_list")
        registry.register_cached_page("enterprises-api:enterprise-list")
        nav(
            "enterprise", "本企业", "enterprises:enterprise", "enterprises.enterprise",
            order=10, url_args=own_enterprise_args,
        )  # fmt: skip
        nav("admin", "产业链", "enterprises:industrychain_list", "enterprises.industrychain", order=40)
        registry.register_figures("enterprises", "yuanqu.enterprises.figures.provide")
        registry.register_home_panel("enterprise_counts", "yuanqu.enterprises.panels.enterprise_counts", order=20)
