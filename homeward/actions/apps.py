from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActionsConfig(AppConfig):
    name = "homeward.actions"
    label = "actions"
    verbose_name = _("Street actions")

    def ready(self):
        from homeward.actions import rules, tasks  # noqa: F401
