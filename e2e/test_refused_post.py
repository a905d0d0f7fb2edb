"""A form whose CSRF cookie is gone (cookies cleared, Tor Browser's "New Identity")
is refused; the person must still get a page in her language that the CSP allows
(PRIVACY.md rules 5 and 10), not Django's English debugging page."""

from __future__ import annotations

import pytest

from e2e.conftest import MAIN_SUBMIT, STYLESHEET


class NotOurPage(AssertionError):
    """The refusal page is not the platform's own."""


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_refused_post_page_is_ours(web):
    web.go("/login/")
    web.page.locator("input[name=handle]").fill("lena.k")
    web.page.context.clear_cookies()
    with web.page.expect_navigation() as navigation:
        web.page.locator(MAIN_SUBMIT).click()
    # Django's 403 page is known to trip the CSP; this test checks it, not the fixture.
    web.refused.append(navigation.value.url)
    assert navigation.value.status == 403
    problems = []
    if web.lang() != "ru":
        problems.append(f"<html lang={web.lang()!r}>, not the visitor's Russian")
    if web.page.locator(f"link[rel=stylesheet][href='{STYLESHEET}']").count() != 1:
        problems.append("not drawn with the platform's stylesheet")
    problems += web.csp_violations()
    if problems:
        raise NotOurPage("; ".join(problems))
