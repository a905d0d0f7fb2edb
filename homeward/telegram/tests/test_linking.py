"""Linking a member's Telegram chat with a one-time code, and the members' bot."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time

import pytest
from asgiref.sync import async_to_sync
from django.utils import timezone

from conftest import make_account
from homeward.lib.crypto import blind_index
from homeward.telegram import bot, services
from homeward.telegram.models import LinkCode, TelegramLink

CHAT = 555000111


@pytest.fixture
def nadia(db):
    return make_account("nadia")


def test_a_code_is_short_unambiguous_and_kept_only_as_a_blind_index(nadia):
    now = timezone.now()
    code = services.link_code_create(account=nadia, now=now)

    assert len(code) == 8 and set(code) <= set(services.CODE_ALPHABET)
    assert not set(code) & set("0O1IL")
    stored = LinkCode.objects.get(account=nadia)
    assert stored.code_index == blind_index(code, purpose="telegram-link")
    assert code not in stored.code_index
    assert stored.expires_at == now + dt.timedelta(minutes=15)


def test_one_code_per_account_the_new_one_replaces_the_old(nadia):
    old = services.link_code_create(account=nadia)
    new = services.link_code_create(account=nadia)
    assert LinkCode.objects.filter(account=nadia).count() == 1
    assert services.chat_link(code=old, chat_id=CHAT) is services.LinkResult.INVALID
    assert services.chat_link(code=new, chat_id=CHAT) is services.LinkResult.LINKED


def test_link_with_the_bot_stores_the_chat_encrypted_and_uses_up_the_code(nadia):
    code = services.link_code_create(account=nadia)
    typed = f"{code[:4].lower()}-{code[4:].lower()}"  # as a person might type it

    reply = bot.reply_link(chat_id=CHAT, code=typed)

    assert reply.startswith("Готово, чат связан.")
    link = TelegramLink.objects.get(account=nadia)
    assert link.chat_id == str(CHAT)
    assert link.chat_index == blind_index(str(CHAT), purpose="telegram-chat")
    assert not LinkCode.objects.exists()
    assert bot.reply_link(chat_id=CHAT, code=code).startswith("Код не подходит")  # once only


def test_an_expired_code_does_not_link(nadia):
    code = services.link_code_create(account=nadia, now=timezone.now() - dt.timedelta(minutes=16))
    assert bot.reply_link(chat_id=CHAT, code=code) == "Срок действия кода истёк. Получите новый в настройках."
    assert not TelegramLink.objects.exists() and not LinkCode.objects.exists()


def test_a_wrong_or_missing_code_does_not_link(nadia):
    services.link_code_create(account=nadia)
    assert bot.reply_link(chat_id=CHAT, code="ABCDEFGH").startswith("Код не подходит")
    assert bot.reply_link(chat_id=CHAT, code="").startswith("Пришлите код")
    assert not TelegramLink.objects.exists()


def test_a_chat_moves_to_the_account_that_linked_it_last(nadia):
    other = make_account("olga")
    bot.reply_link(chat_id=CHAT, code=services.link_code_create(account=nadia))
    bot.reply_link(chat_id=CHAT, code=services.link_code_create(account=other))
    assert list(TelegramLink.objects.values_list("account__handle", flat=True)) == ["olga"]


def test_unlink_from_the_bot_and_from_the_site(nadia):
    bot.reply_link(chat_id=CHAT, code=services.link_code_create(account=nadia))
    assert bot.reply_unlink(chat_id=CHAT) == "Чат отвязан. Уведомления сюда больше не придут."
    assert bot.reply_unlink(chat_id=CHAT) == "Этот чат не связан ни с одним аккаунтом."

    bot.reply_link(chat_id=CHAT, code=services.link_code_create(account=nadia))
    assert services.link_remove(account=nadia) is True
    assert not TelegramLink.objects.exists()


def test_start_explains_in_russian():
    text = bot.reply_start()
    assert text.startswith("Здравствуйте! Это бот Homeward.")
    assert "/link КОД" in text and "/unlink" in text and "/channel" in text


def test_channel_lists_the_latest_public_posts(db, settings):
    from homeward.channel.models import Post, PostStatus
    from homeward.lib.markup import render_markdown

    settings.HOMEWARD_PUBLIC_URL = "https://homeward.example"
    for n, visibility in enumerate(["public", "public", "members", "public", "public"]):
        body = f"**Пост {n}** <про> & всё\n\nвторой абзац"
        Post.objects.create(
            body=body,
            body_html=render_markdown(body),
            visibility=visibility,
            status=PostStatus.PUBLISHED,
            published_at=timezone.now() + dt.timedelta(minutes=n),
        )
    public = list(Post.objects.filter(visibility="public").order_by("-published_at")[:3])

    text = bot.reply_channel()

    assert text.count("• ") == 3
    assert "Пост 2" not in text  # members only
    assert "второй абзац" not in text  # the first line only
    for post in public:
        assert f'<a href="https://homeward.example/channel/{post.pk}/">' in text
    assert "Пост 4 &lt;про&gt; &amp; всё" in text


def test_channel_without_posts(db):
    assert bot.reply_channel() == "В канале пока нет публикаций."


# --- the aiogram wiring, against the stand-in Bot API ----------------------------------


def _update(update_id: int, chat_id: int, text: str, chat_type: str = "private") -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, **({"title": "Группа"} if chat_type != "private" else {})},
            "from": {"id": chat_id if chat_type == "private" else 1, "is_bot": False, "first_name": "N"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
        },
    }


def _feed(*updates: dict) -> None:
    from aiogram.types import Update

    from homeward.telegram.client import make_bot

    async def feed():
        telegram_bot = make_bot()
        dispatcher = bot.build_dispatcher()
        try:
            for update in updates:
                await dispatcher.feed_update(telegram_bot, Update.model_validate(update, context={"bot": telegram_bot}))
        finally:
            await telegram_bot.session.close()

    async_to_sync(feed)()  # database work in the handlers runs on this (the test's) thread


def test_link_through_the_bot(telegram, nadia):
    code = services.link_code_create(account=nadia)

    _feed(_update(1, CHAT, f"/link {code}"), _update(2, CHAT, "/unlink"), _update(3, CHAT, f"/link {code}"))

    replies = [c.params["text"] for c in telegram.calls_to("sendMessage")]
    assert [c.params["chat_id"] for c in telegram.calls_to("sendMessage")] == [str(CHAT)] * 3
    assert replies[0].startswith("Готово, чат связан.")
    assert replies[1].startswith("Чат отвязан.")
    assert replies[2].startswith("Код не подходит")  # used up
    assert not TelegramLink.objects.exists()


def test_the_bot_ignores_groups(telegram, nadia):
    code = services.link_code_create(account=nadia)
    _feed(_update(1, -100500, f"/link {code}", chat_type="group"))
    assert telegram.calls_to("sendMessage") == []
    assert not TelegramLink.objects.exists()


def test_the_bot_answers_start_by_long_polling(telegram):
    """The command's path: getMe, getUpdates, the handler, sendMessage."""
    from homeward.telegram.client import make_bot

    telegram.updates.append(_update(10, 777, "/start"))
    state = {}

    async def poll():
        state["loop"], state["dispatcher"] = asyncio.get_running_loop(), bot.build_dispatcher()
        await state["dispatcher"].start_polling(make_bot(), handle_signals=False, polling_timeout=1)

    thread = threading.Thread(target=asyncio.run, args=(poll(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not telegram.calls_to("sendMessage") and time.monotonic() < deadline:
        time.sleep(0.05)
    asyncio.run_coroutine_threadsafe(state["dispatcher"].stop_polling(), state["loop"]).result(10)
    thread.join(10)

    [reply] = telegram.calls_to("sendMessage")
    assert reply.params["chat_id"] == "777"
    assert reply.params["text"].startswith("Здравствуйте!")
    assert telegram.calls_to("getUpdates")
