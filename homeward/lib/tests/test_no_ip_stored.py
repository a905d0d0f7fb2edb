"""No IP anywhere (PRIVACY.md): drive requests from a distinctive address and user agent;
neither may appear in the database, the logs or the media folder."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from homeward.lib.tests.rawdump import database_bytes, media_bytes

ADDRESS = "198.51.100.173"
AGENT = "CanaryAgent/7.3 (zq-no-store)"
FORWARDED = "203.0.113.219"
HEADERS = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT, "HTTP_X_FORWARDED_FOR": FORWARDED}
MARKERS = [ADDRESS, AGENT, FORWARDED]


@pytest.mark.django_db(transaction=True)
def test_no_address_or_agent_in_database_or_logs(chapter_a, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    client = Client(**HEADERS)
    # Sign up, sign out, fail to sign in, sign in, join a chapter, a 404.
    phrase = "sturdy lantern orbit walrus pepper canyon"
    client.post(reverse("accounts:signup"), {"handle": "ipcheck", "passphrase": phrase, "passphrase2": phrase})
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"handle": "ipcheck", "passphrase": "wrong wrong wrong"})
    client.post(reverse("accounts:login"), {"handle": "ipcheck", "passphrase": phrase})
    client.post(reverse("chapters:join", args=[chapter_a.slug]))
    client.get("/no/such/page/")
    client.post(
        reverse("accounts:recover"), {"handle": "ipcheck", "code": "nope", "passphrase": "x", "passphrase2": "x"}
    )

    from homeward.accounts.models import Account

    assert Account.objects.filter(handle="ipcheck", memberships__chapter=chapter_a).exists(), "the flow must have run"

    seized = database_bytes() + media_bytes()
    logged = caplog.text + "".join(capfd.readouterr())
    assert "no/such/page" in logged, "the log capture must see request logging, or this test proves nothing"
    for marker in MARKERS:
        assert marker.encode() not in seized, f"{marker} stored in the database or media"
        assert marker not in logged, f"{marker} written to the logs"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db(transaction=True)
def test_gunicorn_access_log_has_no_address_or_agent(tmp_path: Path):
    """The real server's access log, as configured in homeward/gunicorn_conf.py."""
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "homeward.settings", "ALLOWED_HOSTS": "127.0.0.1"}
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        env["SQLITE_PATH"] = settings.DATABASES["default"]["NAME"]
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "homeward.wsgi:application",
                "--config",
                "python:homeward.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=settings.BASE_DIR,
        )
        try:
            for _ in range(100):
                try:
                    request = urllib.request.Request(  # noqa: S310
                        f"http://127.0.0.1:{port}/login/", headers={"User-Agent": AGENT, "X-Forwarded-For": FORWARDED}
                    )
                    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                        assert response.status == 200
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail("gunicorn did not start: " + log.read_text())
        finally:
            server.terminate()
            server.wait(timeout=10)
    text = log.read_text()
    assert "GET /login/" in text, "the access log must have the request line, or this proves nothing"
    for marker in [AGENT, FORWARDED, "127.0.0.1 -"]:
        assert marker not in text
