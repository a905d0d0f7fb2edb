"""Fixtures for the actions' tests: English pages, an empty page cache, Telegram off unless asked."""

from __future__ import annotations

import pytest
from django.core.cache import cache

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
    from homeward.accounts.models import Account

    accounts = [a for a in cast.values() if a is not None]
    Account.objects.filter(pk__in=[a.pk for a in accounts]).update(language="en")
    for account in accounts:
        account.language = "en"
    return cast
