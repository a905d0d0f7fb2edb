"""Writing the channel. Public changes go to the Telegram outbox in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction

from homeward.channel.models import Follow, Post, PostMedia, PostStatus
from homeward.lib.markup import render_markdown
from homeward.lib.uploads import CleanFile
from homeward.lib.versions import CHANNEL as CHANNEL_VERSION
from homeward.lib.versions import version_bump
from homeward.telegram.services import outbox_post


def _save_media(
    post: Post, images: list[CleanFile], video: CleanFile | None, *, saved: list[str], start: int = 0
) -> None:
    """Store the files; each stored name goes into `saved` at once, so a failure half-way
    can remove what was already written (the caller discards them)."""
    items = [(PostMedia.Kind.IMAGE, f) for f in images] + ([(PostMedia.Kind.VIDEO, video)] if video else [])
    for order, (kind, clean) in enumerate(items, start=start):
        media = PostMedia(
            post=post,
            kind=kind,
            content_type=clean.content_type,
            size=len(clean.content),
            width=clean.width,
            height=clean.height,
            order=order,
        )
        media.file.save(f"upload.{clean.extension}", ContentFile(clean.content), save=False)
        saved.append(media.file.name)
        media.save()


def _discard_files(names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        default_storage.delete(name)


def post_create(
    *,
    author,
    body: str,
    visibility: str,
    chapter,
    images: list[CleanFile],
    video: CleanFile | None,
    action: str,
    publish_at: dt.datetime | None,
    now: dt.datetime,
) -> Post:
    """Create a draft, a scheduled post or a published post, with its media, all or nothing."""
    saved: list[str] = []
    try:
        with transaction.atomic():
            post = Post(
                author=author, body=body, body_html=render_markdown(body), visibility=visibility, chapter=chapter
            )
            if action == "publish":
                post.status, post.published_at = PostStatus.PUBLISHED, now
            elif action == "schedule":
                post.status, post.publish_at = PostStatus.SCHEDULED, publish_at
            post.save()
            _save_media(post, images, video, saved=saved)
            if post.status == PostStatus.PUBLISHED:
                outbox_post(post=post, action="send")
            version_bump(CHANNEL_VERSION)
            if post.status == PostStatus.SCHEDULED:
                from homeward.channel.tasks import publish_scheduled

                transaction.on_commit(lambda: publish_scheduled.using(run_after=publish_at).enqueue(post.pk))
    except Exception:
        _discard_files(saved)
        raise
    return post


def post_update(
    *,
    post: Post,
    body: str,
    visibility: str,
    chapter,
    images: list[CleanFile],
    remove_media: list[int],
    now: dt.datetime,
) -> None:
    """Edit a post; a published one gets the "edited" mark and its Telegram copy follows."""
    was_public = post.is_public
    saved: list[str] = []
    try:
        with transaction.atomic():
            post.body, post.body_html = body, render_markdown(body)
            post.visibility, post.chapter = visibility, chapter
            if post.status == PostStatus.PUBLISHED:
                post.edited_at = now
            post.save(update_fields=["body", "body_html", "visibility", "chapter", "edited_at"])
            gone = list(post.media.filter(pk__in=remove_media))
            PostMedia.objects.filter(pk__in=[m.pk for m in gone]).delete()
            start = (post.media.order_by("-order").values_list("order", flat=True).first() or 0) + 1
            _save_media(post, images, None, saved=saved, start=start)
            if post.status == PostStatus.PUBLISHED:
                if post.is_public:
                    outbox_post(post=post, action="edit" if was_public else "send")
                elif was_public:
                    outbox_post(post=post, action="delete")
            version_bump(CHANNEL_VERSION)
            transaction.on_commit(lambda: _discard_files([m.file.name for m in gone]))
    except Exception:
        _discard_files(saved)
        raise


def post_publish(*, post: Post, now: dt.datetime) -> bool:
    """Publish a draft or a due scheduled post (idempotent: publishing twice does nothing)."""
    with transaction.atomic():
        updated = (
            Post.objects.filter(pk=post.pk)
            .exclude(status=PostStatus.PUBLISHED)
            .update(status=PostStatus.PUBLISHED, published_at=now, publish_at=None)
        )
        if not updated:
            return False
        post.refresh_from_db()
        outbox_post(post=post, action="send")
        version_bump(CHANNEL_VERSION)
    return True


def post_pin(*, post: Post, pinned: bool) -> None:
    post.pinned = pinned
    post.save(update_fields=["pinned"])
    version_bump(CHANNEL_VERSION)


def post_delete(*, post: Post) -> None:
    files = [m.file.name for m in post.media.all()]
    with transaction.atomic():
        if post.is_public:
            outbox_post(post=post, action="delete")
        post.delete()
        version_bump(CHANNEL_VERSION)
        transaction.on_commit(lambda: _discard_files(files))


def follow_set(*, account, following: bool) -> None:
    if following:
        Follow.objects.get_or_create(account=account)
    else:
        Follow.objects.filter(account=account).delete()
