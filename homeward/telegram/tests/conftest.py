"""The Telegram tests run the real bridge (aiogram over HTTP) against a stand-in Bot API server."""

from __future__ import annotations

import pytest

from homeward.telegram.tests.standin import StandInBotAPI

TOKEN = "123456:TEST-stand-in-token"
CHANNEL = "@homeward_test_channel"
PUBLIC_URL = "https://homeward.example"


@pytest.fixture(scope="session")
def _standin_server():
    from homeward.telegram import client

    server = StandInBotAPI(TOKEN).start()
    yield server
    client.close()
    server.stop()


@pytest.fixture
def telegram(_standin_server, settings):
    """The bridge switched on and pointed at a fresh stand-in server (its calls and messages)."""
    _standin_server.reset()
    settings.TELEGRAM_BOT_TOKEN = TOKEN
    settings.TELEGRAM_CHANNEL_ID = CHANNEL
    settings.TELEGRAM_API_BASE = _standin_server.base
    settings.TELEGRAM_REQUEST_TIMEOUT = 1
    settings.HOMEWARD_PUBLIC_URL = PUBLIC_URL
    settings.LANGUAGE_CODE = "ru"
    yield _standin_server
    _standin_server.reset()
