from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "yuanqu.evaluation"
    verbose_name = "亩均评价"

    def ready(self):
        from yuanqu import registry
        from yuanqu.registry import register_navigation as nav

        registry.register_figures("evaluation", "yuanqu.evaluation.figures.provide")
        registry.register_demo("evaluation", "yuanqu.evaluation.demo.generate_evaluation", order=30, requires=["economy"])
        nav("modules", "亩均评价", "evaluation:evaluationresult_list", "evaluation.evaluationresult", order=40)
        nav("enterprise", "亩均评价结果", "evaluation:evaluationresult_list", "evaluation.evaluationresult", order=40)
