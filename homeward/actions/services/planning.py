"""Planning and managing actions: coordinators' and admins' writes, each audited."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from homeward.actions.models import RSVP, Action, CheckIn, Incident, NoticeState, Status
from homeward.actions.services.common import (
    audit,
    changed,
    describe,
    initial_notice_state,
    local_day,
    notice_params,
    schedule,
    telegram_to,
)
from homeward.notices.services import NewNotice, notices_create

# --- planning (coordinators) -------------------------------------------------------------


def action_create(*, actor, data: dict, lawyers: list, now: dt.datetime) -> Action:
    """Plan an action. The notice starts as "to be filed" for kinds that need or advise one."""
    with transaction.atomic():
        action = Action(
            created_by=actor,
            created_on=local_day(now),
            notice_state=initial_notice_state(data["kind"]),
            **data,
        )
        action.save()
        action.lawyers.set(lawyers)
        audit(actor, "actions.create", action.pk)
        changed(stats=True)
        schedule(action)
    return action


def action_update(*, actor, action: Action, data: dict, lawyers: list) -> None:
    """Change an action. A new kind resets a notice that no longer applies; a cancellation
    tells the members who were coming."""
    was_cancelled = action.is_cancelled
    kind_changed = data.get("kind", action.kind) != action.kind
    for name, value in data.items():
        setattr(action, name, value)
    fields = list(data)
    if kind_changed and action.notice_state in {NoticeState.NOT_NEEDED, NoticeState.TO_FILE}:
        action.notice_state = initial_notice_state(action.kind)
        fields.append("notice_state")
    with transaction.atomic():
        action.save(update_fields=fields)
        action.lawyers.set(lawyers)
        audit(actor, "actions.update", action.pk)
        if action.is_cancelled and not was_cancelled:
            _tell_cancelled(action)
        changed(stats=True)
        schedule(action)


def action_cancel(*, actor, action: Action) -> bool:
    """Cancel an action and tell the members who were coming. False if it was cancelled already."""
    with transaction.atomic():
        updated = Action.objects.filter(pk=action.pk).exclude(status=Status.CANCELLED).update(status=Status.CANCELLED)
        if not updated:
            return False
        action.status = Status.CANCELLED
        audit(actor, "actions.cancel", action.pk)
        _tell_cancelled(action)
        changed(stats=True)
    return True


def _tell_cancelled(action: Action) -> None:
    from homeward.accounts.models import Account

    coming = list(Account.objects.filter(pk__in=RSVP.objects.filter(action=action).values("account_id")))
    notices_create(
        notices=(
            NewNotice(
                account_id=a.pk,
                kind="action.cancelled",
                key=f"action.cancelled:{action.pk}:{a.pk}",
                params=notice_params(action),
            )
            for a in coming
        )
    )
    telegram_to(
        coming, lambda: _("The action you were coming to is cancelled: %(action)s") % {"action": describe(action)}
    )


def action_notice_update(
    *, actor, action: Action, state: str, filed_on: dt.date | None, reason: str, counter_proposal: str
) -> None:
    """Record where the notice to the authorities stands."""
    action.notice_state = state
    action.notice_filed_on = filed_on
    action.notice_refusal_reason = reason if state == NoticeState.REFUSED else ""
    action.notice_counter_proposal = counter_proposal if state == NoticeState.COUNTER_PROPOSAL else ""
    with transaction.atomic():
        action.save(
            update_fields=["notice_state", "notice_filed_on", "notice_refusal_reason", "notice_counter_proposal"]
        )
        audit(actor, "actions.notice", action.pk)


def incident_log(*, actor, action: Action, kind: str, count: int, note: str, on: dt.date) -> Incident:
    """Log an incident, without names. It feeds the public statistics."""
    with transaction.atomic():
        incident = Incident.objects.create(action=action, kind=kind, count=count, note=note, on=on)
        audit(actor, "actions.incident", action.pk)
        changed(stats=True)
    return incident


def incident_delete(*, actor, incident: Incident) -> None:
    with transaction.atomic():
        audit(actor, "actions.incident_delete", incident.action_id)
        incident.delete()
        changed(stats=True)


def action_ask_not_checked_out(*, actor, action: Action) -> int:
    """Ask every member who checked in and has not checked out whether she is safe: a notice
    (and a Telegram message) to each, without the coordinator learning who they are.
    Returns how many were asked."""
    from homeward.accounts.models import Account

    with transaction.atomic():
        Action.objects.filter(pk=action.pk).update(safety_asks=F("safety_asks") + 1)
        action.refresh_from_db(fields=["safety_asks"])
        ids = CheckIn.objects.filter(action=action, checked_out=False).values("account_id")
        asked = list(Account.objects.filter(pk__in=ids))
        notices_create(
            notices=(
                NewNotice(
                    account_id=a.pk,
                    kind="action.safety_ask",
                    key=f"action.ask:{action.pk}:{action.safety_asks}:{a.pk}",
                    params=notice_params(action),
                )
                for a in asked
            )
        )
        telegram_to(
            asked,
            lambda: (
                _(
                    "The coordinators ask whether you are safe: you checked in at the action and have not checked "
                    "out. If you are safe, please check out on its page; if you were detained, press "
                    "“I have been detained”. %(action)s"
                )
                % {"action": describe(action)}
            ),
        )
        audit(actor, "actions.safety_ask", action.pk)
    return len(asked)
