"""Fixtures for the actions' tests: English pages, an empty page cache, Telegram off unless asked."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from conftest import cast_in_english
from homeward.telegram.tests.conftest import _standin_server, telegram  # noqa: F401  (the stand-in Bot API)


@pytest.fixture(autouse=True)
def _actions_settings(_test_settings, settings):
    settings.LANGUAGE_CODE = "en"
    settings.TELEGRAM_BOT_TOKEN = ""
    settings.TELEGRAM_CHANNEL_ID = ""
    settings.ACTION_REVEAL_HOURS = 3
    settings.ACTION_PURGE_DAYS = 14
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(cast):
    """The standard cast, reading pages in English (assertions read the English text)."""
    return cast_in_english(cast)
