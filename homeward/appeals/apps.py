from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "homeward.appeals"
    label = "appeals"
    verbose_name = _("Collective appeals")

    def ready(self):
        from homeward.appeals import rules, tasks  # noqa: F401
