from homeward.lib.permissions import rule


@rule("notices.own")
def notices_own(account, _obj=None) -> bool:
    return bool(account.is_authenticated and account.is_active)
