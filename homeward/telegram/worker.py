"""The outbox worker: delivers OutboxEntry rows to Telegram, each exactly once.

How "exactly once" holds across a crash:

* An entry is sent as parts (render.Step: a photo, an album, a text message). After
  Telegram accepts a part, its message id(s) and ``parts_sent`` are committed in a
  transaction of their own, before the next part is sent.
* Only when every part is recorded are the ChannelMessage row (where the post went)
  and the acknowledgement (state DELIVERED, delivered_at) committed, together, in a
  separate transaction.
* A worker restarted after a crash resumes an entry after its last recorded part.
  The only window left is between Telegram accepting a part and the commit of its id
  (a crash there resends that one part): no protocol can close it, since Telegram's
  Bot API takes no idempotency key.

Order: entries are taken in id order, and never while an older PENDING entry of the
same post exists, so a post's send, edits and deletion reach Telegram in the order
they were made. A FAILED (given up) entry does not block later ones: its partial
messages are recorded in ChannelMessage, so a later edit or deletion cleans up.

Errors: a 429 (TelegramRetryAfter) waits ``retry_after`` seconds and does not count as
a failure. Network errors, timeouts and other refusals back off exponentially (5 s,
10 s, 20 s … capped at an hour); after 20 failed attempts the entry is FAILED.
``last_error`` holds a short code (``timeout``, ``network``, ``server_error``,
``bad_request`` …), never a message text or a chat id.

Notifications (NOTIFY) carry ``{"chat_id", "text"}`` as JSON in the encrypted payload;
the text is plain (it is escaped here). On delivery, or when given up, the payload and
message ids are blanked: the outbox forgets who was told what.

Test-only failpoint: with the environment variable ``HOMEWARD_TELEGRAM_FAILPOINT`` set
to ``after_send_record`` the process calls ``os._exit(3)`` right after committing a
part's message id and before anything else, i.e. between the send and the
acknowledgement, the crash the exactly-once test simulates. Never set it in
production.

Run one worker: ``manage.py telegram_outbox`` (``--once`` drains what is due and exits).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import time
from collections.abc import Callable
from html import escape
from pathlib import PurePath

from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from homeward.telegram import client
from homeward.telegram.models import ChannelMessage, OutboxEntry
from homeward.telegram.render import TEXT_LIMIT, Step, post_steps, split_telegram_html

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 20
BACKOFF_FIRST = 5  # seconds
BACKOFF_CAP = 3600
BATCH = 50
FAILPOINT_ENV = "HOMEWARD_TELEGRAM_FAILPOINT"
POST_KINDS = [OutboxEntry.Kind.POST_SEND, OutboxEntry.Kind.POST_EDIT, OutboxEntry.Kind.POST_DELETE]


class Superseded(Exception):
    """The entry changed under us (another worker?): stop touching it."""


# --- choosing what to deliver ---------------------------------------------------------


def due_entries(*, now: dt.datetime):
    """PENDING entries whose time has come, oldest first, none waiting behind its post's older entry."""
    older_of_same_post = OutboxEntry.objects.filter(
        state=OutboxEntry.State.PENDING, post_key=OuterRef("post_key"), id__lt=OuterRef("id")
    )
    entries = OutboxEntry.objects.filter(state=OutboxEntry.State.PENDING, next_attempt_at__lte=now).exclude(
        Exists(older_of_same_post)
    )
    if not settings.TELEGRAM_CHANNEL_ID:
        entries = entries.exclude(kind__in=POST_KINDS)
    return entries.order_by("id")


def run_once(*, now: dt.datetime | None = None, skip: set[int] | None = None) -> list[int]:
    """Try every entry due at ``now`` once; the ids tried."""
    now = now or timezone.now()
    due = due_entries(now=now)
    if skip:
        due = due.exclude(pk__in=skip)
    ids = list(due.values_list("id", flat=True)[:BATCH])
    for entry_id in ids:
        process(entry_id, now=now)
    return ids


