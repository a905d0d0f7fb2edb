"""A small synchronous face on aiogram's asynchronous Bot, for the outbox worker and daily tasks.

One event loop per process (re-made after a fork), one Bot per configuration; calls
are serialized with a lock, so the face is safe to call from any thread (one that runs
a loop of its own, as Playwright's sync API does in the tests, hands the call to a
helper thread). Errors are aiogram's (TelegramRetryAfter,
TelegramNetworkError for failures and timeouts, TelegramBadRequest, ...): the caller
decides what they mean.

Settings: TELEGRAM_BOT_TOKEN, TELEGRAM_CHANNEL_ID, TELEGRAM_API_BASE (a local Bot API
server, or the tests' stand-in) and TELEGRAM_REQUEST_TIMEOUT (seconds, default 10;
uploads get six times as long).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Coroutine
from typing import Any

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import BufferedInputFile, InputMediaPhoto, InputMediaVideo, LinkPreviewOptions
from django.conf import settings

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10
UPLOAD_TIMEOUT_FACTOR = 6
DELETE_BATCH = 100  # deleteMessages takes 1–100 ids

_lock = threading.RLock()
_state: dict[str, Any] = {"pid": None, "loop": None, "bot": None, "key": None}


def request_timeout() -> float:
    return float(getattr(settings, "TELEGRAM_REQUEST_TIMEOUT", DEFAULT_TIMEOUT))


def make_bot() -> Bot:
    """A Bot for the configured token and API server (HTML by default, no link previews)."""
    base = settings.TELEGRAM_API_BASE
    session = AiohttpSession(timeout=request_timeout(), **({"api": TelegramAPIServer.from_base(base)} if base else {}))
    return Bot(
        settings.TELEGRAM_BOT_TOKEN,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)),
    )


def _complete(loop: asyncio.AbstractEventLoop, coroutine: Coroutine) -> Any:
    """loop.run_until_complete, also from a thread that is running a loop of its own (a
    loop cannot run inside another in one thread): then on a short-lived helper thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return loop.run_until_complete(coroutine)
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = loop.run_until_complete(coroutine)
        except BaseException as exc:  # noqa: BLE001  (re-raised in the caller's thread)
            result["error"] = exc

    helper = threading.Thread(target=run)
    helper.start()
    helper.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def _run(make_call) -> Any:
    """Run bot call made by make_call(bot) on this process's loop and return its result."""
    with _lock:
        if _state["pid"] != os.getpid():
            # A fork (or the first call): the parent's loop and connections are not ours.
            _state.update(pid=os.getpid(), loop=asyncio.new_event_loop(), bot=None, key=None)
        loop: asyncio.AbstractEventLoop = _state["loop"]
        key = (settings.TELEGRAM_BOT_TOKEN, settings.TELEGRAM_API_BASE, request_timeout())
        if _state["key"] != key:
            old: Bot | None = _state["bot"]
            if old is not None:
                _complete(loop, _close_quietly(old))
            _state.update(bot=make_bot(), key=key)
        call: Coroutine = make_call(_state["bot"])
        return _complete(loop, call)


async def _close_quietly(bot: Bot) -> None:
    try:
        await bot.session.close()
    except Exception:  # noqa: BLE001 — a broken old session must not stop the new one
        log.warning("could not close an old Telegram session")


def close() -> None:
    """Close the session (end of the worker); the next call opens a new one."""
    with _lock:
        if _state["pid"] == os.getpid() and _state["bot"] is not None:
            _complete(_state["loop"], _close_quietly(_state["bot"]))
            _state.update(bot=None, key=None)


def channel() -> str | int:
    chat = settings.TELEGRAM_CHANNEL_ID
    return int(chat) if chat.lstrip("-").isdigit() else chat


def _file(data: bytes, filename: str) -> BufferedInputFile:
    return BufferedInputFile(data, filename=filename)


def _upload_timeout() -> int:
    return int(request_timeout() * UPLOAD_TIMEOUT_FACTOR)


# --- calls ----------------------------------------------------------------------------


def send_text(chat_id, html: str) -> int:
    """Send a text message (Telegram HTML); the new message's id."""
    return _run(lambda bot: bot.send_message(chat_id, html)).message_id


def send_photo(chat_id, data: bytes, filename: str, caption: str = "") -> int:
    return _run(
        lambda bot: bot.send_photo(
            chat_id, _file(data, filename), caption=caption or None, request_timeout=_upload_timeout()
        )
    ).message_id


def send_video(chat_id, data: bytes, filename: str, caption: str = "") -> int:
    return _run(
        lambda bot: bot.send_video(
            chat_id, _file(data, filename), caption=caption or None, request_timeout=_upload_timeout()
        )
    ).message_id


def send_media_group(chat_id, items: list[tuple[str, bytes, str]], caption: str = "") -> list[int]:
    """Send an album of 2–10 items (kind "photo" or "video", data, filename); the caption goes on the first."""
    media = []
    for n, (kind, data, filename) in enumerate(items):
        cls = InputMediaVideo if kind == "video" else InputMediaPhoto
        text = caption if n == 0 and caption else None
        media.append(cls(media=_file(data, filename), caption=text, parse_mode=ParseMode.HTML if text else None))
    messages = _run(lambda bot: bot.send_media_group(chat_id, media, request_timeout=_upload_timeout()))
    return [m.message_id for m in messages]


def edit_text(chat_id, message_id: int, html: str) -> None:
    _run(lambda bot: bot.edit_message_text(html, chat_id=chat_id, message_id=message_id))


def edit_caption(chat_id, message_id: int, html: str) -> None:
    _run(lambda bot: bot.edit_message_caption(chat_id=chat_id, message_id=message_id, caption=html))


def delete_messages(chat_id, message_ids: list[int]) -> None:
    """Delete messages; ids Telegram no longer has are skipped by Telegram itself."""
    for start in range(0, len(message_ids), DELETE_BATCH):
        batch = list(message_ids[start : start + DELETE_BATCH])
        _run(lambda bot, batch=batch: bot.delete_messages(chat_id, batch))


def channel_member_count() -> int | None:
    """The channel's subscriber count, or None when the bridge is off or Telegram cannot say."""
    from homeward.telegram.services import bridge_enabled

    if not bridge_enabled():
        return None
    try:
        return int(_run(lambda bot: bot.get_chat_member_count(channel())))
    except Exception as exc:  # noqa: BLE001 — a count is nice to have; never break the daily job
        log.warning("Telegram member count unavailable (%s)", type(exc).__name__)
        return None
