"""Reads about chapters that need care (roles, k-anonymous counts)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404

from homeward.chapters.models import Chapter, Membership


def chapter_list():
    return Chapter.objects.select_related("region").annotate(member_count=Count("memberships"))


def chapters_by_region():
    """Every chapter with its region, in the order of the regions' Russian names."""
    return Chapter.objects.select_related("region").order_by("region__name_ru")


def get_chapter_for(account, slug: str) -> Chapter:
    """Chapters are public; this is the one way views fetch one."""
    try:
        return Chapter.objects.select_related("region").get(slug=slug)
    except Chapter.DoesNotExist as exc:
        raise Http404 from exc


def membership_of(account, chapter: Chapter) -> Membership | None:
    if not account.is_authenticated:
        return None
    return Membership.objects.filter(account=account, chapter=chapter).first()


def chapters_of(account):
    if not account.is_authenticated:
        return Chapter.objects.none()
    return Chapter.objects.filter(memberships__account=account).select_related("region")


def chapters_to_run_for(account):
    """(chapters, required): the chapters a new campaign may be run by — any for an admin
    (optional), her own coordinated ones for a coordinator (one must be chosen)."""
    if account.is_admin:
        return Chapter.objects.select_related("region"), False
    return coordinated_chapters(account), True


def coordinated_chapters(account):
    if not account.is_authenticated:
        return Chapter.objects.none()
    return Chapter.objects.filter(
        memberships__account=account, memberships__role=Membership.Role.COORDINATOR
    ).select_related("region")


def is_coordinator_of(account, chapter: Chapter) -> bool:
    return bool(
        account.is_authenticated
        and Membership.objects.filter(account=account, chapter=chapter, role=Membership.Role.COORDINATOR).exists()
    )


def is_member(account) -> bool:
    return bool(account.is_authenticated and Membership.objects.filter(account=account).exists())


def coordinators_of(chapter: Chapter):
    return (
        Membership.objects.filter(chapter=chapter, role=Membership.Role.COORDINATOR)
        .select_related("account")
        .order_by("account__handle")
    )


def counts(chapter: Chapter) -> dict:
    agg = Membership.objects.filter(chapter=chapter).aggregate(
        members=Count("id"), coordinators=Count("id", filter=Q(role=Membership.Role.COORDINATOR))
    )
    return agg


def k_count(n: int) -> int | None:
    """A count is shown only when it covers at least k people; otherwise None ("fewer than k")."""
    return n if n >= settings.K_ANONYMITY else None
