"""Reads about actions that need care: who may see which action, and when the place shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.http import Http404

from homeward.actions.models import RSVP, Action, CheckIn, Detention, Incident, IncidentKind, Status
from homeward.chapters.models import Chapter, Membership
from homeward.lib.ids import pk_or_404
from homeward.lib.kanon import Line, suppress
from homeward.lib.permissions import can


def visible_actions(account):
    """Actions the account may see: public ones, plus her chapters' (all of them for admins)."""
    actions = Action.objects.select_related("chapter__region")
    if account.is_authenticated and account.is_admin:
        return actions
    allowed = Q(is_public=True)
    if account.is_authenticated:
        chapter_ids = Membership.objects.filter(account=account).values("chapter_id")
        allowed |= Q(chapter_id__in=chapter_ids) | Q(lawyers=account)
    return actions.filter(allowed).distinct()


def public_actions():
    return Action.objects.filter(is_public=True).select_related("chapter__region")


def get_action_for(account, pk) -> Action:
    """The one way to fetch an action: the account must be allowed to see it, or 404."""
    try:
        action = Action.objects.select_related("chapter__region").get(pk=pk_or_404(pk))
    except Action.DoesNotExist as exc:
        raise Http404 from exc
    if not can(account, "actions.view", action):
        raise Http404
    return action


def managed_chapters(account):
    """Chapters an account may plan actions for."""
    if not account.is_authenticated:
        return Chapter.objects.none()
    if account.is_admin:
        return Chapter.objects.select_related("region")
    return Chapter.objects.filter(
        memberships__account=account, memberships__role=Membership.Role.COORDINATOR
    ).select_related("region")


@dataclass(frozen=True)
class Participation:
    """One member's part in one action, as her own page shows it."""

    rsvp: bool = False
    checked_in: bool = False
    checked_out: bool = False
    detained: bool = False


def participation_of(account, action: Action) -> Participation:
    if not account.is_authenticated:
        return Participation()
    checkin = CheckIn.objects.filter(action=action, account=account).values_list("checked_out", flat=True).first()
    return Participation(
        rsvp=RSVP.objects.filter(action=action, account=account).exists(),
        checked_in=checkin is not None,
        checked_out=bool(checkin),
        detained=Detention.objects.filter(action=action, account=account).exists(),
    )


def place_for_member(action: Action, participation: Participation, *, now: dt.datetime) -> str | None:
    """The exact place, on the member's page: only for a member who said she is coming, and
    only from `reveal_hours` before the start. Coordinators see it on the management page."""
    if action.is_cancelled or not participation.rsvp or now < action.reveal_at:
        return None
    return action.place


def may_check_in(action: Action, *, now: dt.datetime) -> bool:
    opens, closes = action.day_span()
    return not action.is_cancelled and opens <= now < closes


# --- public statistics -----------------------------------------------------------------


@dataclass
class ChapterActions:
    slug: str
    name_ru: str
    name_en: str
    held: int
    detentions: int | None  # None: fewer than k


@dataclass
class ActionStats:
    k: int
    held: int
    detentions: int | None
    by_incident: dict[str, int] = field(default_factory=dict)  # actions with such an incident
    chapters: list[ChapterActions] = field(default_factory=list)


def held_actions(*, now: dt.datetime):
    """Actions that took place: ended and not cancelled, public or not (only counts leave)."""
    return Action.objects.filter(ends_at__lte=now).exclude(status=Status.CANCELLED)


def action_stats(*, now: dt.datetime, k: int | None = None) -> ActionStats:
    """Movement-wide and per-chapter counts of actions held and of people detained.

    Detentions at an action are the larger of what coordinators logged as incidents and
    how many members pressed "detained" (not everyone can). Detentions count people, so
    every cell under k is withheld, with complementary suppression against the total.
    A constant number of queries.
    """
    k = settings.K_ANONYMITY if k is None else k
    held = held_actions(now=now)
    logged = {
        row["action_id"]: row["n"]
        for row in Incident.objects.filter(action__in=held, kind=IncidentKind.DETENTIONS)
        .values("action_id")
        .annotate(n=Sum("count"))
    }
    per_chapter: dict[int, list[int]] = {}
    for pk, chapter_id, pressed in held.values_list("pk", "chapter_id", "detained_count"):
        entry = per_chapter.setdefault(chapter_id, [0, 0])
        entry[0] += 1
        entry[1] += max(pressed, logged.get(pk, 0))
    chapters = {c.pk: c for c in Chapter.objects.filter(pk__in=per_chapter).select_related("region")}
    values = {("chapter", cid): d for cid, (_n, d) in per_chapter.items()}
    values["total"] = sum(values.values())
    shown = suppress(values, [Line(cells=tuple(k_ for k_ in values if k_ != "total"), total="total")], k)
    by_incident = dict(
        Incident.objects.filter(action__in=held)
        .values("kind")
        .annotate(n=Count("action_id", distinct=True))
        .values_list("kind", "n")
    )
    rows = [
        ChapterActions(
            slug=chapters[cid].slug,
            name_ru=chapters[cid].region.name_ru,
            name_en=chapters[cid].region.name_en,
            held=n,
            detentions=shown[("chapter", cid)],
        )
        for cid, (n, _d) in per_chapter.items()
    ]
    rows.sort(key=lambda r: r.name_ru)
    return ActionStats(
        k=k,
        held=sum(n for n, _d in per_chapter.values()),
        detentions=shown["total"],
        by_incident=by_incident,
        chapters=rows,
    )
