"""A member's loved one and his service clock in a real browser, with JavaScript on and off."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_account
from e2e.conftest import TEST_PASSPHRASE
from homeward.families.models import LovedOne, StatusChange

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MOBILIZED = dt.date(2022, 9, 21)
HOME_ON = dt.date(2024, 6, 15)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The statistics and public pages are cached in this process, keyed by version
    counters that the database flush between tests resets: start each test clean."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_loved_one_clock_status_and_stats(web, chapter_a):
    page = web.page
    member = make_account("member_mow", chapter=chapter_a)
    web.sign_in("member_mow", TEST_PASSPHRASE)
    assert web.path() == "/"
    assert web.signed_in()

    # Record a loved one.
    web.go("/family/add/")
    form = page.locator("main form[method=post]")
    form.locator("select[name=relation]").select_option(value="son")
    form.locator("input[name=mobilized_on]").fill(MOBILIZED.isoformat())
    form.locator("select[name=region]").select_option(value=str(chapter_a.region_id))
    form.locator("select[name=status]").select_option(value="serving")
    web.submit(form.locator("button[type=submit]"))
    match = re.fullmatch(r"/family/(\d+)/", web.path())
    assert match, web.path()
    loved_one = LovedOne.objects.get(owner=member)
    assert int(match.group(1)) == loved_one.pk
    assert (loved_one.relation, loved_one.mobilized_on, loved_one.region_id, loved_one.status) == (
        "son",
        MOBILIZED,
        chapter_a.region_id,
        "serving",
    )
    assert loved_one.status_since == MOBILIZED  # "since" left empty: the date of mobilization

    # The detail page: the clock and its chart (an accessible SVG with a title).
    expect(page.locator("#days-served")).to_be_visible()
    served_today = (timezone.localdate() - MOBILIZED).days
    assert str(served_today) in page.locator("#days-served").inner_text()
    chart_title = page.locator("main figure svg[role=img] title")
    expect(chart_title).to_have_count(1)
    assert chart_title.text_content().strip()
    expect(page.locator("ol.history li")).to_have_count(1)

    # The clock as of a chosen day: 21 Sep 2022 to 3 Feb 2024 is 500 days.
    page.locator("main form.asof input[name=as_of]").fill("2024-02-03")
    web.submit("main form.asof button[type=submit]")
    assert web.path() == f"/family/{loved_one.pk}/?as_of=2024-02-03"
    assert re.search(r"\b500\b", page.locator("#days-served").inner_text())
    expect(page.locator("main form.asof input[name=as_of]")).to_have_value("2024-02-03")

    # He is home: the status form adds a dated entry to the history, and the clock stops.
    status_form = page.locator(f"main form[action$='/family/{loved_one.pk}/status/']")
    status_form.locator("select[name=status]").select_option(value="home")
    status_form.locator("input[name=on]").fill(HOME_ON.isoformat())
    web.submit(status_form.locator("button[type=submit]"))
    assert web.path() == f"/family/{loved_one.pk}/"
    history = page.locator("ol.history li")
    expect(history).to_have_count(2)
    expect(history.nth(1)).to_contain_text(HOME_ON.strftime("%d.%m.%Y"))
    assert str((HOME_ON - MOBILIZED).days) in page.locator("#days-served").inner_text()
    loved_one.refresh_from_db()
    assert (loved_one.status, loved_one.status_since, loved_one.service_ended_on) == ("home", HOME_ON, HOME_ON)
    assert list(StatusChange.objects.filter(loved_one=loved_one).values_list("status", "on")) == [
        ("serving", MOBILIZED),
        ("home", HOME_ON),
    ]

    # A visitor's statistics: one loved one is fewer than k, so the count is withheld.
    web.sign_out()
    web.go("/stats/")
    figure = page.locator("#fig-loved-ones")
    expect(figure).to_have_count(1)
    text = figure.inner_text().strip()
    assert text != "1"
    assert not re.fullmatch(r"\d+", text)
    assert str(settings.K_ANONYMITY) in text
    members = page.locator("#fig-members").inner_text().strip()
    assert members != "1"
    assert str(settings.K_ANONYMITY) in members
    # The chapter's own row withholds the small counts too.
    cells = page.locator("#group-ru-mow td").all_inner_texts()
    assert cells, "the chapter's row is missing"
    assert "1" not in [c.strip() for c in cells]
