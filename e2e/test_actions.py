"""A street action in real browsers, with JavaScript on and off: a coordinator plans it, a member
says she is coming and sees the place revealed (only once the reveal time has come), checks in,
presses "I have been detained", the coordinator sees the alert, and the member checks out."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_account
from e2e.conftest import TEST_PASSPHRASE, sign_in_with_code
from homeward.actions.models import Action, CheckIn, Detention
from homeward.actions.tests.builders import make_action
from homeward.notices.models import Notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PLACE = "Сквер у Вечного огня, северная аллея, у пятой скамьи"
PLACE_LATER = "Набережная, у памятника, со стороны реки"
LAWYERS = "Адвокат Ирина: +7 900 000-11-22"


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def press(web, button_id: str, url_end: str, *, htmx: bool = True) -> None:
    """Press a button of the participation block: htmx swaps it with JavaScript on, a plain
    POST and redirect without (the alarm is always a plain POST)."""
    button = web.page.locator(f"#{button_id}")
    if web.js and htmx:
        web.submit_htmx(button, url_end)
    else:
        web.submit(button)


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_plan_come_see_the_place_check_in_detained_alert_check_out(web, other_tab, chapter_a):
    coordinator = make_account("coord_mow", chapter=chapter_a, role="coordinator", totp=True)
    lawyer = make_account("lawyer_olga")
    member = make_account("member_mow", chapter=chapter_a)
    coord, page = other_tab, web.page

    # The coordinator plans a flower-laying starting in an hour: within the reveal window.
    sign_in_with_code(coord, coordinator)
    coord.go("/actions/new/")
    form = coord.page.locator("main form[method=post]")
    starts = timezone.now() + dt.timedelta(hours=1)
    form.locator("input[name=title]").fill("Возложение цветов к Вечному огню")
    form.locator("select[name=kind]").select_option(value="flower_laying")
    form.locator("input[name=city]").fill("Москва")
    form.locator("textarea[name=place]").fill(PLACE)
    form.locator("input[name=starts_at]").fill(local(starts))
    form.locator("input[name=ends_at]").fill(local(starts + dt.timedelta(hours=2)))
    expect(form.locator("input[name=reveal_hours]")).to_have_value("3")
    form.locator("textarea[name=lawyers_contacts]").fill(LAWYERS)
    form.locator("input[name=lawyers]").fill("lawyer_olga")
    coord.submit(form.locator("button[type=submit]"))
    match = re.fullmatch(r"/actions/(\d+)/manage/", coord.path())
    assert match, coord.path()
    action = Action.objects.get(pk=int(match.group(1)))
    assert (action.chapter, action.place, list(action.lawyers.all())) == (chapter_a, PLACE, [lawyer])
    expect(coord.page.locator("#manage-place")).to_contain_text(PLACE)
    # Too close for the advisable notice: the warning stands beside the article.
    expect(coord.page.locator("#too-close")).to_be_visible()
    expect(coord.page.locator("#notice-window")).to_contain_text("54-")
    # A second action, two days away: its place is not due yet.
    later = make_action(chapter=chapter_a, starts_in=dt.timedelta(days=2), place=PLACE_LATER, title="Пикет")

    # The member opens the action: city and time, no place until she says she is coming.
    web.sign_in("member_mow", TEST_PASSPHRASE)
    web.go(f"/actions/{action.pk}/")
    expect(page.locator("#facts")).to_contain_text("Москва")
    assert PLACE not in page.content()
    press(web, "rsvp-button", "/rsvp/")
    expect(page.locator("#place")).to_contain_text(PLACE)
    action.refresh_from_db()
    assert action.rsvp_count == 1

    # The later action: coming, but the place stays hidden until its reveal time.
    web.go(f"/actions/{later.pk}/")
    press(web, "rsvp-button", "/rsvp/")
    expect(page.locator("#place-later")).to_be_visible()
    assert PLACE_LATER not in page.content()

    # On the day: she checks in, then presses the alarm (one tap, a plain POST).
    web.go(f"/actions/{action.pk}/")
    press(web, "check-in-button", "/check-in/")
    expect(page.locator("#detained-button")).to_be_visible()
    assert LAWYERS not in page.content()
    press(web, "detained-button", "/detained/", htmx=False)
    assert web.path() == f"/actions/{action.pk}/"
    expect(page.locator("#detained")).to_be_visible()
    expect(page.locator("#lawyers-contacts")).to_contain_text("+7 900 000-11-22")
    assert Detention.objects.filter(action=action, account=member).count() == 1

    # The coordinator sees the alert: a notice, and the count on the management page.
    coord.go("/notices/")
    expect(coord.page.locator("ul.notices li.unread")).to_have_count(1)
    # Until the notices list includes actions/_notice.html it shows the kind; then the sentence.
    expect(coord.page.locator("ul.notices li.unread")).to_contain_text(re.compile("detained|задержали"))
    coord.go(f"/actions/{action.pk}/manage/")
    expect(coord.page.locator("#detained-alert")).to_be_visible()
    expect(coord.page.locator("#count-detained")).to_have_text("1")
    assert "member_mow" not in coord.page.content()
    assert Notice.objects.filter(account=lawyer, kind="action.detained").count() == 1

    # Released, she checks out.
    web.go(f"/actions/{action.pk}/")
    press(web, "check-out-button", "/check-out/")
    expect(page.locator("#checked-out")).to_be_visible()
    assert CheckIn.objects.get(action=action, account=member).checked_out
    action.refresh_from_db()
    assert (action.rsvp_count, action.checked_in_count, action.checked_out_count, action.detained_count) == (
        1,
        1,
        1,
        1,
    )

    # A visitor sees the public facts and never the place.
    web.sign_out()
    web.go(f"/actions/{action.pk}/")
    expect(page.locator("#facts")).to_contain_text("Москва")
    assert PLACE not in page.content() and LAWYERS not in page.content()
