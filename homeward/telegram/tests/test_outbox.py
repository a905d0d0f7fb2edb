"""The outbox worker against the stand-in Bot API: delivery, retries, order, edits, deletions, notices."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.db import connection
from django.utils import timezone

from conftest import make_account
from homeward.channel.models import Post
from homeward.telegram import client, worker
from homeward.telegram.models import ChannelMessage, OutboxEntry, TelegramLink
from homeward.telegram.services import chat_index, notify
from homeward.telegram.tests.conftest import PUBLIC_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def t0():
    """A moment just after the entries of the test were queued."""
    return timezone.now() + dt.timedelta(seconds=1)


def publish(body: str, *, images: int = 0, visibility: str = "public") -> Post:
    from homeward.channel.services import post_create

    return post_create(
        author=None,
        body=body,
        visibility=visibility,
        chapter=None,
        images=[_image(n) for n in range(images)],
        video=None,
        action="publish",
        publish_at=None,
        now=timezone.now(),
    )


def edit(post: Post, body: str, *, visibility: str = "public") -> None:
    from homeward.channel.services import post_update

    post.refresh_from_db()
    post_update(
        post=post, body=body, visibility=visibility, chapter=None, images=[], remove_media=[], now=timezone.now()
    )


def delete(post: Post) -> None:
    from homeward.channel.services import post_delete

    post.refresh_from_db()
    post_delete(post=post)


def _image(n: int):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from homeward.lib.uploads import clean_image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (n * 40 % 255, 90, 160)).save(buffer, "PNG")
    return clean_image(SimpleUploadedFile(f"{n}.png", buffer.getvalue(), content_type="image/png"))


def long_body(paragraphs: int) -> str:
    return "\n\n".join(f"Абзац {n}. " + " ".join(["слово"] * 400) for n in range(paragraphs))


def entry_for(post: Post, kind=OutboxEntry.Kind.POST_SEND) -> OutboxEntry:
    return OutboxEntry.objects.get(post_key=post.pk, kind=kind)


# --- delivery -------------------------------------------------------------------------


def test_a_public_post_reaches_the_channel_once(telegram):
    post = publish("Завтра **акция** у Вечного огня & цветы")
    entry = entry_for(post)
    assert entry.state == OutboxEntry.State.PENDING

    assert worker.drain() == 1
    assert worker.drain() == 0  # nothing twice

    [call] = telegram.calls_to("sendMessage")
    assert call.params["chat_id"] == "@homeward_test_channel"
    assert call.params["parse_mode"] == "HTML"
    [message] = telegram.channel_messages()
    assert message["text"] == "Завтра акция у Вечного огня & цветы\n\nЧитать на Homeward"
    assert "<b>акция</b>" in message["html"]
    assert f'<a href="{PUBLIC_URL}/channel/{post.pk}/">' in message["html"]
    entry.refresh_from_db()
    assert entry.state == OutboxEntry.State.DELIVERED and entry.delivered_at is not None
    assert entry.message_ids == [message["message_id"]] and entry.parts_sent == 1
    assert ChannelMessage.objects.get(post_key=post.pk).message_ids == [message["message_id"]]


def test_posts_for_members_never_go_out(telegram, chapter_a):
    publish("Только для участников", visibility="members")
    assert not OutboxEntry.objects.exists()
    worker.drain()
    assert telegram.calls == []


def test_a_long_post_goes_out_in_parts_in_order(telegram):
    post = publish(long_body(4))
    worker.drain()
    messages = telegram.channel_messages()
    assert len(messages) > 1
    assert [m["text"].split(".")[0] for m in messages][0] == "Абзац 0"
    assert all(len(m["text"].encode("utf-16-le")) // 2 <= 4096 for m in messages)
    entry = entry_for(post)
    assert entry.parts_sent == len(messages)
    assert entry.message_ids == [m["message_id"] for m in messages]
    assert messages[-1]["text"].endswith("Читать на Homeward")


def test_one_image_goes_as_a_photo_with_its_caption(telegram):
    post = publish("Фото с акции", images=1)
    worker.drain()
    assert len(telegram.calls_to("sendPhoto")) == 1
    [message] = telegram.channel_messages()
    assert message["kind"] == "photo" and message["file_size"] > 0
    assert message["plain"].startswith("Фото с акции")
    assert ChannelMessage.objects.get(post_key=post.pk).first_kind == "media"


def test_several_images_go_as_an_album_and_leave_together(telegram):
    post = publish("Альбом", images=3)
    worker.drain()
    assert len(telegram.calls_to("sendMediaGroup")) == 1
    messages = telegram.channel_messages()
    assert [m["kind"] for m in messages] == ["photo"] * 3
    assert messages[0]["plain"].startswith("Альбом") and messages[1]["caption"] == ""

    delete(post)
    worker.drain()
    [call] = telegram.calls_to("deleteMessages")
    assert json.loads(call.params["message_ids"]) == [m["message_id"] for m in messages]
    assert telegram.channel_messages() == []
    assert not ChannelMessage.objects.exists()


# --- errors and retries ---------------------------------------------------------------


def test_429_waits_retry_after_and_delivers_once(telegram, t0):
    post = publish("Много публикаций сразу")
    telegram.misbehave("429", method="sendMessage", retry_after=7)

    worker.run_once(now=t0)
    entry = entry_for(post)
    assert entry.state == OutboxEntry.State.PENDING
    assert entry.next_attempt_at == t0 + dt.timedelta(seconds=7)
    assert entry.attempts == 0 and entry.last_error == "retry_after"  # not a failure

    assert worker.run_once(now=t0 + dt.timedelta(seconds=6)) == []  # not before it is allowed
    worker.run_once(now=t0 + dt.timedelta(seconds=7))

    assert [c.outcome for c in telegram.calls_to("sendMessage", outcome=None)] == ["429", "ok"]
    assert len(telegram.channel_messages()) == 1
    entry.refresh_from_db()
    assert entry.state == OutboxEntry.State.DELIVERED


def test_network_failures_back_off_exponentially_then_succeed(telegram, t0):
    post = publish("Сеть моргнула")
    telegram.misbehave("drop", method="sendMessage", times=2)

    worker.run_once(now=t0)
    entry = entry_for(post)
    assert (entry.attempts, entry.last_error, entry.next_attempt_at) == (1, "network", t0 + dt.timedelta(seconds=5))
    worker.run_once(now=t0 + dt.timedelta(seconds=5))
    entry.refresh_from_db()
    assert (entry.attempts, entry.next_attempt_at) == (2, t0 + dt.timedelta(seconds=15))
    worker.run_once(now=t0 + dt.timedelta(seconds=15))

    entry.refresh_from_db()
    assert entry.state == OutboxEntry.State.DELIVERED
    assert [c.outcome for c in telegram.calls_to("sendMessage", outcome=None)] == ["dropped", "dropped", "ok"]
    assert len(telegram.channel_messages()) == 1


def test_a_server_error_is_retried_too(telegram, t0):
    post = publish("Ошибка сервера")
    telegram.misbehave("500")
    worker.run_once(now=t0)
    assert entry_for(post).last_error == "server_error"
    worker.run_once(now=t0 + dt.timedelta(seconds=5))
    assert entry_for(post).state == OutboxEntry.State.DELIVERED


def test_a_hanging_server_times_out_and_is_retried(telegram, t0):
    post = publish("Сервер завис")
    telegram.misbehave("hang", method="sendMessage", hang_seconds=3)  # the client waits 1 s

    worker.run_once(now=t0)
    entry = entry_for(post)
    assert (entry.state, entry.attempts, entry.last_error) == (OutboxEntry.State.PENDING, 1, "timeout")
    worker.run_once(now=t0 + dt.timedelta(seconds=5))

    assert [c.outcome for c in telegram.calls_to("sendMessage", outcome=None)] == ["hung", "ok"]
    assert len(telegram.channel_messages()) == 1
    assert entry_for(post).state == OutboxEntry.State.DELIVERED


def test_backoff_is_capped_at_an_hour_and_gives_up_after_twenty_attempts(telegram, t0):
    assert worker.backoff(1) == dt.timedelta(seconds=5)
    assert worker.backoff(30) == dt.timedelta(hours=1)
    post = publish("Никак")
    OutboxEntry.objects.filter(post_key=post.pk).update(attempts=worker.MAX_ATTEMPTS - 1)
    telegram.misbehave("500")

    worker.run_once(now=t0)

    entry = entry_for(post)
    assert (entry.state, entry.attempts, entry.last_error) == (OutboxEntry.State.FAILED, 20, "server_error")
    assert worker.run_once(now=t0 + dt.timedelta(days=1)) == []


def test_a_part_already_recorded_is_not_sent_again(telegram):
    """What a restarted worker sees after a crash between a part's record and the acknowledgement."""
    post = publish(long_body(4))
    total = len(worker.post_steps(post))
    entry = entry_for(post)
    OutboxEntry.objects.filter(pk=entry.pk).update(
        parts_sent=1, message_ids=[9001], layout=[{"kind": "text", "ids": [9001], "media": [], "text": True}]
    )

    worker.drain()

    assert len(telegram.calls_to("sendMessage")) == total - 1
    entry.refresh_from_db()
    assert entry.state == OutboxEntry.State.DELIVERED
    assert entry.message_ids[0] == 9001 and len(entry.message_ids) == total
    assert ChannelMessage.objects.get(post_key=post.pk).message_ids == entry.message_ids


