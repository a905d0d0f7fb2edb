"""Chapter services: joining, invites, roles. Every write goes through here."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from homeward.audit.services import audit_record
from homeward.chapters.models import Chapter, Invite, Membership, Region
from homeward.lib.versions import PUBLIC_STATS, version_bump


class InviteUnusable(Exception):
    pass


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def chapter_create(*, actor, region: Region, is_open: bool, description: str = "") -> Chapter:
    with transaction.atomic():
        chapter = Chapter.objects.create(
            region=region, slug=region.code.lower(), is_open=is_open, description=description
        )
        audit_record(actor=actor, action="chapter.create", target=chapter.slug)
        # A new chapter changes the public figures (its region leaves "other regions").
        version_bump(PUBLIC_STATS)
    return chapter


def chapter_update(*, actor, chapter: Chapter, is_open: bool, description: str) -> None:
    chapter.is_open = is_open
    chapter.description = description
    chapter.save(update_fields=["is_open", "description"])
    audit_record(actor=actor, action="chapter.update", target=chapter.slug)


def chapter_join(*, account, chapter: Chapter) -> Membership:
    """Join an open chapter; joining twice is harmless."""
    membership, created = Membership.objects.get_or_create(account=account, chapter=chapter)
    if created:
        version_bump(PUBLIC_STATS)
    return membership


def chapter_leave(*, account, chapter: Chapter) -> None:
    Membership.objects.filter(account=account, chapter=chapter).delete()
    version_bump(PUBLIC_STATS)


def invite_create(
    *, actor, chapter: Chapter, now: dt.datetime, days: int, max_uses: int | None, label: str = ""
) -> str:
    """Make an invite link; returns the token, which is stored only as a hash."""
    token = secrets.token_urlsafe(24)
    Invite.objects.create(
        chapter=chapter,
        token_hash=_token_hash(token),
        created_by=actor,
        expires_at=now + dt.timedelta(days=days),
        max_uses=max_uses,
        label=label,
    )
    audit_record(actor=actor, action="invite.create", target=chapter.slug)
    return token


def invite_revoke(*, actor, invite: Invite) -> None:
    Invite.objects.filter(pk=invite.pk).update(revoked=True)
    audit_record(actor=actor, action="invite.revoke", target=invite.chapter.slug)


def invite_find(*, token: str) -> Invite | None:
    return Invite.objects.select_related("chapter__region").filter(token_hash=_token_hash(token)).first()


def invite_accept(*, account, token: str, now: dt.datetime) -> Membership:
    """Use an invite: one atomic increment, so a single-use link admits exactly one person."""
    with transaction.atomic():
        invite = invite_find(token=token)
        if invite is None:
            raise InviteUnusable
        existing = Membership.objects.filter(account=account, chapter=invite.chapter).first()
        if existing:
            return existing
        used = (
            Invite.objects.filter(pk=invite.pk, revoked=False, expires_at__gt=now)
            .filter(Q(max_uses__isnull=True) | Q(uses__lt=F("max_uses")))
            .update(uses=F("uses") + 1)
        )
        if not used:
            raise InviteUnusable
        version_bump(PUBLIC_STATS)
        try:
            with transaction.atomic():
                return Membership.objects.create(account=account, chapter=invite.chapter)
        except IntegrityError:
            return Membership.objects.get(account=account, chapter=invite.chapter)


def invites_prune(*, now: dt.datetime) -> int:
    """Delete invites that expired more than a week ago (daily job)."""
    deleted, _ = Invite.objects.filter(expires_at__lt=now - dt.timedelta(days=7)).delete()
    return deleted


def role_set(*, actor, chapter: Chapter, account, role: str) -> bool:
    """Promote or demote a member of this chapter; False when she is not a member."""
    changed = Membership.objects.filter(chapter=chapter, account=account).update(role=role)
    if changed:
        audit_record(actor=actor, action=f"role.{role}", target=f"{chapter.slug}:{account.handle}")
    return bool(changed)


def coordinator_assign(*, actor, chapter: Chapter, account) -> None:
    """Admins make any account a coordinator of a chapter (joining it if needed)."""
    Membership.objects.update_or_create(
        account=account, chapter=chapter, defaults={"role": Membership.Role.COORDINATOR}
    )
    audit_record(actor=actor, action="role.coordinator", target=f"{chapter.slug}:{account.handle}")
