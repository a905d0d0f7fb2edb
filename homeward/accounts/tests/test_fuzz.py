"""Hostile input never produces a server error or half a record (PRIVACY.md rule 10).

Hypothesis sends form data a browser could send — and much a browser would not: NUL and
other control characters, huge strings, mixed scripts, emoji, invalid UTF-8, repeated and
missing fields — to every form that accounts and chapters offer.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import pytest
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from hypothesis import example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conftest import make_account, signed_in_client
from homeward.accounts import passphrases, services
from homeward.accounts.models import Account, LoginThrottle, RecoveryCode
from homeward.chapters.models import Chapter, Invite, Membership
from homeward.lib.tests.fuzzing import fuzz as shared_fuzz

PASSPHRASE = "a long test passphrase"  # what conftest.make_account gives every account

fuzz = hsettings(shared_fuzz, max_examples=50)  # the shared settings, more examples

# --- strategies ---------------------------------------------------------------------

SPECIAL = [
    "",
    " ",
    "\x00",
    "anna\x00",
    "\x00" * 40,
    "a\x1b[31mred",
    "\r\n\t",
    "line\nbreak",
    "\u202eevil",  # right-to-left override
    "\u200b\u200d\ufeff",  # zero-width characters
    "Мария-Ivanova_2024",
    "мАрИя",
    "ǅungla ς σ Σ ß İ ı",
    "🕊️👩‍👧‍👦🇷🇺",
    "<script>alert(1)</script>",
    "'; DROP TABLE accounts_account; --",
    "%_\\",
    "../../etc/passwd",
    "0",
    "-1",
    "99999999999999999999999999",
    "1e9",
    "NaN",
    "on",
    "ru",
    "en",
    "Europe/Moscow",
    "admin",
    "member",
    "follower",
    "outsider",
]

mixed_scripts = st.text(
    alphabet=st.sampled_from("abcxyzABCXYZабвгдеёжАБВЁЖ0123456789._- ΣσςßİıǅʼՁ中文ع٣\u0301"), max_size=40
)
huge = st.builds(lambda chars, n: chars * n, st.text(min_size=1, max_size=3), st.integers(1_000, 30_000))
words = st.lists(st.sampled_from(passphrases.wordlist()), min_size=2, max_size=8).map(" ".join)

text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(max_size=60),  # any code point but surrogates: control characters, NUL, emoji
    mixed_scripts,
    words,
    huge,
)
value = st.one_of(text, st.binary(max_size=30), st.lists(text, min_size=2, max_size=3))


def form(*fields, **fixed):
    """Form data with any of `fields` present or missing, plus a stray field now and then."""
    return st.fixed_dictionaries(
        {name: st.one_of(strategy, value) for name, strategy in fixed.items()},
        optional={name: value for name in fields if name not in fixed} | {"unexpected": value},
    )


def post(client, url, data, **headers):
    """POST as a browser does (urlencoded), with whatever bytes hypothesis chose."""
    return client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded", **headers)


def no_server_error(response):
    assert response.status_code < 500, response.status_code


def stays_on_this_site(response):
    if response.status_code in (301, 302):
        location = response["Location"].replace("\\", "/")
        parts = urlsplit(location)
        assert (parts.scheme, parts.netloc) == ("", ""), location
        assert location.startswith("/") and not location.startswith("//"), location


def every_account_has_ten_codes():
    accounts = Account.objects.annotate(codes=Count("recovery_codes"))
    assert not accounts.exclude(codes=services.RECOVERY_CODE_COUNT).exists()


# --- accounts -----------------------------------------------------------------------


valid_handles = st.from_regex(r"[a-zA-Zа-яА-Я][a-zA-Z0-9а-я._-]{2,20}", fullmatch=True)


@pytest.mark.django_db
@fuzz
@given(data=form("handle", "passphrase", "passphrase2", handle=valid_handles, passphrase=words))
def test_sign_up_never_fails_and_never_makes_half_an_account(data):
    before = Account.objects.count()

    response = post(Client(), reverse("accounts:signup"), data)

    no_server_error(response)
    after = Account.objects.count()
    if response.status_code == 302:
        assert response["Location"] == reverse("accounts:recovery_codes_show")
        assert after == before + 1
    else:
        assert after == before
    every_account_has_ten_codes()


long_passphrases = st.lists(st.sampled_from(passphrases.wordlist()), min_size=4, max_size=8, unique=True).map(" ".join)


@pytest.mark.django_db
@fuzz
@given(handle=valid_handles, passphrase=long_passphrases)
@example(handle="Мария", passphrase="alpha bravo charlie delta")
@example(handle="anna.b-2", passphrase="violet harbour lantern quietly")
def test_a_sign_up_that_passes_the_form_gives_exactly_ten_codes(handle, passphrase):
    """The same property on input that mostly passes the form, so it is not checked only on refusals."""
    data = {"handle": handle, "passphrase": passphrase, "passphrase2": passphrase}

    response = post(Client(), reverse("accounts:signup"), data)

    no_server_error(response)
    every_account_has_ten_codes()
    if response.status_code == 302:
        assert RecoveryCode.objects.filter(account__handle=handle).count() == 10
    else:
        assert 'class="error"' in response.content.decode()  # she is told why


@fuzz
@given(
    data=form(
        "handle",
        "passphrase",
        "next",
        handle=st.sampled_from(["member", "MEMBER", "nobody"]),
        passphrase=st.just(PASSPHRASE),
    )
)
def test_sign_in_never_fails_and_never_leaves_the_site(cast, data):
    LoginThrottle.objects.all().delete()

    response = post(Client(), reverse("accounts:login"), data)

    no_server_error(response)
    stays_on_this_site(response)


@fuzz
@given(next_url=text)
def test_a_successful_sign_in_never_leaves_the_site_whatever_next_says(cast, next_url):
    LoginThrottle.objects.all().delete()

    response = post(
        Client(), reverse("accounts:login"), {"handle": "member", "passphrase": PASSPHRASE, "next": next_url}
    )

    assert response.status_code == 302
    stays_on_this_site(response)


@fuzz
@given(data=form("token", "next"))
def test_the_second_factor_step_never_fails(cast, data):
    client = Client()
    post(client, reverse("accounts:login"), {"handle": "coordinator", "passphrase": PASSPHRASE})

    response = post(client, reverse("accounts:login_otp"), data)

    no_server_error(response)
    stays_on_this_site(response)


@pytest.fixture
def anna(db):
    account = make_account("anna")
    account.codes = services.recovery_codes_generate(account=account)
    return account


@fuzz
@given(data=form("handle", "code", "passphrase", "passphrase2", handle=st.just("anna")))
def test_recovery_never_fails(anna, data):
    LoginThrottle.objects.all().delete()

    response = post(Client(), reverse("accounts:recover"), data)

    no_server_error(response)
    assert RecoveryCode.objects.filter(account=anna).count() == 10  # no guess may spend a code


@fuzz
@given(data=form("language", "time_zone"))
def test_preferences_never_fail(cast, client_for, data):
    response = post(client_for("member"), reverse("accounts:settings"), data)

    no_server_error(response)
    member = Account.objects.get(handle="member")
    assert member.language in {"ru", "en"}
    assert member.time_zone.startswith(("Europe/", "Asia/", "UTC"))


@fuzz
@given(data=form("current", "passphrase", "passphrase2", current=st.just(PASSPHRASE)))
def test_changing_the_passphrase_never_fails(cast, data):
    member = Account.objects.get(handle="member")
    client = signed_in_client(member)

    response = post(client, reverse("accounts:passphrase_change"), data)

    no_server_error(response)
    assert client.get(reverse("accounts:settings")).status_code == 200  # this session survives either way
    Account.objects.filter(pk=member.pk).update(password=member.password)


@fuzz
@given(data=form("current", "confirm"))
def test_delete_never_fails_and_never_deletes_without_the_passphrase(cast, client_for, data):
    response = post(client_for("member"), reverse("accounts:delete"), data)

    no_server_error(response)
    assert Account.objects.filter(handle="member").exists()
    assert Membership.objects.filter(account__handle="member").count() == 1


# --- chapters -----------------------------------------------------------------------


def nothing_untypable_is_stored():
    stored = list(Chapter.objects.values_list("description", flat=True)) + list(
        Invite.objects.values_list("label", flat=True)
    )
    assert not [s for s in stored if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in s)]


@fuzz
@given(data=form("is_open", "description"))
def test_chapter_settings_never_fail(cast, client_for, chapter_a, data):
    response = post(client_for("coordinator"), reverse("chapters:manage", args=[chapter_a.slug]), data)

    no_server_error(response)
    nothing_untypable_is_stored()


@fuzz
@given(data=form("days", "single_use", "max_uses", "label", days=st.integers(-5, 200).map(str)))
def test_making_invites_never_fails(cast, client_for, chapter_a, data):
    response = post(client_for("coordinator"), reverse("chapters:invite_create", args=[chapter_a.slug]), data)

    no_server_error(response)
    nothing_untypable_is_stored()
    for invite in Invite.objects.all():
        assert invite.max_uses is None or 1 <= invite.max_uses <= 10000


@fuzz
@given(data=form("handle", handle=st.sampled_from(["member", "outsider", "follower", "Member ", "nobody"])))
def test_promoting_never_fails_and_never_reaches_outside_the_chapter(cast, client_for, chapter_a, data):
    response = post(client_for("coordinator"), reverse("chapters:promote", args=[chapter_a.slug]), data)

    no_server_error(response)
    assert set(Membership.objects.filter(chapter=chapter_a).values_list("account__handle", flat=True)) == {
        "member",
        "coordinator",
    }


@fuzz
@given(
    data=form(
        "create-region", "create-is_open", "create-description", **{"create-region": st.integers(-1, 100).map(str)}
    )
)
def test_creating_chapters_never_fails(cast, client_for, data):
    response = post(client_for("admin"), reverse("chapters:admin"), data)

    no_server_error(response)
    nothing_untypable_is_stored()
    assert all(c.slug == c.region.code.lower() for c in Chapter.objects.select_related("region"))


@fuzz
@given(
    data=form(
        "assign-handle", "assign-chapter", **{"assign-handle": st.sampled_from(["follower", "nobody", "ADMIN_anna"])}
    )
)
def test_assigning_coordinators_never_fails(cast, client_for, data):
    response = post(client_for("admin"), reverse("chapters:admin_assign"), data)

    no_server_error(response)


@fuzz
@given(token=text)
def test_an_invite_link_of_any_shape_never_fails(cast, client_for, token):
    from django.urls import NoReverseMatch

    try:
        url = reverse("chapters:invite_accept", args=[token])
    except NoReverseMatch:
        return  # not a URL anyone can open
    response = client_for("follower").post(url)

    no_server_error(response)
    assert not Membership.objects.filter(account__handle="follower").exists()
