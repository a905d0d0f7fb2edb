from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChaptersConfig(AppConfig):
    name = "homeward.chapters"
    label = "chapters"
    verbose_name = _("Chapters")

    def ready(self):
        from homeward.chapters import rules  # noqa: F401  (registers permission rules)
