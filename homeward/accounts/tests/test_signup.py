"""Sign-up: a handle, a passphrase, and ten recovery codes shown exactly once."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.sessions.models import Session
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from homeward.accounts import forms, services
from homeward.accounts.models import Account, RecoveryCode

PASSPHRASE = "violet harbour lantern quietly"
CODE_RE = re.compile(r"<code>([a-z0-9]{4}(?:-[a-z0-9]{4}){3})</code>")


pytestmark = pytest.mark.usefixtures("pages_in_english")


def sign_up(client, handle="anna", passphrase=PASSPHRASE, passphrase2=None, **extra):
    data = {
        "handle": handle,
        "passphrase": passphrase,
        "passphrase2": passphrase if passphrase2 is None else passphrase2,
    }
    return client.post(reverse("accounts:signup"), {**data, **extra})


def every_stored_value():
    """Every value in every table, as text: what a seized database would show."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("latin-1")
                    yield str(value)
    for session in Session.objects.all():
        yield json.dumps(session.get_decoded())


def test_the_sign_up_page_offers_a_suggested_passphrase(db):
    response = Client().get(reverse("accounts:signup"))

    assert response.status_code == 200
    suggestion = re.search(r'<p id="suggestion" class="passphrase"><output>([^<]+)</output>', response.content.decode())
    assert suggestion is not None
    assert len(suggestion.group(1).split()) == 6


def test_htmx_asks_for_another_suggestion_and_gets_only_the_partial(db):
    response = Client().get(reverse("accounts:signup") + "?suggest=1", headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('<p id="suggestion"')
    assert "<html" not in body


def test_sign_up_creates_one_account_with_ten_hashed_recovery_codes(db):
    client = Client()

    response = sign_up(client, handle="anna")

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:recovery_codes_show")
    assert Account.objects.count() == 1
    anna = Account.objects.get()
    assert anna.handle == "anna"
    assert anna.check_password(PASSPHRASE)
    assert RecoveryCode.objects.filter(account=anna).count() == services.RECOVERY_CODE_COUNT == 10

    page = client.get(reverse("accounts:recovery_codes_show"))
    shown = CODE_RE.findall(page.content.decode())
    assert len(set(shown)) == 10
    stored_hashes = set(RecoveryCode.objects.filter(account=anna).values_list("code_hash", flat=True))
    assert stored_hashes == {RecoveryCode.hash_code(code) for code in shown}

    # Once the page is shown, no code is anywhere in the database in clear (sessions included).
    everything = "\n".join(every_stored_value())
    for code in shown:
        assert code not in everything
        assert code.replace("-", "") not in everything


def test_the_new_account_is_signed_in(db):
    client = Client()
    sign_up(client, handle="anna")

    response = client.get(reverse("accounts:settings"))

    assert response.status_code == 200
    assert "Sign out (anna)" in response.content.decode()


def test_recovery_codes_are_shown_only_once(db):
    client = Client()
    sign_up(client)
    first = client.get(reverse("accounts:recovery_codes_show"))
    assert len(CODE_RE.findall(first.content.decode())) == 10

    again = client.get(reverse("accounts:recovery_codes_show"), follow=True)

    assert again.redirect_chain[0] == (reverse("accounts:settings"), 302)
    body = again.content.decode()
    assert CODE_RE.findall(body) == []
    assert "Recovery codes are shown only once" in body


@pytest.mark.parametrize("taken", ["Anna", "ANNA", "anna"])
def test_a_handle_differing_only_in_case_is_taken(db, taken):
    sign_up(Client(), handle="anna")

    response = sign_up(Client(), handle=taken)

    assert response.status_code == 200
    assert "This handle is taken. Please choose another." in response.content.decode()
    assert Account.objects.count() == 1
    assert RecoveryCode.objects.count() == 10


def test_the_database_refuses_a_handle_differing_only_in_case(db):
    Account.objects.create_user("anna", PASSPHRASE)

    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(handle="ANNA")

    assert list(Account.objects.values_list("handle", flat=True)) == ["anna"]


def test_two_sign_ups_racing_for_one_handle_leave_one_account(db, monkeypatch):
    """The form's check passed for both; the database constraint decides, and the loser sees a message."""
    sign_up(Client(), handle="anna")
    monkeypatch.setattr(forms.SignUpForm, "clean_handle", lambda form: form.cleaned_data["handle"])

    response = sign_up(Client(), handle="Anna")

    assert response.status_code == 200
    assert "This handle is taken. Please choose another." in response.content.decode()
    assert Account.objects.count() == 1
    assert RecoveryCode.objects.count() == 10


def test_a_cyrillic_handle_differing_only_in_case_is_taken(db):
    sign_up(Client(), handle="Мария")

    response = sign_up(Client(), handle="мария")

    assert "This handle is taken. Please choose another." in response.content.decode()
    assert Account.objects.count() == 1


def test_a_cyrillic_handle_signs_in_whatever_the_case(db):
    sign_up(Client(), handle="Мария")

    assert Account.objects.get_by_natural_key("МАРИЯ").handle == "Мария"


@pytest.mark.parametrize("handle", ["admin", "Admin", "ROOT", "homeward", "Coordinator", "support"])
def test_reserved_handles_are_refused(db, handle):
    response = sign_up(Client(), handle=handle)

    assert response.status_code == 200
    assert "This handle is reserved. Please choose another." in response.content.decode()
    assert not Account.objects.exists()


@pytest.mark.parametrize("handle", ["an", "1anna", "_anna", "anna bell", "anna@example", "a" * 33])
def test_a_malformed_handle_is_refused_and_kept_in_the_form(db, handle):
    response = sign_up(Client(), handle=handle)

    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="error"' in body
    assert not Account.objects.exists()


def test_a_short_passphrase_is_refused_with_a_clear_message(db):
    response = sign_up(Client(), passphrase="too short")

    assert response.status_code == 200
    assert "This passphrase is too short" in response.content.decode()
    assert not Account.objects.exists()


def test_passphrases_that_differ_are_refused_and_the_handle_is_kept(db):
    response = sign_up(Client(), handle="anna", passphrase2=PASSPHRASE + "x")

    body = response.content.decode()
    assert "The two passphrases differ." in body
    assert 'value="anna"' in body
    assert not Account.objects.exists()


def test_a_passphrase_equal_to_the_handle_is_refused(db):
    response = sign_up(Client(), handle="violetharbour", passphrase="violetharbour")

    assert "The password is too similar to the handle." in response.content.decode()
    assert not Account.objects.exists()


def test_a_signed_in_account_is_sent_home_from_sign_up(db):
    client = Client()
    sign_up(client, handle="anna")

    response = sign_up(client, handle="bella")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert list(Account.objects.values_list("handle", flat=True)) == ["anna"]


def test_the_account_speaks_the_language_it_signed_up_in(db):
    client = Client()
    client.cookies["hw_lang"] = "ru"

    sign_up(client, handle="anna")

    assert Account.objects.get().language == "ru"
    assert '<html lang="ru">' in client.get(reverse("home")).content.decode()
