from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelConfig(AppConfig):
    name = "homeward.channel"
    label = "channel"
    verbose_name = _("Channel")

    def ready(self):
        from homeward.channel import rules, tasks  # noqa: F401
