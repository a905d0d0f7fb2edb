"""Who may do what with question campaigns (PRODUCT.md, roles).

Followers and members ask and vote in a movement campaign; a chapter campaign is for its
chapter's members. Moderation, export, outcomes: the coordinators of the campaign's
chapter and admins, with a verified second factor.
"""

from homeward.chapters.models import Membership
from homeward.chapters.selectors import coordinated_chapters
from homeward.lib.permissions import rule
from homeward.questions.models import Scope


def _active(account) -> bool:
    return bool(account.is_authenticated and account.is_active)


def _admin(account) -> bool:
    return _active(account) and account.is_admin


@rule("questions.take_part")
def questions_take_part(account, campaign) -> bool:
    if not _active(account):
        return False
    if campaign.scope == Scope.MOVEMENT:
        return True
    return Membership.objects.filter(account=account, chapter_id=campaign.chapter_id).exists()


@rule("questions.own")
def questions_own(account, question) -> bool:
    """Her own question: its status, the reason it was not accepted, her video."""
    return _active(account) and question.author_id == account.pk


@rule("questions.create", power=True)
def questions_create(account, _obj=None) -> bool:
    return _admin(account) or (_active(account) and coordinated_chapters(account).exists())


@rule("questions.manage", power=True)
def questions_manage(account, campaign) -> bool:
    """Moderate, merge, split, export, record outcomes: admins and the coordinators of the
    campaign's chapter."""
    if _admin(account):
        return True
    return bool(
        _active(account)
        and campaign.chapter_id
        and Membership.objects.filter(
            account=account, chapter_id=campaign.chapter_id, role=Membership.Role.COORDINATOR
        ).exists()
    )
