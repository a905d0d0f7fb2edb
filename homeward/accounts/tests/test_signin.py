"""Sign-in: passphrase, per-handle lockout (never by address), the second factor, and the headers every page carries."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from conftest import make_account
from homeward.accounts.models import LoginThrottle, TOTPDevice

PASSPHRASE = "a long test passphrase"  # what conftest.make_account gives every account
WRONG = "not the passphrase at all"


pytestmark = pytest.mark.usefixtures("pages_in_english")


def sign_in(client, handle, passphrase=PASSPHRASE, **extra):
    return client.post(reverse("accounts:login"), {"handle": handle, "passphrase": passphrase, **extra})


def is_signed_in(client) -> bool:
    return client.get(reverse("accounts:settings")).status_code == 200


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, 30, 0, 6, 0)
    totp.time = timezone.now().timestamp()
    return f"{totp.token():06d}"


def a_wrong_code(device: TOTPDevice) -> str:
    right = current_code(device)
    return "000000" if right != "000000" else "111111"


# --- passphrase ---------------------------------------------------------------------


def test_the_right_passphrase_signs_in(cast):
    client = Client()

    response = sign_in(client, "member")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert is_signed_in(client)


def test_the_handle_is_not_case_sensitive(cast):
    client = Client()

    sign_in(client, "MeMbEr")

    assert is_signed_in(client)


def test_a_wrong_passphrase_shows_an_error_and_does_not_sign_in(cast):
    client = Client()

    response = sign_in(client, "member", WRONG)

    assert response.status_code == 200
    assert "This handle and passphrase do not match an account." in response.content.decode()
    assert not is_signed_in(client)


def test_an_unknown_handle_gets_the_same_message_as_a_wrong_passphrase(cast):
    response = sign_in(Client(), "nobody_here", WRONG)

    assert "This handle and passphrase do not match an account." in response.content.decode()


def test_sign_in_goes_on_to_a_safe_next_page(cast):
    client = Client()

    response = sign_in(client, "member", next=reverse("chapters:list"))

    assert response["Location"] == reverse("chapters:list")


def test_sign_in_never_goes_on_to_another_site(cast):
    response = sign_in(Client(), "member", next="https://evil.example/phish")

    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("next_url", ["settings", "home ", "javascript:alert(1)", "//evil.example/", "/\\evil.example"])
def test_a_next_that_is_not_a_path_on_this_site_is_ignored(cast, next_url):
    response = sign_in(Client(), "member", next=next_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_signing_out_ends_the_session(cast):
    client = Client()
    sign_in(client, "member")

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert not is_signed_in(client)


# --- lockout ------------------------------------------------------------------------


def fail_until_locked(handle):
    for _ in range(django_settings.LOGIN_FAILURES_ALLOWED):
        sign_in(Client(), handle, WRONG)


def test_one_failure_short_of_the_limit_the_right_passphrase_still_works(cast, settings):
    for _ in range(settings.LOGIN_FAILURES_ALLOWED - 1):
        sign_in(Client(), "member", WRONG)
    client = Client()

    sign_in(client, "member")

    assert is_signed_in(client)


def test_after_the_allowed_failures_even_the_right_passphrase_is_refused(cast):
    fail_until_locked("member")
    client = Client()

    response = sign_in(client, "member")

    assert response.status_code == 200
    assert "Too many failed attempts for this handle. Try again after" in response.content.decode()
    assert not is_signed_in(client)


def test_the_lockout_ignores_the_case_of_the_handle(cast):
    fail_until_locked("member")
    client = Client()

    sign_in(client, "MEMBER")

    assert not is_signed_in(client)


def test_the_lockout_is_per_handle(cast):
    fail_until_locked("member")
    client = Client()

    sign_in(client, "follower")

    assert is_signed_in(client)


def test_the_throttle_table_holds_no_handle_in_clear(cast):
    fail_until_locked("member")
    sign_in(Client(), "follower", WRONG)

    rows = list(LoginThrottle.objects.values())
    assert len(rows) == 2
    stored = " ".join(str(value) for row in rows for value in row.values()).casefold()
    assert "member" not in stored
    assert "follower" not in stored
    assert all(len(row["key"]) == 64 for row in rows)


def test_a_successful_sign_in_forgets_earlier_failures(cast, settings):
    for _ in range(settings.LOGIN_FAILURES_ALLOWED - 1):
        sign_in(Client(), "member", WRONG)
    sign_in(Client(), "member")

    sign_in(Client(), "member", WRONG)
    client = Client()
    sign_in(client, "member")

    assert is_signed_in(client)
    assert not LoginThrottle.objects.exists()


def test_the_lockout_ends_after_the_lockout_time(cast, settings):
    fail_until_locked("member")
    LoginThrottle.objects.update(locked_until=timezone.now() - timezone.timedelta(seconds=1))
    client = Client()

    sign_in(client, "member")

    assert is_signed_in(client)


# --- second factor ------------------------------------------------------------------


@pytest.fixture
def anna_with_second_factor(db):
    anna = make_account("anna")
    device = TOTPDevice.objects.create(user=anna, name="TOTP", confirmed=True)
    return anna, device


def test_with_a_second_factor_the_passphrase_alone_does_not_sign_in(anna_with_second_factor):
    client = Client()

    response = sign_in(client, "anna")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login_otp")
    assert not is_signed_in(client)
    assert "Enter the code from your authenticator app" in client.get(reverse("accounts:login_otp")).content.decode()


def test_the_right_code_completes_sign_in(anna_with_second_factor):
    anna, device = anna_with_second_factor
    client = Client()
    sign_in(client, "anna", next=reverse("chapters:list"))

    response = client.post(reverse("accounts:login_otp"), {"token": current_code(device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("chapters:list")
    assert is_signed_in(client)


def test_a_wrong_code_is_refused(anna_with_second_factor):
    anna, device = anna_with_second_factor
    client = Client()
    sign_in(client, "anna")

    response = client.post(reverse("accounts:login_otp"), {"token": a_wrong_code(device)})

    assert response.status_code == 200
    assert "This code is not right, or it has expired." in response.content.decode()
    assert not is_signed_in(client)


def test_a_code_is_not_accepted_twice(anna_with_second_factor):
    anna, device = anna_with_second_factor
    code = current_code(device)
    first = Client()
    sign_in(first, "anna")
    first.post(reverse("accounts:login_otp"), {"token": code})
    second = Client()
    sign_in(second, "anna")

    response = second.post(reverse("accounts:login_otp"), {"token": code})

    assert "This code is not right, or it has expired." in response.content.decode()
    assert is_signed_in(first)
    assert not is_signed_in(second)


def test_a_code_step_waits_only_five_minutes(anna_with_second_factor):
    anna, device = anna_with_second_factor
    client = Client()
    sign_in(client, "anna")
    session = client.session
    session["pending_second_factor"]["until"] = timezone.now().timestamp() - 1
    session.save()

    response = client.post(reverse("accounts:login_otp"), {"token": current_code(device)})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert not is_signed_in(client)


def test_a_coordinator_who_signs_in_with_the_code_can_use_her_powers(cast, chapter_a):
    client = Client()
    sign_in(client, "coordinator")
    manage = reverse("chapters:manage", args=[chapter_a.slug])

    client.post(reverse("accounts:login_otp"), {"token": current_code(cast["coordinator"].totp_devices.get())})

    assert client.get(manage).status_code == 200


# --- headers ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "accounts:login", "accounts:signup", "chapters:list"])
def test_public_pages_carry_the_security_headers(db, name):
    response = Client().get(reverse(name))

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "'unsafe-inline'" not in csp
    assert "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    # No referrer ever goes to another site. "same-origin" rather than PRIVACY.md's "no-referrer":
    # with "no-referrer" browsers send "Origin: null" on our own form posts and CSRF refuses them.
    assert response["Referrer-Policy"] in {"no-referrer", "same-origin"}
    assert f'<meta name="referrer" content="{response["Referrer-Policy"]}">' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
