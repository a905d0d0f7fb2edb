"""Writes to actions. Every one in a transaction; counts move with F(), never by recounting.

Alerts go out in the same transaction as their cause: in-app notices and, for accounts
that linked Telegram, an outbox entry (`homeward.telegram.services.notify`), so an alarm
is sent exactly when it is recorded, once.
"""

from homeward.actions.services.common import (
    ACTIONS_VERSION,
    NOTICE_KINDS,
    REMINDER_BEFORE,
    ParticipationError,
    initial_notice_state,
)
from homeward.actions.services.due import action_due, actions_due, actions_purge
from homeward.actions.services.planning import (
    action_ask_not_checked_out,
    action_cancel,
    action_create,
    action_notice_update,
    action_update,
    incident_delete,
    incident_log,
)
from homeward.actions.services.taking_part import (
    TelegramDetained,
    TelegramDetainedResult,
    action_check_in,
    action_check_out,
    action_detained,
    action_rsvp,
    alarm_recipients,
    detained_from_telegram,
)

__all__ = [
    "ACTIONS_VERSION",
    "NOTICE_KINDS",
    "REMINDER_BEFORE",
    "ParticipationError",
    "TelegramDetained",
    "TelegramDetainedResult",
    "action_ask_not_checked_out",
    "action_cancel",
    "action_check_in",
    "action_check_out",
    "action_create",
    "action_detained",
    "action_due",
    "action_notice_update",
    "action_rsvp",
    "action_update",
    "actions_due",
    "actions_purge",
    "alarm_recipients",
    "detained_from_telegram",
    "incident_delete",
    "incident_log",
    "initial_notice_state",
]
