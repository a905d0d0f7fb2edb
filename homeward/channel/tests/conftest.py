"""Fixtures for the channel's tests: English pages, a media folder and a page cache of their own."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from conftest import cast_in_english


@pytest.fixture(autouse=True)
def _channel_settings(_test_settings, settings, tmp_path):
    """Each test gets an empty media folder (so "no file left" is exact) and an empty page cache.

    The page cache lives in the process while the database is rolled back after each
    test, so a cached page of one test could otherwise be served in the next.
    """
    settings.LANGUAGE_CODE = "en"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ANONYMOUS_CACHE_SECONDS = 30
    settings.TELEGRAM_BOT_TOKEN = ""
    settings.TELEGRAM_CHANNEL_ID = ""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def cast(cast):
    """The standard cast, reading pages in English (assertions read the English text)."""
    return cast_in_english(cast)
