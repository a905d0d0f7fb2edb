"""Taking part: "I'll come", check-in and check-out, and the "I have been detained" alarm."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from homeward.actions.models import RSVP, Action, CheckIn, Detention, Status
from homeward.actions.services.common import ParticipationError, changed, describe, notice_params, telegram_to
from homeward.notices.models import Notice
from homeward.notices.services import NewNotice, notices_create

# --- taking part (members) ---------------------------------------------------------------


def action_rsvp(*, action: Action, account, coming: bool, now: dt.datetime) -> bool:
    """Say "I'll come", or take it back. Returns True when something changed.

    The counter moves only when a row was really inserted or deleted, so a double click
    or two tabs cannot count anyone twice.
    """
    if coming and (action.is_cancelled or action.has_ended(now)):
        raise ParticipationError(_("This action is over or cancelled."))
    with transaction.atomic():
        if coming:
            try:
                with transaction.atomic():
                    RSVP.objects.create(action=action, account=account)
            except IntegrityError:
                return False
            Action.objects.filter(pk=action.pk).update(rsvp_count=F("rsvp_count") + 1)
            return True
        if CheckIn.objects.filter(action=action, account=account).exists():
            raise ParticipationError(_("You have checked in at this action; check out instead."))
        deleted, _rows = RSVP.objects.filter(action=action, account=account).delete()
        if not deleted:
            return False
        Action.objects.filter(pk=action.pk).update(rsvp_count=F("rsvp_count") - 1)
        Notice.objects.filter(account=account, kind__startswith="action.", params__action=action.pk).delete()
        return True


def action_check_in(*, action: Action, account, now: dt.datetime) -> bool:
    """«Я на месте»: on the day of the action, for a member who said she is coming."""
    from homeward.actions.selectors import may_check_in

    if not may_check_in(action, now=now):
        raise ParticipationError(_("Check-in is open on the day of the action only."))
    with transaction.atomic():
        if not RSVP.objects.filter(action=action, account=account).exists():
            raise ParticipationError(_("First say that you are coming."))
        try:
            with transaction.atomic():
                CheckIn.objects.create(action=action, account=account)
        except IntegrityError:
            return False
        Action.objects.filter(pk=action.pk).update(checked_in_count=F("checked_in_count") + 1)
    return True


def action_check_out(*, action: Action, account) -> bool:
    """«Я ушла, всё в порядке». Returns False when she was not checked in or already out."""
    with transaction.atomic():
        updated = CheckIn.objects.filter(action=action, account=account, checked_out=False).update(checked_out=True)
        if not updated:
            return False
        Action.objects.filter(pk=action.pk).update(checked_out_count=F("checked_out_count") + 1)
        # The prompts to check out are answered: forget them.
        Notice.objects.filter(
            account=account, kind__in=["action.checkout_prompt", "action.safety_ask"], params__action=action.pk
        ).delete()
    return True


def action_detained(*, action: Action, account) -> bool:
    """«Меня задержали». Records the detention and, on the first press only, alerts the
    chapter's coordinators and the action's lawyer accounts in-app and through Telegram.

    Idempotent: the Detention row is unique per member and action, and everything the alarm
    sends is written in the same transaction as that row. Returns True on the first press.
    """
    if not CheckIn.objects.filter(action=action, account=account).exists():
        raise ParticipationError(_("Check in at the action first."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                Detention.objects.create(action=action, account=account)
        except IntegrityError:
            return False
        Action.objects.filter(pk=action.pk).update(detained_count=F("detained_count") + 1)
        action.refresh_from_db(fields=["detained_count"])
        recipients = [r for r in alarm_recipients(action) if r.pk != account.pk]
        notices_create(
            notices=(
                NewNotice(
                    account_id=r.pk,
                    kind="action.detained",
                    key=f"action.detained:{action.pk}:{action.detained_count}:{r.pk}",
                    params=notice_params(action, count=action.detained_count),
                )
                for r in recipients
            )
        )
        telegram_to(
            recipients,
            lambda: (
                _("ALARM: a member has been detained at the action %(action)s\nDetentions reported so far: %(count)s.")
                % {"action": describe(action), "count": action.detained_count}
            ),
        )
        changed(stats=True)
    return True


def alarm_recipients(action: Action) -> list:
    """The chapter's coordinators and the action's lawyer accounts, each once."""
    from django.db.models import Q

    from homeward.accounts.models import Account
    from homeward.chapters.models import Membership

    coordinators = Membership.objects.filter(chapter=action.chapter, role=Membership.Role.COORDINATOR).values(
        "account_id"
    )
    return list(
        Account.objects.filter(Q(pk__in=coordinators) | Q(lawyer_for_actions=action), is_active=True)
        .distinct()
        .order_by("pk")
    )


class TelegramDetained(enum.Enum):
    RECORDED = "recorded"  # the alarm went out
    ALREADY = "already"  # recorded before; nothing sent again
    NO_ACTION = "no_action"  # no action she checked in at today


@dataclass(frozen=True)
class TelegramDetainedResult:
    outcome: TelegramDetained
    action: Action | None = None


def detained_from_telegram(account, *, now: dt.datetime | None = None) -> TelegramDetainedResult:
    """The bot's /detained: record a detention at the action the account checked in at today.

    "Today" is the action's day (see `Action.day_span`); when she checked in at more than
    one, the one that started last. The bot replies according to `outcome`.
    """
    now = now or timezone.now()
    candidates = (
        Action.objects.filter(checkins__account=account, purged_on__isnull=True)
        .exclude(status=Status.CANCELLED)
        .filter(starts_at__lte=now + dt.timedelta(hours=3), ends_at__gte=now - dt.timedelta(hours=30))
        .select_related("chapter")
        .order_by("-starts_at")
    )
    for action in candidates:
        opens, closes = action.day_span()
        if opens <= now < closes:
            recorded = action_detained(action=action, account=account)
            return TelegramDetainedResult(TelegramDetained.RECORDED if recorded else TelegramDetained.ALREADY, action)
    return TelegramDetainedResult(TelegramDetained.NO_ACTION)
