"""Every write of the appeals app. Keyword-only, typed, each in one transaction.

Signing is the hot path (a petition's peak is thousands a minute): one INSERT of the
signature and one UPDATE of the campaign's counter with F(), in one transaction; the
unique (campaign, account) constraint makes a double click one signature. On PostgreSQL
both run as one statement (a data-modifying CTE), so the counter row is locked only
inside the server, never across a round trip to the web worker, nor during the disk
flush of the commit (see _one_statement). Signers of one web process waiting at the same
moment (threaded workers) share one such statement (groupcommit.py). The request itself
takes a short middleware chain when it can (fastsign.py).
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from homeward.appeals import deadlines, groupcommit, selectors
from homeward.appeals.models import (
    Addressee,
    Campaign,
    Channel,
    Copy,
    Filing,
    Outcome,
    Reply,
    Signature,
)
from homeward.audit.services import audit_record
from homeward.lib.versions import version_bump
from homeward.notices.models import Notice

#: Version counter of the appeals' public figures (ledger, campaign pages for visitors).
APPEALS_VERSION = "appeals"


class CampaignClosed(Exception):
    """The campaign is not open for signatures or personal copies today."""


class OutcomeConflict(Exception):
    """The outcome cannot change while a forwarded filing depends on it."""


# --- campaigns -------------------------------------------------------------------------


def _addressee_from(data: dict) -> Addressee:
    if data.get("addressee"):
        return data["addressee"]
    return Addressee.objects.create(
        official=data.get("new_official", ""),
        body=data["new_body"],
        postal_address=data.get("new_postal_address", ""),
        reception_url=data.get("new_reception_url", ""),
    )


def campaign_create(*, actor, data: dict) -> Campaign:
    """A coordinator's new campaign, for the movement or her chapter (a power: audited)."""
    with transaction.atomic():
        campaign = Campaign.objects.create(
            title=data["title"],
            summary=data["summary"],
            addressee=_addressee_from(data),
            channels=list(data["channels"]),
            template=data["template"],
            goal=data.get("goal"),
            opens_on=data["opens_on"],
            closes_on=data.get("closes_on"),
            scope=data["scope"],
            chapter=data.get("chapter"),
            created_by=actor,
        )
        audit_record(actor=actor, action="appeals.create", target=f"campaign {campaign.pk}")
        version_bump(APPEALS_VERSION)
    return campaign


EDITABLE = ("title", "summary", "channels", "template", "goal", "opens_on", "closes_on")


def campaign_update(*, actor, campaign: Campaign, data: dict) -> None:
    fields = [name for name in EDITABLE if name in data]
    for name in fields:
        setattr(campaign, name, list(data[name]) if name == "channels" else data[name])
    with transaction.atomic():
        campaign.save(update_fields=fields)
        audit_record(actor=actor, action="appeals.edit", target=f"campaign {campaign.pk}")
        version_bump(APPEALS_VERSION)


def campaign_close(*, actor, campaign: Campaign) -> None:
    with transaction.atomic():
        Campaign.objects.filter(pk=campaign.pk).update(closed=True)
        campaign.closed = True
        audit_record(actor=actor, action="appeals.close", target=f"campaign {campaign.pk}")
        version_bump(APPEALS_VERSION)


def collective_letter_signers(*, actor, campaign: Campaign) -> tuple[list[str], int]:
    """The names signers gave for the collective letter, and how many signed in all.

    The only place names leave the database; a coordinator reads them for a closed
    campaign, and the read is audited.
    """
    with transaction.atomic():
        names = sorted(
            (n for n in Signature.objects.filter(campaign=campaign).values_list("full_name", flat=True) if n),
            key=str.casefold,
        )
        total = Campaign.objects.values_list("signature_count", flat=True).get(pk=campaign.pk)
        audit_record(actor=actor, action="appeals.letter", target=f"campaign {campaign.pk}")
    return names, total


# --- signatures (the hot path) ---------------------------------------------------------

_SIGN_PG = """
WITH new AS (
    INSERT INTO appeals_signature (campaign_id, account_id, full_name, signed_on)
    VALUES (%s, %s, %s, %s)
    ON CONFLICT (campaign_id, account_id) DO NOTHING
    RETURNING campaign_id
)
UPDATE appeals_campaign SET signature_count = appeals_campaign.signature_count + 1
FROM new WHERE appeals_campaign.id = new.campaign_id
RETURNING appeals_campaign.signature_count
"""