def drain(*, clock: Callable[[], dt.datetime] = timezone.now) -> int:
    """Deliver until nothing is due (each entry tried at most once); how many were tried.

    An entry that becomes due because its post's older entry was just delivered is
    taken in the next round.
    """
    tried: set[int] = set()
    while True:
        ids = run_once(now=clock(), skip=tried)
        if not ids:
            return len(tried)
        tried.update(ids)


def refresh_connections() -> None:
    """What Django does around a request: drop database connections that aged or broke.

    A connection inside a transaction is left alone (closing it would lose the transaction).
    """
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def run_forever(*, should_stop: Callable[[], bool], idle_seconds: float = 2.0) -> None:
    """The long-running worker: deliver what is due, sleep a little, repeat."""
    while not should_stop():
        refresh_connections()
        tried = run_once()
        if not tried:
            time.sleep(idle_seconds)
    client.close()


# --- one entry ------------------------------------------------------------------------


def process(entry_id: int, *, now: dt.datetime) -> str:
    """Deliver one entry or schedule its next attempt; the outcome (a short code)."""
    entry = OutboxEntry.objects.filter(pk=entry_id, state=OutboxEntry.State.PENDING).first()
    if entry is None:
        return "gone"
    try:
        DELIVER[entry.kind](entry, now)
    except Superseded:
        return "superseded"
    except TelegramRetryAfter as exc:
        OutboxEntry.objects.filter(pk=entry.pk).update(
            next_attempt_at=now + dt.timedelta(seconds=max(int(exc.retry_after), 1)), last_error="retry_after"
        )
        log.info("outbox %s: Telegram asks to wait %ss", entry.pk, exc.retry_after)
        return "retry_after"
    except Exception as exc:  # noqa: BLE001 — one bad entry must never stop the worker
        code, final = classify(exc, kind=entry.kind)
        _failed_attempt(entry, code=code, final=final, now=now)
        return code
    log.info("outbox %s (%s) delivered", entry.pk, entry.kind)
    return "delivered"


def classify(exc: Exception, *, kind: str) -> tuple[str, bool]:
    """A short, people-free code for an error, and whether retrying is pointless."""
    personal = kind == OutboxEntry.Kind.NOTIFY
    if isinstance(exc, TelegramEntityTooLarge):
        return "too_large", True
    if isinstance(exc, TelegramNetworkError):
        return ("timeout" if "timeout" in exc.message.lower() else "network"), False
    if isinstance(exc, TelegramServerError):
        return "server_error", False
    if isinstance(exc, TelegramUnauthorizedError):
        return "unauthorized", False  # a wrong token: the operator can fix it, keep trying
    if isinstance(exc, TelegramForbiddenError):
        return "forbidden", personal  # the member blocked the bot; for the channel, fixable
    if isinstance(exc, TelegramNotFound):
        return "not_found", personal
    if isinstance(exc, TelegramMigrateToChat):
        return "migrated", False
    if isinstance(exc, TelegramBadRequest):
        return "bad_request", personal
    if isinstance(exc, TelegramAPIError):
        return "api_error", False
    if isinstance(exc, ClientDecodeError):
        return "bad_response", False
    if isinstance(exc, FileNotFoundError):
        return "media_missing", False
    log.error("outbox: unexpected %s", type(exc).__name__)
    return f"internal:{type(exc).__name__}"[:60], False


def backoff(attempts: int) -> dt.timedelta:
    """Wait before attempt number attempts + 1: 5 s, 10 s, 20 s … at most an hour."""
    return dt.timedelta(seconds=min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** max(attempts - 1, 0)))


def _failed_attempt(entry: OutboxEntry, *, code: str, final: bool, now: dt.datetime) -> None:
    attempts = entry.attempts + 1
    if not final and attempts < MAX_ATTEMPTS:
        OutboxEntry.objects.filter(pk=entry.pk).update(
            attempts=attempts, next_attempt_at=now + backoff(attempts), last_error=code
        )
        log.warning("outbox %s: attempt %s failed (%s)", entry.pk, attempts, code)
        return
    with transaction.atomic():
        changes = {"state": OutboxEntry.State.FAILED, "attempts": attempts, "last_error": code}
        if entry.kind == OutboxEntry.Kind.NOTIFY:
            changes.update(payload="", message_ids=[], layout=[])
        elif entry.message_ids:
            # What did go out stays findable, so a later edit or deletion can reach it.
            _record_channel_message(entry)
        OutboxEntry.objects.filter(pk=entry.pk).update(**changes)
    log.error("outbox %s: given up after %s attempts (%s)", entry.pk, attempts, code)