# --- order, edits, deletions ----------------------------------------------------------


def test_a_posts_send_edit_and_delete_reach_telegram_in_order(telegram, t0):
    post = publish(long_body(3))
    telegram.misbehave("429", method="sendMessage", retry_after=30, after=1)  # the second part waits

    worker.run_once(now=t0)
    edit(post, "Вторая версия")
    worker.run_once(now=t0)  # the edit waits behind the unfinished send
    assert [(c.method, c.outcome) for c in telegram.calls] == [("sendMessage", "ok"), ("sendMessage", "429")]
    assert entry_for(post, OutboxEntry.Kind.POST_EDIT).state == OutboxEntry.State.PENDING

    worker.drain(clock=lambda: t0 + dt.timedelta(seconds=30))
    delete(post)
    worker.drain(clock=lambda: t0 + dt.timedelta(seconds=31))

    # The send finishes with the current version (one part, already out), the edit fixes
    # that part's text, the deletion takes it down.
    assert [(c.method, c.outcome) for c in telegram.calls] == [
        ("sendMessage", "ok"),
        ("sendMessage", "429"),
        ("editMessageText", "ok"),
        ("deleteMessages", "ok"),
    ]
    assert telegram.calls[2].params["text"].startswith("Вторая версия")
    assert telegram.channel_messages() == []
    assert set(OutboxEntry.objects.values_list("state", flat=True)) == {OutboxEntry.State.DELIVERED}