_WITHDRAW_PG = """
WITH gone AS (
    DELETE FROM appeals_signature WHERE campaign_id = %s AND account_id = %s
    RETURNING campaign_id
)
UPDATE appeals_campaign SET signature_count = appeals_campaign.signature_count - 1
FROM gone WHERE appeals_campaign.id = gone.campaign_id
RETURNING appeals_campaign.signature_count
"""


def async_commit() -> bool:
    """APPEALS_SIGN_ASYNC_COMMIT: acknowledge signatures without waiting for the WAL flush.

    PostgreSQL then flushes within ~0.6 s: the count and the rows always agree, but a crash
    of PostgreSQL itself can lose the last fraction of a second of acknowledged signatures.
    Off by default; see _one_statement for what the default does instead.
    """
    return bool(getattr(settings, "APPEALS_SIGN_ASYNC_COMMIT", False))


#: Writes a few bytes of WAL in a transaction of its own, so that its (synchronous) commit
#: flushes the WAL up to here — the signing transaction's commit record included.
_FLUSH_PG = "SELECT pg_logical_emit_message(true, 'homeward', '')"


def _one_statement(sql: str, params: list) -> list[tuple]:
    """Run a signing statement alone in its transaction; the rows it returns (none: it did
    not change the counter).

    Every signature locks its campaign's row until its transaction ends. Committed the
    usual way, the transaction ends only once its commit is flushed to disk, so signers of
    one campaign queue behind one another's disk flushes (a few hundred a second when the
    disk is busy). Here, on PostgreSQL and outside any outer transaction, one round trip:

        BEGIN; SET LOCAL synchronous_commit TO OFF; <statement>; COMMIT; <_FLUSH_PG>

    The commit releases the row at once; the next statement's own synchronous commit then
    waits for the flush of the WAL up to its position, which includes the signature. So
    the answer still comes back only once the signature is on disk (a crash can never lose
    an acknowledged signature), and concurrent signers share their flushes. Readers may see
    the new count a fraction of a millisecond before it is durable.

    With APPEALS_SIGN_ASYNC_COMMIT the flush is not waited for at all. Inside an outer
    transaction (deleting an account) the statement simply runs in it.
    """
    with connection.cursor() as cursor:
        if connection.in_atomic_block or not isinstance(cursor.cursor, psycopg.ClientCursor):
            cursor.execute(sql, params)
            return cursor.fetchall()
        if async_commit():
            # SET LOCAL and the statement form one implicit transaction.
            cursor.execute("SET LOCAL synchronous_commit TO OFF;" + sql, params)
            cursor.nextset()
            return cursor.fetchall()
        try:
            cursor.execute(f"BEGIN; SET LOCAL synchronous_commit TO OFF; {sql}; COMMIT; {_FLUSH_PG}", params)
        except Exception:
            # An error inside BEGIN ... COMMIT leaves the session in the failed transaction.
            raw = connection.connection
            if raw is not None and raw.info.transaction_status == psycopg.pq.TransactionStatus.INERROR:
                raw.execute("ROLLBACK")
            raise
        cursor.nextset()  # SET
        cursor.nextset()  # the statement
        return cursor.fetchall()


def _sign_many(campaign_id: int, signed_on: dt.date, account_ids: list[int]) -> set[int]:
    """Co-sign for several accounts in one statement; the ids whose signature is new."""
    rows = _one_statement(groupcommit.SIGN_MANY_PG, [campaign_id, signed_on, account_ids, campaign_id])
    return {row[0] for row in rows}


#: The signers of this process waiting at one moment share one statement (groupcommit.py).
_GROUP_COMMIT = groupcommit.GroupCommit(_sign_many)


@dataclass(frozen=True)
class SignResult:
    signed: bool  # False: she had signed already (a double click, another tab)


def signature_sign(*, campaign: Campaign, account, full_name: str = "", today: dt.date) -> SignResult:
    """Co-sign the collective letter: once per account, whatever the number of clicks.

    A second click with a name adds (or changes) the name on her signature.
    """
    if not campaign.is_open(today):
        raise CampaignClosed
    sealed_name = Signature._meta.get_field("full_name").get_prep_value(full_name) if full_name else ""
    if connection.vendor == "postgresql":
        signed = None
        if not full_name and not connection.in_atomic_block:
            signed = _GROUP_COMMIT.sign(campaign.pk, account.pk, today)
        if signed is None:  # a name to seal, an outer transaction, or a batch that failed
            signed = bool(_one_statement(_SIGN_PG, [campaign.pk, account.pk, sealed_name, today]))
    else:
        try:
            with transaction.atomic():
                Signature.objects.create(campaign_id=campaign.pk, account_id=account.pk, full_name=full_name)
                Campaign.objects.filter(pk=campaign.pk).update(signature_count=F("signature_count") + 1)
            signed = True
        except IntegrityError:
            signed = False
    if not signed and full_name:
        Signature.objects.filter(campaign_id=campaign.pk, account_id=account.pk).update(full_name=full_name)
    return SignResult(signed=signed)


