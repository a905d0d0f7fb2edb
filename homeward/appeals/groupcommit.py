"""Group commit for co-signatures: the signers waiting at one moment share one statement.

At a petition's peak most requests a web process serves are co-signatures of the same
campaign. Each alone costs PostgreSQL a transaction: a parse, a row lock on the
campaign's counter, a commit record and (shared or not) a wait for the disk. With
threaded workers (gunicorn's gthread) several signers of one process are often waiting at
once; here the first to arrive becomes the *leader*: she takes every signature queued in
her process, writes them all in one statement (one multi-row INSERT, one UPDATE of each
counter by the number actually inserted, one commit, see `services._one_statement`), tells
each waiter whether her signature was new, and hands the lead to the first signer who
queued meanwhile. Nobody waits for a timer: with one signer at a time (sync workers, a
quiet campaign) every batch is that one signature.

Nothing changes for a signer: she is answered only after the statement holding her
signature has committed and its commit is on disk; a double click is one signature (the
unique constraint, and pairs deduplicated within a batch); the counter moves by exactly
the rows inserted, in the same transaction. If a batch fails as a whole (an account
deleted meanwhile, the connection lost), every signer in it signs again on her own, so one
bad row cannot cost the others their signature.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

SIGN_MANY_PG = """
WITH new AS (
    INSERT INTO appeals_signature (campaign_id, account_id, full_name, signed_on)
    SELECT %s, a, '', %s FROM unnest(%s::bigint[]) AS t(a)
    ON CONFLICT (campaign_id, account_id) DO NOTHING
    RETURNING account_id
), counted AS (
    UPDATE appeals_campaign SET signature_count = appeals_campaign.signature_count + (SELECT count(*) FROM new)
    WHERE appeals_campaign.id = %s AND EXISTS (SELECT 1 FROM new)
)
SELECT account_id FROM new
"""

#: Most signatures one statement carries (a bound on its size; the rest wait for the next).
MAX_BATCH = 500


@dataclass(eq=False)
class _Entry:
    campaign_id: int
    account_id: int
    signed_on: dt.date
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False  # set by the previous leader: this signer writes the next batch
    signed: bool | None = None  # None: the batch failed, sign alone


class GroupCommit:
    """One per process. `sign()` returns True for a new signature, False for one she had,
    None when the batch failed and the caller should sign on her own."""

    def __init__(self, write_batch):
        # write_batch(campaign_id, signed_on, [account ids]) -> set of account ids inserted
        self._write_batch = write_batch
        self._lock = threading.Lock()
        self._queue: list[_Entry] = []
        self._busy = False
        #: Batches written and signatures they carried, since the process started.
        self.batches = 0
        self.carried = 0

    def sign(self, campaign_id: int, account_id: int, signed_on: dt.date) -> bool | None:
        entry = _Entry(campaign_id, account_id, signed_on)
        with self._lock:
            self._queue.append(entry)
            lead = not self._busy
            self._busy = True
        if not lead:
            entry.done.wait()
            if not entry.lead:
                return entry.signed
        # The leader: write what is queued now (her own signature among it), then hand on.
        with self._lock:
            batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
        try:
            self._write(batch)
        finally:
            with self._lock:
                if self._queue:
                    successor = self._queue[0]
                    successor.lead = True
                    successor.done.set()
                else:
                    self._busy = False
            for other in batch:
                if other is not entry:
                    other.done.set()
        return entry.signed

    def _write(self, batch: list[_Entry]) -> None:
        # One statement per (campaign, day): each locks one counter row, so two leaders in
        # two processes never wait on each other's rows in opposite orders.
        groups: dict[tuple[int, dt.date], list[_Entry]] = {}
        for e in batch:
            groups.setdefault((e.campaign_id, e.signed_on), []).append(e)
        for (campaign_id, signed_on), entries in groups.items():
            accounts = list(dict.fromkeys(e.account_id for e in entries))
            try:
                inserted = self._write_batch(campaign_id, signed_on, accounts)
            except Exception:  # noqa: BLE001, S112 — each signer then signs alone and meets her own error
                continue  # signed stays None
            self.batches += 1
            self.carried += len(accounts)
            for e in entries:
                # A pair queued twice (a double click) is new for its first entry only.
                e.signed = e.account_id in inserted
                inserted.discard(e.account_id)
