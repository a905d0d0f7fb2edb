"""What the rest of Homeward calls: put posts and notifications into the outbox."""

from __future__ import annotations

import datetime as dt
import enum
import json
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from homeward.lib.crypto import blind_index
from homeward.telegram.models import ChannelMessage, LinkCode, OutboxEntry, TelegramLink


def bridge_enabled() -> bool:
    return bool(settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_CHANNEL_ID)


def outbox_post(*, post, action: str) -> OutboxEntry | None:
    """Queue a public post's publication ("send"), edit ("edit") or deletion ("delete").

    Call inside the transaction that changes the post. Non-public posts never go out;
    a post that stops being public is deleted from the channel.
    """
    if not bridge_enabled():
        return None
    kind = {
        "send": OutboxEntry.Kind.POST_SEND,
        "edit": OutboxEntry.Kind.POST_EDIT,
        "delete": OutboxEntry.Kind.POST_DELETE,
    }[action]
    if action in {"send", "edit"} and not post.is_public:
        return None
    if action in {"edit", "delete"} and not (
        ChannelMessage.objects.filter(post_key=post.pk).exists()
        or OutboxEntry.objects.filter(post_key=post.pk, kind=OutboxEntry.Kind.POST_SEND).exists()
    ):
        return None
    return OutboxEntry.objects.create(kind=kind, post_key=post.pk, payload="")


def notify(*, account, text: str) -> bool:
    """Send a personal notification to the account's linked Telegram chat, if any.

    The text is plain (not HTML); a long one goes as several messages. It waits in the
    outbox encrypted and is forgotten once delivered. False if there is no linked chat.
    """
    if not settings.TELEGRAM_BOT_TOKEN:
        return False
    link = TelegramLink.objects.filter(account=account).first()
    if link is None:
        return False
    OutboxEntry.objects.create(
        kind=OutboxEntry.Kind.NOTIFY, account=account, payload=json.dumps({"chat_id": link.chat_id, "text": text})
    )
    return True


# --- linking a member's chat (TelegramLink) -------------------------------------------

#: No 0/O, 1/I/L: a code is read off a screen and typed on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_MINUTES = 15
CODE_PURPOSE = "telegram-link"
CHAT_PURPOSE = "telegram-chat"


class LinkResult(enum.Enum):
    LINKED = "linked"
    INVALID = "invalid"
    EXPIRED = "expired"


def normalize_code(text: str) -> str:
    """What a member types: any case, spaces or dashes allowed."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def chat_index(chat_id: int | str) -> str:
    return blind_index(str(chat_id), purpose=CHAT_PURPOSE)


def link_code_create(*, account, now: dt.datetime | None = None) -> str:
    """Make the account's one-time linking code (valid 15 minutes); only its blind index is kept.

    A new code replaces the account's previous one. Expired codes of everyone are swept.
    """
    now = now or timezone.now()
    LinkCode.objects.filter(expires_at__lte=now).delete()
    for _attempt in range(5):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                LinkCode.objects.update_or_create(
                    account=account,
                    defaults={
                        "code_index": blind_index(code, purpose=CODE_PURPOSE),
                        "expires_at": now + dt.timedelta(minutes=CODE_MINUTES),
                    },
                )
        except IntegrityError:  # the same code is live for another account: draw again
            continue
        return code
    raise RuntimeError("could not draw a unique linking code")


def chat_link(*, code: str, chat_id: int, now: dt.datetime | None = None) -> LinkResult:
    """Link the chat that sent a valid code to the code's account; the code is used up.

    A chat belongs to one account and an account has one chat: older links of either
    are replaced.
    """
    now = now or timezone.now()
    code = normalize_code(code)
    if len(code) != CODE_LENGTH:
        return LinkResult.INVALID
    with transaction.atomic():
        found = LinkCode.objects.select_for_update().filter(code_index=blind_index(code, purpose=CODE_PURPOSE)).first()
        if found is None:
            return LinkResult.INVALID
        if found.expires_at <= now:
            found.delete()
            return LinkResult.EXPIRED
        index = chat_index(chat_id)
        TelegramLink.objects.filter(Q(account_id=found.account_id) | Q(chat_index=index)).delete()
        TelegramLink.objects.create(
            account_id=found.account_id, chat_id=str(chat_id), chat_index=index, linked_on=timezone.localdate(now)
        )
        found.delete()
    return LinkResult.LINKED


def chat_unlink(*, chat_id: int) -> bool:
    """Unlink a chat from the bot's side (/unlink); True if it was linked."""
    deleted, _ = TelegramLink.objects.filter(chat_index=chat_index(chat_id)).delete()
    return bool(deleted)


def link_remove(*, account) -> bool:
    """Unlink the account's chat and drop any code it has; True if a chat was linked."""
    LinkCode.objects.filter(account=account).delete()
    deleted, _ = TelegramLink.objects.filter(account=account).delete()
    return bool(deleted)