def signature_withdraw(*, campaign_id: int, account_id: int) -> bool:
    """Withdraw her signature: the count goes down once, however many times she clicks."""
    if connection.vendor == "postgresql":
        return bool(_one_statement(_WITHDRAW_PG, [campaign_id, account_id]))
    with transaction.atomic():
        deleted, _ = Signature.objects.filter(campaign_id=campaign_id, account_id=account_id).delete()
        if deleted:
            Campaign.objects.filter(pk=campaign_id).update(signature_count=F("signature_count") - 1)
    return bool(deleted)


def signature_counts_reconcile() -> dict[int, tuple[int, int]]:
    """Repair any counter that drifted from its rows (e.g. a signer's account deleted
    without `appeals_forget_account`). Locks each campaign row, then counts with a fresh
    snapshot, so concurrent signers are neither missed nor counted twice. Returns the
    campaigns fixed: {id: (was, now)}."""
    fixed = {}
    for pk in Campaign.objects.values_list("pk", flat=True):
        with transaction.atomic():
            was = Campaign.objects.select_for_update().values_list("signature_count", flat=True).get(pk=pk)
            now = Signature.objects.filter(campaign_id=pk).count()
            if was != now:
                Campaign.objects.filter(pk=pk).update(signature_count=now)
                fixed[pk] = (was, now)
    return fixed


def appeals_forget_account(*, account) -> None:
    """Before an account is deleted: withdraw its signatures so every count stays exact
    (the rows would go by cascade, but a cascade does not decrement counters)."""
    for campaign_id in list(Signature.objects.filter(account=account).values_list("campaign_id", flat=True)):
        signature_withdraw(campaign_id=campaign_id, account_id=account.pk)
    with transaction.atomic():
        Filing.objects.filter(owner=account, forwarded_from__isnull=False).delete()
        Filing.objects.filter(owner=account).delete()
        Copy.objects.filter(account=account).delete()
        version_bump(APPEALS_VERSION)


# --- personal copies -------------------------------------------------------------------


def copy_record(*, campaign: Campaign, account, today: dt.date) -> bool:
    """Count her first personal copy of this campaign (the funnel's second step)."""
    try:
        with transaction.atomic():
            Copy.objects.create(campaign=campaign, account=account, made_on=today)
            version_bump(APPEALS_VERSION)
    except IntegrityError:
        return False
    return True


# --- filings ---------------------------------------------------------------------------


def _refresh_due(filing: Filing, *, calendar: deadlines.WorkCalendar, today: dt.date) -> None:
    filing.answer_due = selectors.deadlines_of(filing, calendar=calendar).final.due
    if filing.outcome == Outcome.NO_ANSWER and filing.answer_due >= today:
        filing.outcome = Outcome.PENDING  # a recorded extension or registration moved the date


def filing_create(*, owner, campaign: Campaign, data: dict, calendar: deadlines.WorkCalendar, today: dt.date) -> Filing:
    """Record a filing she made through the official channel (nothing is sent from here)."""
    filing = Filing(
        owner=owner,
        campaign=campaign,
        addressee=campaign.addressee,
        channel=data["channel"],
        sent_on=data["sent_on"],
        received_on=data.get("received_on"),
        registration_number=data.get("registration_number", ""),
        registered_on=data.get("registered_on"),
    )
    _refresh_due(filing, calendar=calendar, today=today)
    with transaction.atomic():
        filing.save()
        version_bump(APPEALS_VERSION)
    return filing


FILING_FIELDS = ("sent_on", "received_on", "registration_number", "registered_on")


def filing_update(*, filing: Filing, data: dict, calendar: deadlines.WorkCalendar, today: dt.date) -> None:
    fields = [name for name in FILING_FIELDS if name in data]
    if "channel" in data and filing.channel != Channel.FORWARDED:
        fields.append("channel")
    for name in fields:
        setattr(filing, name, data[name])
    _refresh_due(filing, calendar=calendar, today=today)
    with transaction.atomic():
        filing.save(update_fields=[*fields, "answer_due", "outcome"])
        version_bump(APPEALS_VERSION)


