"""Account flows in a real browser, each with JavaScript on and off."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import make_account
from e2e.conftest import PASSPHRASE, totp_code
from homeward.accounts.models import Account, RecoveryCode, TOTPDevice
from homeward.chapters import services as chapter_services
from homeward.chapters.models import Invite, Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSPHRASE = "copper thistle lagoon saddle juniper kettle"
OTHER_PASSPHRASE = "walnut comet ribbon glacier tundra fable"


def test_account_lifecycle(web, chapter_a, chapter_b):
    page = web.page
    coordinator = make_account("coord_spe", chapter=chapter_b, role="coordinator", totp=True)
    token = chapter_services.invite_create(actor=coordinator, chapter=chapter_b, now=timezone.now(), days=3, max_uses=1)

    # Sign up: the ten recovery codes are shown once, right after.
    web.sign_up("lena.k")
    assert web.path() == "/signup/codes/"
    codes = page.locator("ol.codes code").all_inner_texts()
    assert len(codes) == 10
    assert len(set(codes)) == 10
    kept = codes[3]
    account = Account.objects.get(handle="lena.k")
    assert account.check_password(PASSPHRASE)
    assert account.recovery_codes.filter(code_hash=RecoveryCode.hash_code(kept)).exists()
    assert web.signed_in()

    web.sign_out()
    web.sign_in("lena.k", PASSPHRASE)
    assert web.path() == "/"
    assert web.signed_in()

    # Join the open chapter from its page (htmx swaps the box in; without JS, a redirect).
    web.go("/chapters/ru-mow/")
    join = page.locator("form[action$='/chapters/ru-mow/join/'] button")
    if web.js:
        web.submit_htmx(join, "/chapters/ru-mow/join/")
        assert web.path() == "/chapters/ru-mow/"
    else:
        web.submit(join)
    expect(page.locator("form[action$='/chapters/ru-mow/leave/'] button")).to_be_visible()
    join_posts = [headers for url, headers in web.posts if url.endswith("/chapters/ru-mow/join/")]
    assert len(join_posts) == 1
    assert (join_posts[0].get("hx-request") == "true") is web.js

    # Accept the invite to the invite-only chapter.
    web.go(f"/invite/{token}/")
    web.submit()
    assert web.path() == "/chapters/ru-spe/"
    expect(page.locator("form[action$='/chapters/ru-spe/leave/']")).to_have_count(1)

    memberships = {m.chapter.slug: m.role for m in Membership.objects.filter(account=account).select_related("chapter")}
    assert memberships == {"ru-mow": "member", "ru-spe": "member"}
    assert Invite.objects.get().uses == 1

    # Turn on the second factor with the secret shown on the page.
    web.go("/settings/2fa/")
    secret = page.locator("#totp-secret").inner_text().strip()
    page.locator("input[name=token]").fill(totp_code(secret))
    web.submit()
    assert web.path() == "/settings/"
    assert account.totp_devices.filter(confirmed=True).count() == 1

    # Signing in now takes a code too. The code just used cannot be used again, so
    # give the next step's code (accepted: the tolerance is one step).
    web.sign_out()
    web.sign_in("lena.k", PASSPHRASE)
    assert web.path() == "/login/code/"
    assert not web.signed_in()
    page.locator("input[name=token]").fill(totp_code(secret, ahead=1))
    web.submit()
    assert web.path() == "/"
    assert web.signed_in()

    # Delete the account: every record of hers goes with it.
    web.go("/settings/delete/")
    page.locator("input[name=current]").fill(PASSPHRASE)
    page.locator("input[name=confirm]").check()
    web.submit()
    assert web.path() == "/"
    assert not web.signed_in()
    assert not Account.objects.filter(pk=account.pk).exists()
    assert not Account.objects.filter(handle__iexact="lena.k").exists()
    assert not Membership.objects.filter(account_id=account.pk).exists()
    assert not RecoveryCode.objects.filter(account_id=account.pk).exists()
    assert not TOTPDevice.objects.filter(user_id=account.pk).exists()
    # The chapters and the coordinator who invited her are untouched.
    assert Membership.objects.filter(account=coordinator, chapter=chapter_b).exists()


def test_recovery(web):
    page = web.page
    web.sign_up("marina_v")
    assert web.path() == "/signup/codes/"
    code = page.locator("ol.codes code").nth(0).inner_text().strip()
    web.sign_out()

    web.go("/recover/")
    page.locator("input[name=handle]").fill("marina_v")
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=passphrase]").fill(NEW_PASSPHRASE)
    page.locator("input[name=passphrase2]").fill(NEW_PASSPHRASE)
    web.submit()
    assert web.path() == "/login/"
    account = Account.objects.get(handle="marina_v")
    assert account.check_password(NEW_PASSPHRASE)
    assert account.recovery_codes.count() == 9

    # The old passphrase no longer works; the new one does.
    web.sign_in("marina_v", PASSPHRASE)
    assert web.path() == "/login/"
    assert not web.signed_in()
    expect(page.locator("main .errors[role=alert]")).to_have_count(1)
    web.sign_in("marina_v", NEW_PASSPHRASE)
    assert web.path() == "/"
    assert web.signed_in()
    web.sign_out()

    # The same code a second time: refused, with a message, and the handle kept.
    web.go("/recover/")
    page.locator("input[name=handle]").fill("marina_v")
    page.locator("input[name=code]").fill(code)
    page.locator("input[name=passphrase]").fill(OTHER_PASSPHRASE)
    page.locator("input[name=passphrase2]").fill(OTHER_PASSPHRASE)
    web.submit()
    assert web.path() == "/recover/"
    expect(page.locator("main .field.has-error:has(input[name=code]) [role=alert]")).to_have_count(1)
    expect(page.locator("input[name=handle]")).to_have_value("marina_v")
    account.refresh_from_db()
    assert account.check_password(NEW_PASSPHRASE)
    assert account.recovery_codes.count() == 9


def test_bad_input_keeps_what_was_typed(web):
    page = web.page
    web.sign_up("olga_p", PASSPHRASE, "lantern orchard pebble violin harbor meadows")
    assert web.path() == "/signup/"
    expect(page.locator("main .field.has-error:has(input[name=passphrase2]) [role=alert]")).to_have_count(1)
    expect(page.locator("input[name=handle]")).to_have_value("olga_p")
    expect(page.locator("input[name=passphrase]")).to_have_value(PASSPHRASE)
    assert not web.signed_in()
    assert not Account.objects.exists()
