"""Run the web server (gunicorn), the task worker and the scheduler together.

Ctrl-C (SIGINT) or SIGTERM stops all three. This is what `make run` calls.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Homeward with gunicorn, the django-tasks worker and the daily scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--workers", default=os.environ.get("WEB_CONCURRENCY", "2"))

    def handle(self, *args, host, port, workers, **options):
        python = sys.executable
        manage = [python, "manage.py"]
        commands = {
            "web": [
                python,
                "-m",
                "gunicorn",
                "homeward.wsgi:application",
                "--config",
                "python:homeward.gunicorn_conf",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(workers),
            ],
            "worker": [*manage, "db_worker", "--interval", "1"],
            "scheduler": [*manage, "scheduler"],
        }
        if settings.TELEGRAM_BOT_TOKEN:
            commands["telegram-outbox"] = [*manage, "telegram_outbox"]
            commands["telegram-bot"] = [*manage, "telegram_bot"]
        children = {name: subprocess.Popen(cmd) for name, cmd in commands.items()}  # noqa: S603
        self.stdout.write(self.style.SUCCESS(f"Homeward is at http://{host}:{port}/ — Ctrl-C stops it."))

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"{name} exited with {child.returncode}; stopping the rest")
                        stopping = True
                time.sleep(0.5)
        finally:
            for child in children.values():
                if child.poll() is None:
                    child.terminate()
            for child in children.values():
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