def filing_extension(
    *, filing: Filing, notified_on: dt.date | None, days: int | None, calendar: deadlines.WorkCalendar, today: dt.date
) -> None:
    """Record (or, with None, remove) the body's notice extending the answer period (art. 12 part 2)."""
    filing.extension_notified_on = notified_on
    filing.extension_days = days if notified_on else None
    _refresh_due(filing, calendar=calendar, today=today)
    with transaction.atomic():
        filing.save(update_fields=["extension_notified_on", "extension_days", "answer_due", "outcome"])
        version_bump(APPEALS_VERSION)


def filing_outcome(
    *,
    filing: Filing,
    outcome: str,
    on: dt.date,
    forwarded_to: Addressee | None = None,
    forwarded_to_name: str = "",
    calendar: deadlines.WorkCalendar,
    today: dt.date,
) -> Filing | None:
    """Record what came back. "Forwarded" creates a linked filing to the new body, with its
    own deadlines counted from the day it was forwarded. Returns that filing, if any."""
    child = selectors.forwarded_child(filing)
    if child is not None and outcome != Outcome.FORWARDED:
        raise OutcomeConflict
    with transaction.atomic():
        filing.outcome = outcome
        filing.answered_on = on
        filing.save(update_fields=["outcome", "answered_on"])
        if outcome == Outcome.FORWARDED:
            if child is None:
                child = Filing(
                    owner_id=filing.owner_id,
                    campaign_id=filing.campaign_id,
                    forwarded_from=filing,
                    channel=Channel.FORWARDED,
                )
            child.addressee = forwarded_to
            child.addressee_name = "" if forwarded_to else forwarded_to_name
            child.sent_on = on
            _refresh_due(child, calendar=calendar, today=today)
            child.save()
        version_bump(APPEALS_VERSION)
    return child if outcome == Outcome.FORWARDED else None


def filing_outcome_clear(*, filing: Filing, calendar: deadlines.WorkCalendar, today: dt.date) -> None:
    """Back to "waiting for an answer" (a mistaken entry); not while a forwarded filing depends on it."""
    if selectors.forwarded_child(filing) is not None:
        raise OutcomeConflict
    filing.outcome = Outcome.PENDING
    filing.answered_on = None
    _refresh_due(filing, calendar=calendar, today=today)
    if filing.answer_due < today:
        filing.outcome = Outcome.NO_ANSWER
    with transaction.atomic():
        filing.save(update_fields=["outcome", "answered_on", "answer_due"])
        version_bump(APPEALS_VERSION)


def filings_refresh_dues(*, today: dt.date) -> int:
    """Recompute the answer's due date of every filing still waiting, after the working-day
    calendar changed (an admin added a transfer). Returns how many changed."""
    calendar = selectors.work_calendar()
    changed = []
    waiting = Filing.objects.filter(outcome__in=[Outcome.PENDING, Outcome.NO_ANSWER]).order_by("pk")
    for filing in waiting.iterator(chunk_size=2000):
        before = (filing.answer_due, filing.outcome)
        _refresh_due(filing, calendar=calendar, today=today)
        if filing.outcome == Outcome.PENDING and filing.answer_due < today:
            filing.outcome = Outcome.NO_ANSWER
        if (filing.answer_due, filing.outcome) != before:
            changed.append(filing)
    with transaction.atomic():
        Filing.objects.bulk_update(changed, ["answer_due", "outcome"], batch_size=1000)
        if changed:
            version_bump(APPEALS_VERSION)
    return len(changed)


def _notices_about(filing_ids: list[int]):
    return Notice.objects.filter(params__filing__in=filing_ids)


def filing_delete(*, filing: Filing) -> None:
    """Delete the filing, the filings forwarded from it, their replies and the notices about them."""
    ids = [filing.pk]
    child = selectors.forwarded_child(filing)
    while child is not None:
        ids.append(child.pk)
        child = selectors.forwarded_child(child)
    with transaction.atomic():
        _notices_about(ids).filter(account_id=filing.owner_id).delete()
        Filing.objects.filter(pk__in=ids[::-1]).delete()
        version_bump(APPEALS_VERSION)


# --- replies ---------------------------------------------------------------------------


def reply_attach(*, filing: Filing, name: str, content: bytes, content_type: str, today: dt.date) -> Reply:
    """Keep the body's reply, encrypted; a new upload replaces the old one."""
    with transaction.atomic():
        Reply.objects.filter(filing=filing).delete()
        return Reply.objects.create(
            filing=filing,
            name=name[:200],
            content=base64.b64encode(content).decode("ascii"),
            content_type=content_type,
            size=len(content),
            uploaded_on=today,
        )


def reply_content(reply: Reply) -> bytes:
    return base64.b64decode(reply.content)


def reply_remove(*, filing: Filing) -> bool:
    deleted, _ = Reply.objects.filter(filing=filing).delete()
    return bool(deleted)
