"""Deliver the Telegram outbox: `manage.py telegram_outbox` (runs until stopped) or `--once`."""

from __future__ import annotations

import fcntl
import signal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from homeward.telegram import worker


class Command(BaseCommand):
    help = "Deliver posts and notifications queued for Telegram (run exactly one of these)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="deliver what is due now, then exit")

    def handle(self, *args, once: bool = False, **options):
        if not settings.TELEGRAM_BOT_TOKEN:
            self.stdout.write("The Telegram bridge is off (TELEGRAM_BOT_TOKEN is not set); nothing to do.")
            return
        # One worker per machine: two would send the same part twice.
        lock_path = Path(settings.VAR_DIR) / "telegram-outbox.lock"
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with lock_path.open("w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise CommandError("another telegram_outbox worker is running") from exc
            if once:
                tried = worker.drain()
                worker.client.close()
                self.stdout.write(f"Tried {tried} outbox entries.")
                return
            stop = {"now": False}

            def request_stop(signum, frame):
                stop["now"] = True

            signal.signal(signal.SIGTERM, request_stop)
            signal.signal(signal.SIGINT, request_stop)
            self.stdout.write("Delivering the Telegram outbox; stop with SIGTERM or Ctrl-C.")
            worker.run_forever(should_stop=lambda: stop["now"])
