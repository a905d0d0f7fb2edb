"""The channel (канал): posts (публикации), their media, and who follows."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("everyone")
    MEMBERS = "members", _("members of the movement")
    CHAPTER = "chapter", _("one chapter")


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    PUBLISHED = "published", _("published")


class Post(models.Model):
    """A post (публикация) in the channel. Markdown in, sanitized HTML stored beside it."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("text"), max_length=20000)
    body_html = models.TextField(editable=False)
    visibility = models.CharField(
        _("who can read it"), max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    chapter = models.ForeignKey(
        "chapters.Chapter", on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    status = models.CharField(max_length=16, choices=PostStatus.choices, default=PostStatus.DRAFT)
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    pinned = models.BooleanField(_("pinned"), default=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "visibility", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility="chapter", chapter__isnull=False) | ~models.Q(visibility="chapter"),
                name="chapter_post_has_chapter",
            )
        ]

    @property
    def is_public(self) -> bool:
        return self.status == PostStatus.PUBLISHED and self.visibility == Visibility.PUBLIC


def media_path(instance, filename):
    # Random names: a file's URL reveals nothing and cannot be guessed.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"channel/{uuid.uuid4().hex}.{ext}"


class PostMedia(models.Model):
    """An image (re-encoded, metadata stripped) or the one short video of a post."""

    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        VIDEO = "video", _("video")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    file = models.FileField(upload_to=media_path, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]


class Follow(models.Model):
    """An account that follows the channel in the app (подписчик)."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follow")
    since = models.DateField(default=timezone.localdate)


class FollowerCount(models.Model):
    """Followers by source, recorded once a day (RSS readers cannot be counted without tracking)."""

    class Source(models.TextChoices):
        APP = "app", _("in the app")
        TELEGRAM = "telegram", _("Telegram")

    day = models.DateField()
    source = models.CharField(max_length=16, choices=Source.choices)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["day", "source"], name="follower_count_once_a_day")]
