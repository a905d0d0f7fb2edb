"""Who may do what with appeal campaigns and filings (PRODUCT.md, roles)."""

from homeward.appeals.models import Scope
from homeward.chapters.models import Membership
from homeward.chapters.selectors import coordinated_chapters, is_member
from homeward.lib.permissions import rule


def _active(account) -> bool:
    return bool(account.is_authenticated and account.is_active)


def _admin(account) -> bool:
    return _active(account) and account.is_admin


def _in_scope(account, campaign) -> bool:
    if campaign.scope == Scope.MOVEMENT:
        return True
    return Membership.objects.filter(account=account, chapter_id=campaign.chapter_id).exists()


@rule("appeals.sign")
def appeals_sign(account, campaign) -> bool:
    """Followers and members co-sign a movement campaign; a chapter campaign, its members."""
    return _active(account) and _in_scope(account, campaign)


@rule("appeals.withdraw")
def appeals_withdraw(account, _campaign=None) -> bool:
    """Anyone may withdraw her own signature, at any time — even after leaving the chapter."""
    return _active(account)


@rule("appeals.file")
def appeals_file(account, campaign) -> bool:
    """Members (accounts in a chapter) make personal copies and record filings, within the scope."""
    return _active(account) and is_member(account) and _in_scope(account, campaign)


@rule("appeals.filing.own")
def appeals_filing_own(account, filing) -> bool:
    """A filing is seen and changed by the member who recorded it. Nobody else, admins included."""
    return _active(account) and filing.owner_id == account.pk


@rule("appeals.create", power=True)
def appeals_create(account, _obj=None) -> bool:
    """Coordinators (for the movement or their chapter) and admins create campaigns."""
    return _admin(account) or (_active(account) and coordinated_chapters(account).exists())


@rule("appeals.manage", power=True)
def appeals_manage(account, campaign) -> bool:
    """Edit, close, see the dashboard, download the collective letter: admins and the
    coordinators of the campaign's chapter."""
    if _admin(account):
        return True
    return bool(
        _active(account)
        and campaign.chapter_id
        and Membership.objects.filter(
            account=account, chapter_id=campaign.chapter_id, role=Membership.Role.COORDINATOR
        ).exists()
    )
