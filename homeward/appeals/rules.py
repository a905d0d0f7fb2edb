"""Who may do what with appeal campaigns and filings (PRODUCT.md, roles)."""

from homeward.chapters.campaigns import active as _active
from homeward.chapters.campaigns import manages, may_create, takes_part
from homeward.chapters.selectors import is_member
from homeward.lib.permissions import rule


@rule("appeals.sign")
def appeals_sign(account, campaign) -> bool:
    """Followers and members co-sign a movement campaign; a chapter campaign, its members."""
    return takes_part(account, campaign)


@rule("appeals.withdraw")
def appeals_withdraw(account, _campaign=None) -> bool:
    """Anyone may withdraw her own signature, at any time — even after leaving the chapter."""
    return _active(account)


@rule("appeals.file")
def appeals_file(account, campaign) -> bool:
    """Members (accounts in a chapter) make personal copies and record filings, within the scope."""
    return takes_part(account, campaign) and is_member(account)


@rule("appeals.filing.own")
def appeals_filing_own(account, filing) -> bool:
    """A filing is seen and changed by the member who recorded it. Nobody else, admins included."""
    return _active(account) and filing.owner_id == account.pk


@rule("appeals.create", power=True)
def appeals_create(account, _obj=None) -> bool:
    """Coordinators (for the movement or their chapter) and admins create campaigns."""
    return may_create(account)


@rule("appeals.manage", power=True)
def appeals_manage(account, campaign) -> bool:
    """Edit, close, see the dashboard, download the collective letter: admins and the
    coordinators of the campaign's chapter."""
    return manages(account, campaign)
