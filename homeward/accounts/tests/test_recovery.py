"""Recovery (восстановление): one recovery code buys one new passphrase and signs out every old session."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from conftest import make_account, signed_in_client
from homeward.accounts import services
from homeward.accounts.models import Account, RecoveryCode

OLD = "a long test passphrase"  # what conftest.make_account gives every account
NEW = "copper meadow whistle autumn"


pytestmark = pytest.mark.usefixtures("pages_in_english")


@pytest.fixture
def anna(db):
    account = make_account("anna")
    Account.objects.filter(pk=account.pk).update(language="en")
    account.codes = services.recovery_codes_generate(account=account)
    return account


def recover(client, handle, code, passphrase=NEW):
    return client.post(
        reverse("accounts:recover"),
        {"handle": handle, "code": code, "passphrase": passphrase, "passphrase2": passphrase},
    )


def test_a_recovery_code_sets_a_new_passphrase(anna):
    response = recover(Client(), "anna", anna.codes[0])

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    anna.refresh_from_db()
    assert anna.check_password(NEW)
    assert not anna.check_password(OLD)


def test_the_code_is_spent_and_the_others_are_kept(anna):
    recover(Client(), "anna", anna.codes[0])

    left = set(RecoveryCode.objects.filter(account=anna).values_list("code_hash", flat=True))
    assert len(left) == 9
    assert RecoveryCode.hash_code(anna.codes[0]) not in left
    assert left == {RecoveryCode.hash_code(c) for c in anna.codes[1:]}


def test_a_spent_code_does_not_work_a_second_time(anna):
    recover(Client(), "anna", anna.codes[0])

    response = recover(Client(), "anna", anna.codes[0], passphrase="another fresh passphrase")

    assert response.status_code == 200
    assert "This recovery code does not match this handle, or it was already used." in response.content.decode()
    anna.refresh_from_db()
    assert anna.check_password(NEW)
    assert RecoveryCode.objects.filter(account=anna).count() == 9


def test_a_code_typed_in_capitals_without_dashes_still_works(anna):
    typed = anna.codes[3].replace("-", " ").upper()

    recover(Client(), "ANNA", typed)

    anna.refresh_from_db()
    assert anna.check_password(NEW)


def test_recovery_signs_out_every_old_session(anna):
    old_session = signed_in_client(anna)
    assert old_session.get(reverse("accounts:settings")).status_code == 200

    recover(Client(), "anna", anna.codes[0])

    anna.refresh_from_db()
    assert anna.session_generation == 1
    response = old_session.get(reverse("accounts:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_after_recovery_the_new_passphrase_signs_in(anna):
    recover(Client(), "anna", anna.codes[0])
    client = Client()

    client.post(reverse("accounts:login"), {"handle": "anna", "passphrase": NEW})

    assert client.get(reverse("accounts:settings")).status_code == 200


def test_a_code_of_another_account_does_not_work(anna):
    bella = make_account("bella")

    response = recover(Client(), "bella", anna.codes[0])

    assert "This recovery code does not match this handle" in response.content.decode()
    bella.refresh_from_db()
    assert bella.check_password(OLD)
    assert RecoveryCode.objects.filter(account=anna).count() == 10


def test_recovery_refuses_a_weak_new_passphrase_and_keeps_the_code(anna):
    response = recover(Client(), "anna", anna.codes[0], passphrase="short")

    assert "This passphrase is too short" in response.content.decode()
    assert RecoveryCode.objects.filter(account=anna).count() == 10
    anna.refresh_from_db()
    assert anna.check_password(OLD)


def test_guessing_codes_locks_recovery_for_that_handle(anna):
    for n in range(django_settings.LOGIN_FAILURES_ALLOWED):
        recover(Client(), "anna", f"wrong-code-{n:04d}-xxxx")

    response = recover(Client(), "anna", anna.codes[0])

    assert "Too many failed attempts for this handle." in response.content.decode()
    anna.refresh_from_db()
    assert anna.check_password(OLD)
    assert RecoveryCode.objects.filter(account=anna).count() == 10


def test_new_recovery_codes_replace_the_old_ones(anna):
    client = signed_in_client(anna)

    response = client.post(reverse("accounts:recovery_codes_regenerate"), {"current": OLD}, follow=True)

    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("accounts:recovery_codes_show")
    assert all(code not in body for code in anna.codes)
    assert RecoveryCode.objects.filter(account=anna).count() == 10
    assert not RecoveryCode.objects.filter(code_hash=RecoveryCode.hash_code(anna.codes[0])).exists()
    assert Account.objects.get(pk=anna.pk).check_password(OLD)


def test_new_recovery_codes_need_the_current_passphrase(anna):
    client = signed_in_client(anna)

    response = client.post(reverse("accounts:recovery_codes_regenerate"), {"current": "not it at all"})

    assert response.status_code == 200
    assert "The current passphrase is not right." in response.content.decode()
    assert RecoveryCode.objects.filter(code_hash=RecoveryCode.hash_code(anna.codes[0])).exists()
