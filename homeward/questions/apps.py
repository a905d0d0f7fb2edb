from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "homeward.questions"
    label = "questions"
    verbose_name = _("Question bank")

    def ready(self):
        from homeward.questions import rules, tasks  # noqa: F401
