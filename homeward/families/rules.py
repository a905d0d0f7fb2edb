from homeward.chapters.selectors import is_member
from homeward.lib.permissions import rule


@rule("families.record")
def families_record(account, _obj=None) -> bool:
    """Members (accounts in a chapter) record loved ones; followers join a chapter first."""
    return is_member(account)


@rule("families.own")
def families_own(account, loved_one) -> bool:
    """Only the member who recorded a loved one sees or changes the record. Nobody else."""
    return bool(account.is_authenticated and loved_one.owner_id == account.pk)
