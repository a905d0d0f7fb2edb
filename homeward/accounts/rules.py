"""Permission rules for accounts (settings are one's own; nothing to share)."""

from homeward.lib.permissions import rule


@rule("account.settings")
def account_settings(account, _obj=None) -> bool:
    return bool(account.is_authenticated and account.is_active)
