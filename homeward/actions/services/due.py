"""What is due around an action — reminders, the reveal, check-out prompts — and the purge."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from homeward.actions.models import RSVP, Action, CheckIn, Detention, Status, checkout_prompt_hours, purge_days
from homeward.actions.services.common import (
    NOTICE_KINDS,
    REMINDER_BEFORE,
    changed,
    describe,
    local_day,
    notice_params,
    telegram_to,
)
from homeward.notices.models import Notice
from homeward.notices.services import NewNotice, notices_create

# --- what is due: reminders, the reveal, check-out prompts, the purge --------------------


def _notify_new(action: Action, kind: str, key_of, accounts, make_text) -> int:
    """Create a notice of `kind` for each account that has none yet, and message those."""
    if not accounts:
        return 0
    keys = {a.pk: key_of(a) for a in accounts}
    existing = set(Notice.objects.filter(key__in=list(keys.values())).values_list("account_id", "key"))
    new = [a for a in accounts if (a.pk, keys[a.pk]) not in existing]
    notices_create(
        notices=(NewNotice(account_id=a.pk, kind=kind, key=keys[a.pk], params=notice_params(action)) for a in new)
    )
    telegram_to(new, make_text)
    return len(new)


def action_due(*, action: Action, now: dt.datetime) -> dict:
    """Send whatever is due for an action at `now`, once: the day-before reminder and the
    reveal notice to members coming, the check-out prompt to members still checked in."""
    from homeward.accounts.models import Account

    done = {"reminders": 0, "revealed": 0, "prompts": 0}
    if action.is_cancelled or action.purged_on:
        return done
    # Keyed on the start as well: an action moved to another day reminds again.
    moment = int(action.starts_at.timestamp())
    with transaction.atomic():
        if action.reveal_at <= now < action.starts_at or action.starts_at - REMINDER_BEFORE <= now < action.starts_at:
            coming = list(Account.objects.filter(pk__in=RSVP.objects.filter(action=action).values("account_id")))
            if action.reveal_at <= now < action.starts_at:
                done["revealed"] = _notify_new(
                    action,
                    "action.revealed",
                    lambda a: f"action.revealed:{action.pk}:{moment}:{a.pk}",
                    coming,
                    lambda: (
                        _("The exact place of the action is now shown on its page: %(action)s")
                        % {"action": describe(action)}
                    ),
                )
            elif action.starts_at - REMINDER_BEFORE <= now:
                done["reminders"] = _notify_new(
                    action,
                    "action.reminder",
                    lambda a: f"action.reminder:{action.pk}:{moment}:{a.pk}",
                    coming,
                    lambda: (
                        _(
                            "Reminder: you are coming to the action %(action)s\nThe exact place will be shown on its "
                            "page %(hours)s h before the start."
                        )
                        % {"action": describe(action), "hours": action.reveal_hours}
                    ),
                )
        if action.checkout_prompt_at <= now:
            out = CheckIn.objects.filter(action=action, checked_out=False).values("account_id")
            done["prompts"] = _notify_new(
                action,
                "action.checkout_prompt",
                lambda a: f"action.checkout:{action.pk}:{a.pk}",
                list(Account.objects.filter(pk__in=out)),
                lambda: (
                    _(
                        "You checked in at the action and have not checked out. If you are safe, please check out on "
                        "its page. %(action)s"
                    )
                    % {"action": describe(action)}
                ),
            )
    return done


def actions_due(*, now: dt.datetime) -> dict:
    """The daily catch-up: everything due for actions around now, in case a task was lost."""
    totals = {"reminders": 0, "revealed": 0, "prompts": 0}
    window = (
        Action.objects.filter(purged_on__isnull=True, starts_at__gt=now, starts_at__lte=now + REMINDER_BEFORE)
        | Action.objects.filter(
            purged_on__isnull=True,
            ends_at__lte=now - dt.timedelta(hours=checkout_prompt_hours()),
            ends_at__gt=now - dt.timedelta(days=purge_days()),
            checked_in_count__gt=F("checked_out_count"),
        )
    ).exclude(status=Status.CANCELLED)
    for action in window.distinct():
        for key, n in action_due(action=action, now=now).items():
            totals[key] += n
    return totals


def actions_purge(*, now: dt.datetime) -> dict:
    """Forget who came: delete the RSVPs, check-ins and detention records of every action
    that ended `ACTION_PURGE_DAYS` ago, and the notices about those actions. The counts on
    the action remain. Idempotent: a second run finds nothing to delete."""
    cutoff = now - dt.timedelta(days=purge_days())
    due = Action.objects.filter(ends_at__lte=cutoff)
    ids = list(due.filter(purged_on__isnull=True).values_list("pk", flat=True))
    with transaction.atomic():
        rsvps, _r = RSVP.objects.filter(action__in=due).delete()
        checkins, _c = CheckIn.objects.filter(action__in=due).delete()
        detentions, _d = Detention.objects.filter(action__in=due).delete()
        notices = 0
        for start in range(0, len(ids), 500):
            deleted, _n = Notice.objects.filter(
                kind__in=NOTICE_KINDS, params__action__in=ids[start : start + 500]
            ).delete()
            notices += deleted
        Action.objects.filter(pk__in=ids).update(purged_on=local_day(now))
        if ids:
            changed()
    return {"actions": len(ids), "rsvps": rsvps, "checkins": checkins, "detentions": detentions, "notices": notices}