def test_a_post_deleted_before_delivery_never_goes_out(telegram):
    post = publish("Передумали")
    delete(post)
    worker.drain()
    assert telegram.calls == []
    assert set(OutboxEntry.objects.values_list("state", flat=True)) == {OutboxEntry.State.DELIVERED}


def test_a_post_made_private_before_delivery_never_goes_out(telegram):
    post = publish("Сначала всем")
    edit(post, "Потом только участникам", visibility="members")
    worker.drain()
    assert telegram.calls_to("sendMessage") == []
    assert telegram.channel_messages() == []


def test_an_edit_only_touches_what_changed(telegram):
    post = publish("Текст")
    worker.drain()
    edit(post, "Текст")  # the same text: nothing to tell Telegram
    worker.drain()
    assert telegram.calls_to("editMessageText", outcome=None) == []

    edit(post, "Исправленный текст")
    worker.drain()
    [message] = telegram.channel_messages()
    assert message["text"].startswith("Исправленный текст") and message["edited"] == 1


def test_an_edit_that_changes_the_number_of_parts_replaces_the_messages(telegram):
    post = publish("Коротко")
    worker.drain()
    [old] = telegram.channel_messages()

    edit(post, long_body(4))
    worker.drain()

    [call] = telegram.calls_to("deleteMessages")
    assert json.loads(call.params["message_ids"]) == [old["message_id"]]
    messages = telegram.channel_messages()
    assert len(messages) > 1 and old["message_id"] not in [m["message_id"] for m in messages]
    assert ChannelMessage.objects.get(post_key=post.pk).message_ids == [m["message_id"] for m in messages]


def test_a_caption_edit_edits_the_caption(telegram):
    post = publish("Подпись", images=1)
    worker.drain()
    edit(post, "Новая подпись")
    worker.drain()
    assert len(telegram.calls_to("editMessageCaption")) == 1
    [message] = telegram.channel_messages()
    assert message["plain"].startswith("Новая подпись")


