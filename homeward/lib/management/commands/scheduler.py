"""Enqueue the daily jobs once a day. `make run` starts it beside the worker.

In production run it as a service, or call it from cron with --once
(see docs/deployment.md).
"""

import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from homeward.lib.scheduling import enqueue_due


class Command(BaseCommand):
    help = "Enqueue daily jobs (idempotent); loops unless --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="enqueue what is due and exit")
        parser.add_argument("--interval", type=int, default=300, help="seconds between checks")

    def handle(self, *args, once=False, interval=300, **options):
        import homeward.lib.tasks  # noqa: F401  (registers the core's jobs)

        while True:
            for name in enqueue_due(today=timezone.localdate()):
                self.stdout.write(f"enqueued {name}")
            if once:
                return
            time.sleep(interval)
