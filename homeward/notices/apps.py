from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "homeward.notices"
    label = "notices"
    verbose_name = _("Notifications")

    def ready(self):
        from homeward.notices import rules  # noqa: F401
