"""Who may do what with question campaigns (PRODUCT.md, roles).

Followers and members ask and vote in a movement campaign; a chapter campaign is for its
chapter's members. Moderation, export, outcomes: the coordinators of the campaign's
chapter and admins, with a verified second factor.
"""

from homeward.chapters.campaigns import active as _active
from homeward.chapters.campaigns import manages, may_create, takes_part
from homeward.lib.permissions import rule


@rule("questions.take_part")
def questions_take_part(account, campaign) -> bool:
    return takes_part(account, campaign)


@rule("questions.own")
def questions_own(account, question) -> bool:
    """Her own question: its status, the reason it was not accepted, her video."""
    return _active(account) and question.author_id == account.pk


@rule("questions.create", power=True)
def questions_create(account, _obj=None) -> bool:
    return may_create(account)


@rule("questions.manage", power=True)
def questions_manage(account, campaign) -> bool:
    """Moderate, merge, split, export, record outcomes: admins and the coordinators of the
    campaign's chapter."""
    return manages(account, campaign)
