"""Browser fixtures: the system Chromium driven by Playwright's sync API.

Every flow runs twice, with JavaScript on and off (PRIVACY.md rule 6), and every
request the page makes is recorded so a test fails on anything that leaves the
platform's own origin (rule 5) or trips the Content-Security-Policy.
"""

from __future__ import annotations

import base64
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop in the test thread; Django would then
# refuse the ORM calls the tests make to set up and check the database.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000

STYLESHEET = "/static/css/homeward.css"
FAVICON = "/static/favicon.svg"
HTMX = "/static/vendor/htmx-2.0.11.min.js"

# The submit button of the form in the page's content; the header's sign-out and
# language forms have their own selectors.
MAIN_SUBMIT = "main form[method=post] button[type=submit]"
SIGN_OUT = "header form[action$='/logout/'] button"
LANGUAGE = "header form.lang button, header a.lang"  # a link for visitors, a form when signed in

PASSPHRASE = "lantern orchard pebble violin harbor meadow"
TEST_PASSPHRASE = "a long test passphrase"  # what conftest.make_account sets


class FormPostRefused(AssertionError):
    """The server answered a form POST that the browser sent with 403 Forbidden."""


@dataclass
class Web:
    """One browser tab plus what it sent over the network."""

    page: object
    origin: str
    js: bool
    requests: list[str] = field(default_factory=list)
    posts: list[tuple[str, dict]] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    console: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.origin + path

    def path(self) -> str:
        return self.page.url.removeprefix(self.origin)

    def go(self, path: str, *, status: int = 200):
        response = self.page.goto(self.url(path))
        assert response is not None
        assert response.status == status, f"GET {path} answered {response.status}"
        return response

    def _check_post(self, response) -> None:
        if response is not None and response.request.method == "POST" and response.status == 403:
            origin = response.request.headers.get("origin")
            self.refused.append(response.url)
            raise FormPostRefused(f"POST {response.url.removeprefix(self.origin)} answered 403 (Origin: {origin})")

    def submit(self, button: str | object = MAIN_SUBMIT) -> None:
        """Click a submit button and wait for the page that the POST leads to."""
        locator = self.page.locator(button) if isinstance(button, str) else button
        with self.page.expect_navigation() as navigation:
            locator.click()
        self._check_post(navigation.value)

    def submit_htmx(self, button, url_end: str) -> None:
        """Click a button whose form htmx posts in the background (JavaScript on)."""
        with self.page.expect_response(lambda r: r.url.endswith(url_end) and r.request.method == "POST") as answer:
            button.click()
        self._check_post(answer.value)

    def offsite(self) -> list[str]:
        return [
            u
            for u in self.requests
            if not (u == self.origin or u.startswith(self.origin + "/") or u.startswith("data:"))
        ]

    def csp_violations(self) -> list[str]:
        return [m for m in self.console if "Content Security Policy" in m]

    def signed_in(self) -> bool:
        return self.page.locator(SIGN_OUT).count() == 1

    def lang(self) -> str | None:
        return self.page.locator("html").get_attribute("lang")

    # --- steps used by several tests ---------------------------------------------

    def sign_up(self, handle: str, passphrase: str = PASSPHRASE, passphrase2: str | None = None) -> None:
        self.go("/signup/")
        self.page.locator("input[name=handle]").fill(handle)
        self.page.locator("input[name=passphrase]").fill(passphrase)
        self.page.locator("input[name=passphrase2]").fill(passphrase if passphrase2 is None else passphrase2)
        self.submit()

    def sign_in(self, handle: str, passphrase: str) -> None:
        self.go("/login/")
        self.page.locator("input[name=handle]").fill(handle)
        self.page.locator("input[name=passphrase]").fill(passphrase)
        self.submit()

    def sign_out(self) -> None:
        self.submit(SIGN_OUT)
        assert self.path() == "/"
        assert not self.signed_in()


def totp_code(secret_b32: str, *, ahead: int = 0) -> str:
    """The six digits an authenticator app shows for this secret, `ahead` steps from now."""
    from django_otp.oath import TOTP

    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    totp = TOTP(bytes(key), 30, 0, 6, 0)
    totp.time = time.time() + 30 * ahead
    return str(totp.token()).zfill(6)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium not found at /usr/bin/chromium: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def web(request, browser, live_server):
    """A fresh browser context (no cookies) with JavaScript on or off, and its traffic log."""
    context = browser.new_context(java_script_enabled=request.param)
    context.set_default_timeout(TIMEOUT_MS)
    web = Web(page=None, origin=live_server.url, js=request.param)
    context.on("request", lambda r: web.requests.append(r.url))
    context.on("request", lambda r: r.method == "POST" and web.posts.append((r.url, r.headers)))
    context.on("response", lambda r: web.statuses.__setitem__(r.url, r.status))
    context.on("console", lambda m: m.type in {"error", "warning"} and web.console.append(m.text))
    web.page = context.new_page()
    yield web
    context.close()
    assert web.offsite() == [], "requests left the platform's origin"
    if not web.refused:
        # A refused POST shows Django's own 403 page, whose inline <style> the CSP
        # blocks; test_refused_post_page_is_ours covers that page.
        assert web.csp_violations() == [], "Content Security Policy violations"


@pytest.fixture
def other_tab(web, browser):
    """A second browser (its own cookies) with the same JavaScript setting, for the coordinator."""
    context = browser.new_context(java_script_enabled=web.js)
    context.set_default_timeout(TIMEOUT_MS)
    tab = Web(page=None, origin=web.origin, js=web.js)
    context.on("request", lambda r: tab.requests.append(r.url))
    context.on("console", lambda m: m.type in {"error", "warning"} and tab.console.append(m.text))
    tab.page = context.new_page()
    yield tab
    context.close()
    assert tab.offsite() == [], "requests left the platform's origin"
    assert tab.csp_violations() == [], "Content Security Policy violations"


def sign_in_with_code(web, account) -> None:
    """Sign in as an account with a confirmed second factor, typing its current code."""
    web.sign_in(account.handle, TEST_PASSPHRASE)
    assert web.path() == "/login/code/"
    device = account.totp_devices.get(confirmed=True)
    web.page.locator("input[name=token]").fill(totp_code(base64.b32encode(device.bin_key).decode()))
    web.submit()
    assert web.signed_in()