def test_a_message_removed_in_telegram_is_sent_again_on_edit(telegram):
    post = publish("Текст")
    worker.drain()
    telegram.messages.clear()  # an admin deleted it by hand in Telegram
    edit(post, "Новый текст")
    worker.drain()
    [message] = telegram.channel_messages()
    assert message["text"].startswith("Новый текст")
    assert ChannelMessage.objects.get(post_key=post.pk).message_ids == [message["message_id"]]


# --- personal notifications -----------------------------------------------------------


def test_notify_goes_through_the_outbox_and_is_forgotten_after_delivery(telegram):
    account = make_account("nadia")
    TelegramLink.objects.create(account=account, chat_id="555000111", chat_index=chat_index(555000111))
    text = "Ваше обращение зарегистрировано: № 12/3-<45> & ждём ответа"

    assert notify(account=account, text=text) is True

    entry = OutboxEntry.objects.get(kind=OutboxEntry.Kind.NOTIFY)
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM telegram_outboxentry WHERE id = %s", [entry.pk])
        [raw] = cursor.fetchone()
    assert raw.startswith("hw1:") and "555000111" not in raw and "обращение" not in raw

    worker.drain()

    [call] = telegram.calls_to("sendMessage")
    assert call.params["chat_id"] == "555000111"
    [message] = [m for m in telegram.messages.values() if m["chat"] == "private"]
    assert message["text"] == text
    entry.refresh_from_db()
    assert entry.state == OutboxEntry.State.DELIVERED
    assert (entry.payload, entry.message_ids, entry.layout) == ("", [], [])
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload, message_ids FROM telegram_outboxentry WHERE id = %s", [entry.pk])
        assert cursor.fetchone()[0] == ""


def test_notify_without_a_linked_chat_does_nothing(telegram):
    assert notify(account=make_account("nadia"), text="x") is False
    assert not OutboxEntry.objects.exists()


def test_a_blocked_bot_gives_up_the_notice_at_once_and_forgets_it(telegram, t0):
    account = make_account("nadia")
    TelegramLink.objects.create(account=account, chat_id="555", chat_index=chat_index(555))
    notify(account=account, text="Личное")
    telegram.misbehave("403", method="sendMessage")  # the member blocked the bot: retrying cannot help

    worker.run_once(now=t0)

    entry = OutboxEntry.objects.get()
    assert (entry.state, entry.attempts, entry.last_error) == (OutboxEntry.State.FAILED, 1, "forbidden")
    assert entry.payload == ""


# --- the follower count ---------------------------------------------------------------


def test_channel_member_count_reads_telegram(telegram):
    telegram.member_count = 37012
    assert client.channel_member_count() == 37012
    [call] = telegram.calls_to("getChatMemberCount")
    assert call.params["chat_id"] == "@homeward_test_channel"


def test_channel_member_count_is_none_when_off_or_failing(telegram, settings):
    telegram.misbehave("500")
    assert client.channel_member_count() is None
    settings.TELEGRAM_CHANNEL_ID = ""
    assert client.channel_member_count() is None


def test_the_daily_follower_count_records_telegram(telegram):
    from homeward.channel.models import FollowerCount
    from homeward.channel.tasks import record_follower_counts

    telegram.member_count = 512
    record_follower_counts(today=dt.date(2026, 3, 1))
    assert FollowerCount.objects.get(source="telegram").count == 512


def test_the_long_running_worker_delivers_until_asked_to_stop(telegram):
    publish("Постоянная работа")
    answers = iter([False, True])
    worker.run_forever(should_stop=lambda: next(answers), idle_seconds=0)
    assert len(telegram.channel_messages()) == 1


def test_the_admin_lists_entries_without_their_payload_and_says_when_the_bridge_is_off(telegram, settings):
    from conftest import signed_in_client

    account = make_account("nadia")
    TelegramLink.objects.create(account=account, chat_id="555777", chat_index=chat_index(555777))
    notify(account=account, text="Секретное уведомление")
    admin = signed_in_client(make_account("admin_anna", admin=True, totp=True))

    html = admin.get("/admin/telegram/outboxentry/").content.decode()
    assert "notify" in html and "Секретное" not in html and "555777" not in html

    settings.TELEGRAM_CHANNEL_ID = ""
    html = admin.get("/admin/telegram/outboxentry/").content.decode()
    assert "Мост в Telegram выключен" in html
    entry = OutboxEntry.objects.get()
    assert "Секретное" not in admin.get(f"/admin/telegram/outboxentry/{entry.pk}/change/").content.decode()
