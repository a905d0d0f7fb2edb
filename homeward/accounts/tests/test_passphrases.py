"""Passphrases (кодовая фраза): the suggestion, its strength, the rule for chosen ones, and Argon2."""

from __future__ import annotations

import math
import re

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation

from homeward.accounts import passphrases
from homeward.accounts.models import Account

ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_word_list_has_at_least_seven_thousand_distinct_words():
    lines = [w.strip() for w in passphrases.WORDLIST_PATH.read_text(encoding="utf-8").splitlines() if w.strip()]
    distinct = set(lines)

    assert len(distinct) >= 7000
    assert set(passphrases.wordlist()) == distinct
    # A suggestion is split on spaces, so no word may contain one.
    assert not [w for w in distinct if w.split() != [w]]


def test_a_suggestion_is_six_words_from_the_list():
    words = set(passphrases.wordlist())
    suggestion = passphrases.suggest()

    drawn = suggestion.split(" ")
    assert len(drawn) == passphrases.SUGGESTED_WORDS == 6
    assert set(drawn) <= words


def test_suggestions_are_drawn_with_the_secrets_module(monkeypatch):
    calls = []
    real_choice = passphrases.secrets.choice

    def spy(pool):
        calls.append(len(pool))
        return real_choice(pool)

    monkeypatch.setattr(passphrases.secrets, "choice", spy)
    passphrases.suggest()

    assert calls == [len(passphrases.wordlist())] * 6


def test_suggestions_differ_from_call_to_call():
    suggestions = {passphrases.suggest() for _ in range(20)}

    # Twenty draws of ~77 bits each: a repeat means the draw is not random.
    assert len(suggestions) == 20


def test_a_suggestion_carries_at_least_seventy_bits():
    bits = passphrases.suggestion_entropy_bits()

    assert bits == pytest.approx(6 * math.log2(len(passphrases.wordlist())))
    assert bits >= 70


@pytest.mark.parametrize("passphrase", ["", "short", "eleven char"])
def test_the_rule_refuses_a_short_passphrase(passphrase):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        passphrases.PassphraseStrengthValidator().validate(passphrase)

    assert refused.value.code == "passphrase_too_short"
    assert "at least 12 characters" in refused.value.messages[0]


def test_the_short_passphrase_message_is_in_russian_for_russian_readers():
    with pytest.raises(ValidationError) as refused, translation.override("ru"):
        passphrases.PassphraseStrengthValidator().validate("short")

    message = refused.value.messages[0]
    assert "12" in message
    assert re.search("[а-яё]{4}", message), message


@pytest.mark.parametrize(
    "passphrase", ["aaaaaaaaaaaaaaaa", "abababababababab", "Ab Ab aB ab AB ab", "12121212 12121212"]
)
def test_the_rule_refuses_a_repetitive_passphrase(passphrase):
    with pytest.raises(ValidationError) as refused:
        passphrases.PassphraseStrengthValidator().validate(passphrase)

    assert refused.value.code == "passphrase_repetitive"


@pytest.mark.parametrize("passphrase", ["twelve chars", "correct horse battery staple"])
def test_the_rule_accepts_a_long_varied_passphrase(passphrase):
    assert passphrases.PassphraseStrengthValidator().validate(passphrase) is None


def test_the_suggested_passphrase_passes_every_configured_validator(db):
    suggestion = passphrases.suggest()

    assert password_validation.validate_password(suggestion, Account(handle="anna")) is None


def test_the_configured_validators_refuse_a_short_passphrase():
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password("tiny", Account(handle="anna"))

    assert "passphrase_too_short" in [e.code for e in refused.value.error_list]


def test_production_hashes_passphrases_with_argon2_first():
    import homeward.settings as production

    assert production.PASSWORD_HASHERS[0] == ARGON2


def test_an_account_made_under_argon2_stores_an_argon2_hash(db, settings):
    settings.PASSWORD_HASHERS = [ARGON2]

    Account.objects.create_user("anna", "violet harbour lantern quietly")

    stored = Account.objects.get(handle="anna")
    assert stored.password.startswith("argon2$")
    assert "violet" not in stored.password
    assert stored.check_password("violet harbour lantern quietly")
    assert not stored.check_password("violet harbour lantern")
