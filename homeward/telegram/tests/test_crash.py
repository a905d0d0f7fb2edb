"""Exactly once across a crash: the worker dies between a part's record and the acknowledgement.

The worker runs as a real process (`manage.py telegram_outbox --once`) on the test
database; the failpoint makes it exit right after committing the first part's message
id. A second run must send what is left and nothing twice.
"""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from conftest import TEST_DATA_KEY, TEST_INDEX_KEY
from homeward.telegram.models import ChannelMessage, OutboxEntry
from homeward.telegram.tests.conftest import CHANNEL, TOKEN


def _database_env() -> dict[str, str]:
    """Point a child process at the test database (SQLite file or PostgreSQL)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": str(db["NAME"]), "DATABASE_URL": ""}
    user = quote(db.get("USER") or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return {"DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"}


def run_worker(telegram, **extra_env) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        **_database_env(),
        "DJANGO_SETTINGS_MODULE": "homeward.settings",
        "HOMEWARD_DATA_KEY": TEST_DATA_KEY,
        "HOMEWARD_INDEX_KEY": TEST_INDEX_KEY,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_CHANNEL_ID": CHANNEL,
        "TELEGRAM_API_BASE": telegram.base,
    }
    env.pop("HOMEWARD_TELEGRAM_FAILPOINT", None)
    env.update(extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "telegram_outbox", "--once"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.django_db(transaction=True)
def test_a_crash_between_send_and_acknowledgement_neither_duplicates_nor_loses(telegram):
    from homeward.channel.services import post_create

    body = "\n\n".join(f"Часть {n}. " + " ".join(["слово"] * 600) for n in range(2))  # two messages
    post = post_create(
        author=None,
        body=body,
        visibility="public",
        chapter=None,
        images=[],
        video=None,
        action="publish",
        publish_at=None,
        now=timezone.now(),
    )

    crashed = run_worker(telegram, HOMEWARD_TELEGRAM_FAILPOINT="after_send_record")

    assert crashed.returncode == 3, crashed.stderr
    entry = OutboxEntry.objects.get(post_key=post.pk)
    [first] = telegram.calls_to("sendMessage")
    assert entry.state == OutboxEntry.State.PENDING and entry.parts_sent == 1  # recorded, not acknowledged
    assert len(entry.message_ids) == 1

    again = run_worker(telegram)

    assert again.returncode == 0, again.stderr
    sent = telegram.calls_to("sendMessage")
    assert len(sent) == 2, "the recorded part must not be sent again"
    assert sent[0] is first
    assert sent[0].params["text"].startswith("Часть 0.") and sent[1].params["text"].startswith("Часть 1.")
    entry.refresh_from_db()
    assert entry.state == OutboxEntry.State.DELIVERED and entry.parts_sent == 2
    messages = telegram.channel_messages()
    assert [m["message_id"] for m in messages] == entry.message_ids
    assert ChannelMessage.objects.get(post_key=post.pk).message_ids == entry.message_ids

    from homeward.telegram import worker

    assert worker.drain() == 0  # and a later run finds nothing to do
    assert len(telegram.calls_to("sendMessage")) == 2
