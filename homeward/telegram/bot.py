"""The members' bot: /start, /link CODE, /unlink, /channel — in Russian, in private chats only.

The replies are plain functions (``reply_*``) that tests call without polling; the
aiogram router below only passes the chat id and the command's argument to them.
Nothing about a Telegram user is stored but the linked chat's id (encrypted) and its
blind index: no name, no username, no phone.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from aiogram import Dispatcher, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from homeward.telegram import services
from homeward.telegram.render import post_url, to_telegram_html, visible_text
from homeward.telegram.worker import refresh_connections

BOT_LANGUAGE = "ru"
CHANNEL_POSTS = 3
FIRST_LINE_MAX = 120


def _in_russian(func):
    def wrapper(*args, **kwargs):
        with translation.override(BOT_LANGUAGE):
            return func(*args, **kwargs)

    wrapper.__name__, wrapper.__doc__ = func.__name__, func.__doc__
    return wrapper


@_in_russian
def reply_start() -> str:
    """What the bot is and how to link an account."""
    return escape(
        _(
            "Hello! This is the bot of %(site)s. It sends notifications to members who link their "
            "account to this chat.\n\n"
            "To link: on the site, open Settings → Telegram, make a code and send it here as /link CODE.\n"
            "/unlink — unlink this chat\n"
            "/channel — the latest posts of the channel"
        )
        % {"site": settings.HOMEWARD_NAME},
        quote=False,
    )


@_in_russian
def reply_link(*, chat_id: int, code: str, now: dt.datetime | None = None) -> str:
    if not code.strip():
        return escape(_("Send the code from your settings page like this: /link CODE"), quote=False)
    result = services.chat_link(code=code, chat_id=chat_id, now=now or timezone.now())
    if result is services.LinkResult.LINKED:
        text = _("Linked. Notifications from %(site)s will come to this chat. Send /unlink to stop them.") % {
            "site": settings.HOMEWARD_NAME
        }
    elif result is services.LinkResult.EXPIRED:
        text = _("This code has expired. Make a new one in your settings.")
    else:
        text = _("This code is not valid. Check it, or make a new one in your settings.")
    return escape(text, quote=False)


@_in_russian
def reply_unlink(*, chat_id: int) -> str:
    if services.chat_unlink(chat_id=chat_id):
        return escape(_("This chat is unlinked. No more notifications will come here."), quote=False)
    return escape(_("This chat is not linked to an account."), quote=False)


@_in_russian
def reply_detained(*, chat_id: int, now: dt.datetime | None = None) -> str:
    """/detained: the same alarm as the button on the action page, for a linked chat."""
    from homeward.actions.services import TelegramDetained, detained_from_telegram
    from homeward.telegram.models import TelegramLink

    link = TelegramLink.objects.select_related("account").filter(chat_index=services.chat_index(chat_id)).first()
    if link is None:
        return escape(_("This chat is not linked to an account."), quote=False)
    result = detained_from_telegram(link.account, now=now)
    if result.outcome is TelegramDetained.RECORDED:
        text = _("The alarm is sent to the chapter's coordinators and the lawyers.")
    elif result.outcome is TelegramDetained.ALREADY:
        text = _("The alarm was already sent. Coordinators and lawyers know.")
    else:
        text = _("You are not checked in at an action today.")
    return escape(text, quote=False)


def _first_line(post) -> str:
    text = visible_text(to_telegram_html(post.body_html))
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return line if len(line) <= FIRST_LINE_MAX else line[: FIRST_LINE_MAX - 1].rstrip() + "…"


@_in_russian
def reply_channel() -> str:
    """The latest public posts: the first line of each and a link to it."""
    from homeward.channel.selectors import public_posts

    posts = list(public_posts()[:CHANNEL_POSTS])
    if not posts:
        return escape(_("The channel has no posts yet."), quote=False)
    lines = []
    for post in posts:
        entry = "• " + escape(_first_line(post) or _("(a post without text)"), quote=False)
        url = post_url(post)
        if url:
            entry += f'\n<a href="{escape(url, quote=True)}">{escape(url, quote=False)}</a>'
        lines.append(entry)
    return "\n\n".join(lines)


# --- aiogram wiring -------------------------------------------------------------------


async def _sync(func, **kwargs) -> str:
    """Run a reply function in Django's thread, with a fresh database connection if the old one aged."""

    def call():
        refresh_connections()
        return func(**kwargs)

    return await sync_to_async(call)()


async def on_start(message: Message) -> None:
    await message.answer(await _sync(reply_start))


async def on_link(message: Message, command: CommandObject) -> None:
    await message.answer(await _sync(reply_link, chat_id=message.chat.id, code=command.args or ""))


async def on_unlink(message: Message) -> None:
    await message.answer(await _sync(reply_unlink, chat_id=message.chat.id))


async def on_detained(message: Message) -> None:
    await message.answer(await _sync(reply_detained, chat_id=message.chat.id))


async def on_channel(message: Message) -> None:
    await message.answer(await _sync(reply_channel))


def build_dispatcher() -> Dispatcher:
    """A dispatcher with the members' commands (a new router each time: a router joins one dispatcher)."""
    router = Router(name="homeward-members")
    # Only private chats: linking a group would send personal notifications to many people.
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.message.register(on_start, CommandStart())
    router.message.register(on_start, Command("help"))
    router.message.register(on_link, Command("link"))
    router.message.register(on_unlink, Command("unlink"))
    router.message.register(on_channel, Command("channel"))
    router.message.register(on_detained, Command("detained"))
    router.message.register(on_start)  # anything else: say what the bot does
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher
