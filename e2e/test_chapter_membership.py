"""Joining and leaving an open chapter says so on the chapter's page, with JavaScript
(htmx swaps the membership box) and without (post/redirect/get)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import make_account
from e2e.conftest import TEST_PASSPHRASE
from homeward.chapters.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_join_and_leave_say_so_here_and_nowhere_else(web, request, chapter_a):
    account = make_account("follower_1")
    web.sign_in("follower_1", TEST_PASSPHRASE)
    page = web.page

    for action, other in [("join", "leave"), ("leave", "join")]:
        web.go("/chapters/ru-mow/")
        button = page.locator(f"form[action$='/chapters/ru-mow/{action}/'] button")
        if web.js:
            web.submit_htmx(button, f"/chapters/ru-mow/{action}/")
        else:
            web.submit(button)
        assert web.path() == "/chapters/ru-mow/"
        expect(page.locator(f"form[action$='/chapters/ru-mow/{other}/'] button")).to_be_visible()
        assert Membership.objects.filter(account=account, chapter=chapter_a).exists() is (action == "join")
        expect(page.locator("main ul.messages li")).to_have_count(1)
        # Said once, where it happened: the next page carries no stale message.
        web.go("/settings/")
        expect(page.locator("main ul.messages")).to_have_count(0)
