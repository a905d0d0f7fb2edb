"""The header's language button switches Russian ↔ English, for visitors and accounts."""

from __future__ import annotations

import pytest

from conftest import make_account
from e2e.conftest import LANGUAGE, TEST_PASSPHRASE
from homeward.accounts.models import Account

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_language_switch(web, chapter_a):
    # A visitor: Russian first, the choice kept in a cookie and on the same page.
    web.go("/chapters/")
    assert web.lang() == "ru"
    web.submit(LANGUAGE)
    assert web.path() == "/chapters/"
    assert web.lang() == "en"
    web.go("/")
    assert web.lang() == "en"
    web.submit(LANGUAGE)
    assert web.path() == "/"
    assert web.lang() == "ru"

    # An account: the choice is stored on the account.
    account = make_account("member_mow", chapter=chapter_a)
    web.sign_in("member_mow", TEST_PASSPHRASE)
    web.go("/settings/")
    assert web.lang() == "ru"
    web.submit(LANGUAGE)
    assert web.path() == "/settings/"
    assert web.lang() == "en"
    account.refresh_from_db()
    assert account.language == "en"
    web.go("/chapters/ru-mow/")
    assert web.lang() == "en"
    web.submit(LANGUAGE)
    assert web.lang() == "ru"
    assert Account.objects.get(pk=account.pk).language == "ru"