# --- recording progress ---------------------------------------------------------------


def _failpoint(name: str) -> None:
    if os.environ.get(FAILPOINT_ENV) == name:
        os._exit(3)


def _record_part(entry: OutboxEntry, step: Step, ids: list[int]) -> None:
    """Commit one accepted part (its own transaction) before anything else happens."""
    item = {**step.shape(), "ids": ids, "digest": step.digest}
    with transaction.atomic():
        updated = OutboxEntry.objects.filter(
            pk=entry.pk, state=OutboxEntry.State.PENDING, parts_sent=entry.parts_sent
        ).update(
            parts_sent=F("parts_sent") + 1,
            message_ids=[*entry.message_ids, *ids],
            layout=[*entry.layout, item],
        )
    if updated != 1:
        raise Superseded
    entry.parts_sent += 1
    entry.message_ids = [*entry.message_ids, *ids]
    entry.layout = [*entry.layout, item]
    _failpoint("after_send_record")


def _record_channel_message(entry: OutboxEntry) -> None:
    first = entry.layout[0]["kind"] if entry.layout else "text"
    ChannelMessage.objects.update_or_create(
        post_key=entry.post_key,
        defaults={
            "message_ids": entry.message_ids,
            "layout": entry.layout,
            "first_kind": "text" if first == "text" else "media",
        },
    )


def _acknowledge(entry: OutboxEntry, now: dt.datetime, **changes) -> None:
    updated = OutboxEntry.objects.filter(pk=entry.pk, state=OutboxEntry.State.PENDING).update(
        state=OutboxEntry.State.DELIVERED, delivered_at=now, last_error="", **changes
    )
    if updated != 1:
        raise Superseded


def _finish_post(entry: OutboxEntry, now: dt.datetime) -> None:
    """Record where the post went and acknowledge, in one transaction."""
    with transaction.atomic():
        if entry.message_ids:
            _record_channel_message(entry)
        _acknowledge(entry, now)


# --- sending --------------------------------------------------------------------------


def _media_file(media) -> tuple[str, bytes, str]:
    with media.file.open("rb") as f:
        data = f.read()
    kind = "video" if media.kind == "video" else "photo"
    return kind, data, PurePath(media.file.name).name


def _send_step(step: Step, media_by_id: dict) -> list[int]:
    chat = client.channel()
    if step.kind == "text":
        return [client.send_text(chat, step.text)]
    files = [_media_file(media_by_id[pk]) for pk in step.media]
    if step.kind == "group":
        return client.send_media_group(chat, files, caption=step.text)
    _, data, name = files[0]
    if step.kind == "video":
        return [client.send_video(chat, data, name, caption=step.text)]
    return [client.send_photo(chat, data, name, caption=step.text)]


def _send_steps(entry: OutboxEntry, steps: list[Step], post) -> None:
    """Send the parts not yet recorded, committing each before the next."""
    media_by_id = {m.pk: m for m in post.media.all()}
    for step in steps[entry.parts_sent :]:
        ids = _send_step(step, media_by_id)
        _record_part(entry, step, ids)


def _public_post(entry: OutboxEntry):
    from homeward.channel.models import Post

    post = Post.objects.filter(pk=entry.post_key).prefetch_related("media").first()
    return post if post is not None and post.is_public else None


