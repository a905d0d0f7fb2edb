"""The Telegram bridge's state: the outbox, where channel posts went, and linked chats."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from homeward.lib.fields import EncryptedTextField


class OutboxEntry(models.Model):
    """One thing to deliver to Telegram, written in the same transaction as its cause.

    Delivery is at most once per part: each part's Telegram message id is recorded
    (committed) right after Telegram accepts it, before the entry is acknowledged, so
    a worker restarted after a crash resumes after the last recorded part instead of
    sending again. Entries of one post are delivered in id order.
    """

    class Kind(models.TextChoices):
        POST_SEND = "post_send"
        POST_EDIT = "post_edit"
        POST_DELETE = "post_delete"
        NOTIFY = "notify"

    class State(models.TextChoices):
        PENDING = "pending"
        DELIVERED = "delivered"
        FAILED = "failed"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Whose notification this is: deleting the account drops what still waits for her.
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The post's id, kept after the post itself is deleted (for ordering and deletes).
    post_key = models.BigIntegerField(null=True, blank=True, db_index=True)
    # JSON; encrypted because notifications carry a chat id and personal alerts.
    payload = EncryptedTextField(default="")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    parts_sent = models.PositiveIntegerField(default=0)
    message_ids = models.JSONField(default=list, blank=True)
    # Per part sent so far: {"kind", "ids", "media", "text", "digest"} (see render.Step),
    # so that a later edit knows which message carries which part.
    layout = models.JSONField(default=list, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["state", "next_attempt_at"])]


class ChannelMessage(models.Model):
    """Which Telegram messages carry a post, so its edits and deletion can follow it."""

    post_key = models.BigIntegerField(unique=True)
    message_ids = models.JSONField(default=list)
    # "text" or "media": what kind of first message was sent (edits differ).
    first_kind = models.CharField(max_length=8, default="text")
    # The parts as sent (OutboxEntry.layout): an edit with the same shape edits them in place.
    layout = models.JSONField(default=list, blank=True)


class TelegramLink(models.Model):
    """A member's Telegram chat, linked with a one-time code from her settings."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telegram_link")
    chat_id = EncryptedTextField()
    chat_index = models.CharField(max_length=64, unique=True)  # blind index of chat_id
    linked_on = models.DateField(default=timezone.localdate)


class LinkCode(models.Model):
    """A one-time code to link a chat: only its blind index is stored; it expires."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="telegram_code")
    code_index = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
