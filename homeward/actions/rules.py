"""Who may see and do what with actions (PRODUCT.md, roles)."""

from homeward.chapters import selectors as chapter_selectors
from homeward.lib.permissions import rule


def _admin(account) -> bool:
    return bool(account.is_authenticated and account.is_active and account.is_admin)


@rule("actions.view")
def action_view(account, action) -> bool:
    """Public actions: anyone. Others: the chapter's members, its lawyers, admins."""
    if action.is_public:
        return True
    if not account.is_authenticated:
        return False
    return (
        _admin(account)
        or chapter_selectors.membership_of(account, action.chapter) is not None
        or action.lawyers.filter(pk=account.pk).exists()
    )


@rule("actions.create", power=True)
def action_create(account, _obj=None) -> bool:
    """Coordinators (for their chapters) and admins plan actions."""
    return _admin(account) or chapter_selectors.coordinated_chapters(account).exists()


@rule("actions.manage", power=True)
def action_manage(account, action) -> bool:
    """Edit, cancel, track the notice, log incidents, see the place and counts: the chapter's
    coordinators and admins."""
    return _admin(account) or chapter_selectors.is_coordinator_of(account, action.chapter)


@rule("actions.take_part")
def action_take_part(account, action) -> bool:
    """RSVP, check in and out, press "detained": the chapter's members (coordinators too)."""
    return bool(account.is_authenticated and chapter_selectors.membership_of(account, action.chapter) is not None)
