"""Run the members' Telegram bot (long polling): `manage.py telegram_bot`."""

from __future__ import annotations

import asyncio

from django.conf import settings
from django.core.management.base import BaseCommand

from homeward.telegram.bot import build_dispatcher
from homeward.telegram.client import make_bot


async def _poll() -> None:
    bot = make_bot()
    # close_bot_session (the default) closes the bot's HTTP session when polling stops.
    await build_dispatcher().start_polling(bot, allowed_updates=["message"], handle_signals=True)


class Command(BaseCommand):
    help = "Answer /start, /link, /unlink and /channel in private chats with the bot."

    def handle(self, *args, **options):
        if not settings.TELEGRAM_BOT_TOKEN:
            self.stdout.write("The Telegram bridge is off (TELEGRAM_BOT_TOKEN is not set); nothing to do.")
            return
        self.stdout.write("The members' bot is polling Telegram; stop with SIGTERM or Ctrl-C.")
        asyncio.run(_poll())
