from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "yuanqu.documents"
    verbose_name = "材料报告"

    def ready(self):
        from yuanqu.registry import register_navigation as nav

        nav("modules", "材料报告", "documents:document_list", "documents.document", order=110)
        nav("modules", "材料校核", "documents:check", "documents.document", order=112)
