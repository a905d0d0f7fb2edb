"""Permission rules for chapters, registered with homeward.lib.permissions."""

from homeward.chapters import selectors
from homeward.lib.permissions import rule


def _admin(account) -> bool:
    return bool(account.is_authenticated and account.is_active and account.is_admin)


@rule("chapter.join")
def chapter_join(account, chapter) -> bool:
    return bool(account.is_authenticated and chapter.is_open and selectors.membership_of(account, chapter) is None)


@rule("chapter.leave")
def chapter_leave(account, chapter) -> bool:
    return selectors.membership_of(account, chapter) is not None


@rule("chapter.manage", power=True)
def chapter_manage(account, chapter) -> bool:
    return _admin(account) or selectors.is_coordinator_of(account, chapter)


@rule("chapters.administer", power=True)
def chapters_administer(account, _obj=None) -> bool:
    return _admin(account)


@rule("audit.view", power=True)
def audit_view(account, _obj=None) -> bool:
    return _admin(account)


@rule("admin.site", power=True)
def admin_site(account, _obj=None) -> bool:
    return _admin(account)
