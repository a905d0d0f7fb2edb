"""No third-party requests (PRIVACY.md rule 5): every page type, loaded in Chromium,
asks nothing of any origin but the platform's own, and its own assets load."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_account
from e2e.conftest import FAVICON, HTMX, STYLESHEET, TEST_PASSPHRASE
from homeward.chapters import services as chapter_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PUBLIC_PAGES = [
    "/",
    "/signup/",
    "/login/",
    "/recover/",
    "/chapters/",
    "/chapters/ru-mow/",
    "/invite/{token}/",
    "/channel/",
    "/stats/",
    "/actions/",
    "/actions/stats/",
    "/appeals/",
    "/questions/",
]
SIGNED_IN_PAGES = [
    "/",
    "/family/",
    "/family/add/",
    "/notices/",
    "/channel/",
    "/settings/telegram/",
    "/chapters/",
    "/chapters/ru-mow/",
    "/invite/{token}/",
    "/settings/",
    "/settings/passphrase/",
    "/settings/2fa/",
    "/settings/delete/",
    "/appeals/",
    "/questions/",
    "/questions/mine/",
]


@pytest.fixture
def invite_token(chapter_a, chapter_b):
    coordinator = make_account("coord_spe", chapter=chapter_b, role="coordinator", totp=True)
    return chapter_services.invite_create(actor=coordinator, chapter=chapter_b, now=timezone.now(), days=3, max_uses=1)


def load_every_page(web, pages, token, *, signed_in):
    for template in pages:
        path = template.format(token=token)
        response = web.go(path)
        assert web.path() == path
        assert web.signed_in() is signed_in
        # The page names only its own stylesheet and script, by path.
        assert [e.get_attribute("href") for e in web.page.locator("link[href]").all()] == [FAVICON, STYLESHEET]
        assert [e.get_attribute("src") for e in web.page.locator("[src]").all()] == [HTMX]
        headers = response.headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["referrer-policy"] == "same-origin"  # nothing sent to other sites
        if signed_in:
            assert "no-store" in headers["cache-control"]


def assert_only_own_origin_and_assets_loaded(web):
    assert web.requests, "the recorder saw no requests"
    assert web.offsite() == []
    assert web.statuses[web.url(STYLESHEET)] == 200
    if web.js:
        assert web.statuses[web.url(HTMX)] == 200
    else:
        # Chromium does not fetch scripts it may not run; the script is still served.
        assert web.url(HTMX) not in web.requests
        assert web.page.request.get(web.url(HTMX)).status == 200
    assert web.csp_violations() == []


def test_no_third_party_requests_as_visitor(web, invite_token):
    load_every_page(web, PUBLIC_PAGES, invite_token, signed_in=False)

    # "Suggest another" passphrase: htmx fetches a fragment, or the link reloads the page.
    web.go("/signup/")
    before = web.page.locator("#suggestion").inner_text()
    web.page.locator("a[href$='/signup/?suggest=1']").click()
    expect(web.page.locator("#suggestion")).not_to_have_text(before)
    assert web.path() == ("/signup/" if web.js else "/signup/?suggest=1")

    assert_only_own_origin_and_assets_loaded(web)


def test_no_third_party_requests_as_member(web, invite_token, chapter_a):
    make_account("member_mow", chapter=chapter_a)
    web.sign_in("member_mow", TEST_PASSPHRASE)
    assert web.path() == "/"
    load_every_page(web, SIGNED_IN_PAGES, invite_token, signed_in=True)
    # Signed in, the sign-up page sends her home.
    web.go("/signup/")
    assert web.path() == "/"
    assert_only_own_origin_and_assets_loaded(web)
