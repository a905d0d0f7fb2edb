from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FamiliesConfig(AppConfig):
    name = "homeward.families"
    label = "families"
    verbose_name = _("Loved ones")

    def ready(self):
        from homeward.families import rules, tasks  # noqa: F401