def deliver_post_send(entry: OutboxEntry, now: dt.datetime) -> None:
    post = _public_post(entry)
    if post is None:
        # Deleted or made private before it went out: nothing more to send.
        _finish_post(entry, now)
        return
    if entry.parts_sent == 0:
        # Published again after being withdrawn: the new copy replaces any old one.
        old = ChannelMessage.objects.filter(post_key=entry.post_key).first()
        if old is not None and old.message_ids:
            client.delete_messages(client.channel(), old.message_ids)
    _send_steps(entry, post_steps(post), post)
    _finish_post(entry, now)


def _same_shape(layout: list[dict], steps: list[Step]) -> bool:
    return len(layout) == len(steps) and all(
        {k: old.get(k) for k in ("kind", "media", "text")} == step.shape()
        for old, step in zip(layout, steps, strict=True)
    )


def _edit_in_place(layout: list[dict], steps: list[Step]) -> bool:
    """Edit the changed texts and captions; False if a message is gone (then replace them all)."""
    chat = client.channel()
    for old, step in zip(layout, steps, strict=True):
        if not step.text or old.get("digest") == step.digest:
            continue
        try:
            if step.kind == "text":
                client.edit_text(chat, old["ids"][0], step.text)
            else:
                client.edit_caption(chat, old["ids"][0], step.text)
        except TelegramBadRequest as exc:
            reason = exc.message.lower()
            if "not modified" in reason:
                continue
            if "not found" in reason or "can't be edited" in reason or "message_id_invalid" in reason:
                return False
            raise
    return True


def deliver_post_edit(entry: OutboxEntry, now: dt.datetime) -> None:
    post = _public_post(entry)
    if post is None:
        # Gone or no longer public: the deletion queued with that change takes it down.
        _acknowledge(entry, now)
        return
    steps = post_steps(post)
    current = ChannelMessage.objects.filter(post_key=entry.post_key).first()
    in_place = entry.parts_sent == 0 and current is not None and _same_shape(current.layout, steps)
    if in_place and _edit_in_place(current.layout, steps):
        layout = [{**old, "digest": step.digest} for old, step in zip(current.layout, steps, strict=True)]
        with transaction.atomic():
            ChannelMessage.objects.filter(pk=current.pk).update(layout=layout)
            _acknowledge(entry, now)
        return
    # The number of parts or the media changed (or a message vanished): replace the copy.
    if current is not None and current.message_ids:
        client.delete_messages(client.channel(), current.message_ids)
    _send_steps(entry, steps, post)
    _finish_post(entry, now)


def deliver_post_delete(entry: OutboxEntry, now: dt.datetime) -> None:
    current = ChannelMessage.objects.filter(post_key=entry.post_key).first()
    refused = ""
    if current is not None and current.message_ids:
        try:
            client.delete_messages(client.channel(), current.message_ids)
        except TelegramBadRequest:
            # Telegram will not delete them (too old for this chat): nothing a retry can change.
            refused = "delete_refused"
            log.warning("outbox %s: Telegram refused to delete the post's messages", entry.pk)
    with transaction.atomic():
        ChannelMessage.objects.filter(post_key=entry.post_key).delete()
        _acknowledge(entry, now)
        if refused:
            OutboxEntry.objects.filter(pk=entry.pk).update(last_error=refused)


def deliver_notify(entry: OutboxEntry, now: dt.datetime) -> None:
    if entry.payload:
        data = json.loads(entry.payload)
        chat = str(data["chat_id"])
        chat_id = int(chat) if chat.lstrip("-").isdigit() else chat
        parts = split_telegram_html(escape(data["text"], quote=False), TEXT_LIMIT)
        for part in parts[entry.parts_sent :]:
            message_id = client.send_text(chat_id, part)
            _record_part(entry, Step("text"), [message_id])  # no digest of a personal text
    # Forget who was told what.
    _acknowledge(entry, now, payload="", message_ids=[], layout=[])


DELIVER: dict[str, Callable[[OutboxEntry, dt.datetime], None]] = {
    OutboxEntry.Kind.POST_SEND: deliver_post_send,
    OutboxEntry.Kind.POST_EDIT: deliver_post_edit,
    OutboxEntry.Kind.POST_DELETE: deliver_post_delete,
    OutboxEntry.Kind.NOTIFY: deliver_notify,
}
