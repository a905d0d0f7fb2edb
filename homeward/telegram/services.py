"""What the rest of Homeward calls: put posts and notifications into the outbox."""

from __future__ import annotations

import json

from django.conf import settings

from homeward.telegram.models import ChannelMessage, OutboxEntry


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
    """Send a personal notification to the account's linked Telegram chat, if any."""
    if not settings.TELEGRAM_BOT_TOKEN:
        return False
    link = getattr(account, "telegram_link", None)
    if link is None:
        from homeward.telegram.models import TelegramLink

        link = TelegramLink.objects.filter(account=account).first()
    if link is None:
        return False
    OutboxEntry.objects.create(
        kind=OutboxEntry.Kind.NOTIFY, payload=json.dumps({"chat_id": link.chat_id, "text": text})
    )
    return True
