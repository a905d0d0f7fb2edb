"""What the services share: counters of versions, audit, notice parameters, messages, scheduling."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from homeward.actions.models import Action, NoticeState
from homeward.actions.notice import RULES, Requirement
from homeward.audit.services import audit_record
from homeward.lib.versions import PUBLIC_STATS, version_bump

ACTIONS_VERSION = "actions"
#: The day-before reminder goes this long before the start.
REMINDER_BEFORE = dt.timedelta(hours=24)
#: Notice kinds this app creates (rendered by actions/_notice.html).
NOTICE_KINDS = (
    "action.detained",
    "action.reminder",
    "action.revealed",
    "action.checkout_prompt",
    "action.safety_ask",
    "action.cancelled",
)


class ParticipationError(Exception):
    """A member's step that cannot be taken now; `message` says why, in her language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def changed(*, stats: bool = False) -> None:
    version_bump(ACTIONS_VERSION)
    if stats:
        version_bump(PUBLIC_STATS)


def audit(actor, what: str, action_id: int) -> None:
    """Coordinators' and admins' uses of their powers are audited (PRIVACY.md rule 9)."""
    if actor is not None:
        audit_record(actor=actor, action=what, target=f"action:{action_id}")


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def notice_params(action: Action, **extra) -> dict:
    """What a notice about an action carries: its id and public date and time, never the place."""
    start = timezone.localtime(action.starts_at)
    return {"action": action.pk, "on": start.date().isoformat(), "at": start.strftime("%H:%M"), **extra}


def action_url(action: Action) -> str:
    base = getattr(settings, "HOMEWARD_PUBLIC_URL", "").rstrip("/")
    return base + reverse("actions:detail", args=[action.pk]) if base else ""


def telegram_to(accounts, make_text) -> int:
    """Queue a Telegram message to each account that linked a chat, in her own language."""
    from homeward.telegram.services import notify

    sent = 0
    for account in accounts:
        with translation.override(getattr(account, "language", None) or settings.LANGUAGE_CODE):
            text = make_text()
        sent += bool(notify(account=account, text=text))
    return sent


def describe(action: Action) -> str:
    """The public description of an action for a message: title, city, date and time."""
    start = timezone.localtime(action.starts_at)
    text = _("«%(title)s», %(city)s, %(date)s %(time)s") % {
        "title": action.title,
        "city": action.city,
        "date": start.strftime("%d.%m.%Y"),
        "time": start.strftime("%H:%M"),
    }
    url = action_url(action)
    return f"{text}\n{url}" if url else text


def schedule(action: Action) -> None:
    """After commit: wake `action_due` at each moment something is due (reminder, reveal,
    check-out prompt). A task woken for an old time finds nothing due; the daily job catches
    up on any task that was lost."""
    from homeward.actions.tasks import action_due

    moments = {action.starts_at - REMINDER_BEFORE, action.reveal_at, action.checkout_prompt_at}
    pk = action.pk

    def enqueue():
        for moment in sorted(moments):
            action_due.using(run_after=moment).enqueue(pk)

    transaction.on_commit(enqueue)


def initial_notice_state(kind: str) -> str:
    requirement = RULES[kind][0]
    return NoticeState.NOT_NEEDED if requirement == Requirement.NONE else NoticeState.TO_FILE
