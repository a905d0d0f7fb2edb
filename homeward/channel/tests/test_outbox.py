"""Public posts go to Telegram through the outbox, written in the same transaction as the post."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from homeward.channel import services, tasks
from homeward.channel.models import Post, PostMedia
from homeward.channel.tests.builders import make_post, media_files, png_upload
from homeward.telegram.models import OutboxEntry

SEND, EDIT, DELETE = OutboxEntry.Kind.POST_SEND, OutboxEntry.Kind.POST_EDIT, OutboxEntry.Kind.POST_DELETE


@pytest.fixture
def bridge(settings):
    settings.TELEGRAM_BOT_TOKEN = "x"
    settings.TELEGRAM_CHANNEL_ID = "@c"


def outbox():
    return [(e.kind, e.post_key) for e in OutboxEntry.objects.order_by("id")]


def new_post(client, **data):
    return client.post(reverse("channel:new"), {"body": "News", "visibility": "public", "action": "publish", **data})


def edit(client, post, **data):
    return client.post(reverse("channel:edit", args=[post.pk]), {"body": "Changed", "visibility": "public", **data})


def test_publishing_a_public_post_writes_one_send(bridge, client_for):
    response = new_post(client_for("coordinator"), images=[png_upload()])

    post = Post.objects.get()
    assert response.status_code == 302
    assert outbox() == [(SEND, post.pk)]
    assert OutboxEntry.objects.get().state == OutboxEntry.State.PENDING


@pytest.mark.parametrize("visibility", ["members", "chapter"])
def test_members_and_chapter_posts_never_go_out(bridge, client_for, chapter_a, visibility):
    new_post(client_for("coordinator"), visibility=visibility, chapter=chapter_a.pk)

    assert Post.objects.count() == 1
    assert outbox() == []


def test_editing_a_public_post_writes_an_edit(bridge, cast, client_for):
    post = make_post(author=cast["coordinator"])

    edit(client_for("coordinator"), post)

    assert outbox() == [(SEND, post.pk), (EDIT, post.pk)]


def test_deleting_a_public_post_writes_a_delete_that_outlives_the_post(bridge, cast, client_for):
    post = make_post(author=cast["coordinator"])
    pk = post.pk

    client_for("coordinator").post(reverse("channel:delete", args=[pk]))

    assert not Post.objects.filter(pk=pk).exists()
    assert outbox() == [(SEND, pk), (DELETE, pk)]


def test_pinning_sends_nothing(bridge, cast, client_for):
    post = make_post(author=cast["coordinator"])

    client_for("coordinator").post(reverse("channel:pin", args=[post.pk]), {"pinned": "1"})

    assert outbox() == [(SEND, post.pk)]


def test_a_draft_goes_out_only_when_published(bridge, cast, client_for):
    coordinator = client_for("coordinator")
    new_post(coordinator, action="draft")
    draft = Post.objects.get()
    edit(coordinator, draft)
    assert outbox() == []

    coordinator.post(reverse("channel:publish", args=[draft.pk]))
    coordinator.post(reverse("channel:publish", args=[draft.pk]))  # a double click sends once

    assert outbox() == [(SEND, draft.pk)]


def test_a_scheduled_post_goes_out_when_its_task_publishes_it(bridge, cast):
    post = make_post(
        author=cast["coordinator"], action="schedule", publish_at=timezone.now() + dt.timedelta(minutes=10)
    )
    assert outbox() == []

    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now() - dt.timedelta(seconds=1))
    tasks.publish_scheduled.call(post.pk)
    tasks.publish_scheduled.call(post.pk)

    assert outbox() == [(SEND, post.pk)]


def test_a_members_draft_published_later_sends_nothing(bridge, cast, client_for):
    draft = make_post(author=cast["coordinator"], visibility="members", action="draft")

    client_for("coordinator").post(reverse("channel:publish", args=[draft.pk]))

    assert outbox() == []


def test_a_post_that_stops_being_public_is_deleted_from_the_channel(bridge, cast, client_for):
    post = make_post(author=cast["coordinator"])
    coordinator = client_for("coordinator")

    edit(coordinator, post, visibility="members")
    edit(coordinator, post, body="Members only, edited", visibility="members")

    assert outbox() == [(SEND, post.pk), (DELETE, post.pk)]


def test_a_post_that_becomes_public_is_sent(bridge, cast, client_for):
    post = make_post(author=cast["coordinator"], visibility="members")

    edit(client_for("coordinator"), post, visibility="public")

    assert outbox() == [(SEND, post.pk)]


def test_deleting_a_members_post_sends_nothing(bridge, cast, client_for):
    post = make_post(author=cast["coordinator"], visibility="members")

    client_for("coordinator").post(reverse("channel:delete", args=[post.pk]))

    assert outbox() == []


# --- all or nothing ---------------------------------------------------------------------


def test_a_media_failure_half_way_leaves_neither_post_nor_outbox_entry(bridge, cast, monkeypatch):
    real_save = PostMedia.save
    saves = []

    def fail_on_second(self, *args, **kwargs):
        saves.append(self)
        if len(saves) == 2:
            raise RuntimeError("storage went away")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(PostMedia, "save", fail_on_second)

    with pytest.raises(RuntimeError, match="storage went away"):
        make_post(author=cast["coordinator"], images=3)

    assert not Post.objects.exists() and not PostMedia.objects.exists()
    assert outbox() == []
    assert media_files() == []


def test_a_failure_after_the_outbox_entry_rolls_the_entry_back_with_the_post(bridge, cast, monkeypatch):
    def broken_bump(name):
        assert OutboxEntry.objects.count() == 1  # the entry was written ...
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(services, "version_bump", broken_bump)

    with pytest.raises(RuntimeError, match="database hiccup"):
        make_post(author=cast["coordinator"], images=2)

    assert not Post.objects.exists() and not PostMedia.objects.exists()
    assert outbox() == []  # ... and went with the post
    assert media_files() == []


def test_a_failed_edit_writes_no_outbox_entry(bridge, cast, monkeypatch):
    post = make_post(author=cast["coordinator"], body="Original")
    monkeypatch.setattr(services, "version_bump", lambda name: (_ for _ in ()).throw(RuntimeError("boom")))

    with pytest.raises(RuntimeError):
        services.post_update(
            post=post, body="Changed", visibility="public", chapter=None, images=[], remove_media=[], now=timezone.now()
        )

    assert Post.objects.get(pk=post.pk).body == "Original"
    assert outbox() == [(SEND, post.pk)]


def test_a_failed_delete_keeps_the_post_and_writes_nothing(bridge, cast, monkeypatch):
    post = make_post(author=cast["coordinator"], images=1)
    monkeypatch.setattr(services, "version_bump", lambda name: (_ for _ in ()).throw(RuntimeError("boom")))

    with pytest.raises(RuntimeError):
        services.post_delete(post=Post.objects.get(pk=post.pk))

    assert Post.objects.filter(pk=post.pk).exists() and PostMedia.objects.count() == 1
    assert len(media_files()) == 1
    assert outbox() == [(SEND, post.pk)]


# --- bridge off --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "channel"), [("", ""), ("x", ""), ("", "@c")], ids=["nothing set", "no channel", "no token"]
)
def test_with_the_bridge_off_nothing_is_written(settings, cast, client_for, chapter_a, token, channel):
    settings.TELEGRAM_BOT_TOKEN = token
    settings.TELEGRAM_CHANNEL_ID = channel
    coordinator = client_for("coordinator")

    new_post(coordinator)
    post = Post.objects.get()
    edit(coordinator, post)
    new_post(coordinator, action="draft")
    coordinator.post(reverse("channel:publish", args=[Post.objects.get(status="draft").pk]))
    coordinator.post(reverse("channel:delete", args=[post.pk]))

    assert Post.objects.count() == 1
    assert outbox() == []
