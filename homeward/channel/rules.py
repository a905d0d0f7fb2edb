"""Who may read and write the channel."""

from homeward.channel.models import PostStatus, Visibility
from homeward.chapters import selectors as chapter_selectors
from homeward.lib.permissions import rule


def _admin(account) -> bool:
    return bool(account.is_authenticated and account.is_active and account.is_admin)


def _writer(account) -> bool:
    return _admin(account) or chapter_selectors.coordinated_chapters(account).exists()


@rule("channel.write", power=True)
def channel_write(account, _obj=None) -> bool:
    """Coordinators (of any chapter) and admins publish."""
    return _writer(account)


@rule("channel.post.manage", power=True)
def post_manage(account, post) -> bool:
    """Edit, pin, delete: admins; coordinators, but a chapter's post only by that chapter's coordinators."""
    if _admin(account):
        return True
    if post.visibility == Visibility.CHAPTER:
        return chapter_selectors.is_coordinator_of(account, post.chapter)
    return _writer(account)


@rule("channel.post.view")
def post_view(account, post) -> bool:
    if post.status != PostStatus.PUBLISHED:
        return post_manage(account, post)
    if post.visibility == Visibility.PUBLIC:
        return True
    if not account.is_authenticated:
        return False
    if _admin(account):
        return True
    if post.visibility == Visibility.MEMBERS:
        return chapter_selectors.is_member(account)
    return chapter_selectors.membership_of(account, post.chapter) is not None


@rule("channel.follow")
def channel_follow(account, _obj=None) -> bool:
    return bool(account.is_authenticated and account.is_active)
