from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "homeward.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from homeward.accounts import rules  # noqa: F401  (registers permission rules)
