from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "yuanqu.documents"
    verbose_name = "材料报告"

    def ready(self):
        from yuanqu import registry
        from yuanqu.registry import register_navigation as nav

        # Last: the reports quote every module's figures.
        registry.register_demo(
            "documents",
            "yuanqu.documents.demo.generate_documents",
            order=100,
            requires=["economy", "targets", "projects", "demands", "supervision"],
        )

        nav("modules", "材料报告", "documents:document_list", "documents.document", order=110)
        nav("modules", "材料校核", "documents:check", "documents.document", order=112)
