"""Encryption at rest (AES-GCM, key outside the database), key rotation, and blind indexes."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import call_command
from django.db import connection

from conftest import TEST_DATA_KEY, make_account
from homeward.accounts.models import TOTPDevice
from homeward.lib import crypto

KEY_A = TEST_DATA_KEY
KEY_B = "Ym9vay1rZXktQi1mb3ItdGVzdHMtb25seS0zMmJ5dGU="


def use_keys(settings, current, old=()):
    settings.DATA_KEY = current
    settings.DATA_OLD_KEYS = list(old)
    crypto.reset_keys()


def stored_key_column(device) -> str:
    """The TOTP secret exactly as it sits in the database."""
    table = connection.ops.quote_name(TOTPDevice._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {connection.ops.quote_name('key')} FROM {table} WHERE id = %s", [device.pk])  # noqa: S608
        return cursor.fetchone()[0]


def kid(key_text: str) -> str:
    return crypto.key_id(crypto.decode_key(key_text))


# --- sealing and opening ------------------------------------------------------------


@pytest.mark.parametrize("text", ["Иван Петрович Сидоров, в/ч 12345", "ё", "emoji 🕊️ and\nnewlines", "a" * 10_000])
def test_what_is_sealed_opens_again(text):
    sealed = crypto.encrypt(text, context="families.lovedone.name")

    assert crypto.decrypt(sealed, context="families.lovedone.name") == text
    assert text not in sealed
    assert sealed.startswith(f"hw1:{kid(KEY_A)}:")


def test_every_sealing_uses_a_fresh_nonce():
    first = crypto.encrypt("same words", context="c")
    second = crypto.encrypt("same words", context="c")

    assert first != second
    nonce = lambda sealed: base64.b64decode(sealed.split(":", 2)[2])[:12]  # noqa: E731
    assert nonce(first) != nonce(second)


def test_a_value_sealed_for_one_field_does_not_open_in_another():
    sealed = crypto.encrypt("unit 12345", context="families.lovedone.unit")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(sealed, context="families.lovedone.name")


@pytest.mark.parametrize("position", [0, 11, 12, 20, -1])
def test_a_tampered_value_does_not_open(position):
    sealed = crypto.encrypt("unit 12345", context="c")
    prefix, key_id, body = sealed.split(":", 2)
    raw = bytearray(base64.b64decode(body))
    raw[position] ^= 0x01
    tampered = f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}"

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, context="c")


@pytest.mark.parametrize("stored", ["plain text", "hw2:abcd:AAAA", "hw1:00000000:AAAAAAAAAAAAAAAAAAAAAAAA"])
def test_a_value_not_sealed_by_us_is_refused(stored):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, context="c")


def test_a_value_sealed_under_another_key_does_not_open(settings):
    sealed = crypto.encrypt("unit 12345", context="c")
    use_keys(settings, KEY_B)

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(sealed, context="c")


# --- the real field -----------------------------------------------------------------


def test_a_totp_secret_is_sealed_in_the_database(db):
    device = TOTPDevice.objects.create(user=make_account("anna"), name="TOTP", confirmed=True)

    raw = stored_key_column(device)
    assert device.key not in raw
    assert raw.startswith(f"hw1:{kid(KEY_A)}:")
    assert TOTPDevice.objects.get(pk=device.pk).key == device.key


def test_key_rotation_keeps_every_value_readable(db, settings):
    device = TOTPDevice.objects.create(user=make_account("anna"), name="TOTP", confirmed=True)
    secret = device.key
    under_a = stored_key_column(device)

    # The new key is current, the old one kept for reading: values still open.
    use_keys(settings, KEY_B, old=[KEY_A])
    assert TOTPDevice.objects.get(pk=device.pk).key == secret
    assert stored_key_column(device) == under_a

    output = io.StringIO()
    call_command("rotate_data_key", stdout=output)

    assert "accounts.TOTPDevice: 1 rows re-encrypted" in output.getvalue()
    under_b = stored_key_column(device)
    assert under_b.startswith(f"hw1:{kid(KEY_B)}:")
    assert secret not in under_b

    # The old key is dropped: the rotated value opens, a value left under A would not.
    use_keys(settings, KEY_B)
    assert TOTPDevice.objects.get(pk=device.pk).key == secret
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(under_a, context="accounts.totpdevice.key")


def test_without_rotation_dropping_the_old_key_loses_the_value(db, settings):
    """The reason the rotation command exists: shows the test above can fail."""
    device = TOTPDevice.objects.create(user=make_account("anna"), name="TOTP", confirmed=True)

    use_keys(settings, KEY_B)

    with pytest.raises(crypto.DecryptionError):
        TOTPDevice.objects.get(pk=device.pk)


def test_rotation_leaves_values_already_under_the_current_key_alone(db, settings):
    device = TOTPDevice.objects.create(user=make_account("anna"), name="TOTP", confirmed=True)
    before = stored_key_column(device)

    output = io.StringIO()
    call_command("rotate_data_key", stdout=output)

    assert stored_key_column(device) == before
    assert "accounts.TOTPDevice: 0 rows re-encrypted" in output.getvalue()


# --- blind index --------------------------------------------------------------------


def test_a_blind_index_is_the_same_for_the_same_value():
    assert crypto.blind_index("Anna", purpose="throttle:login") == crypto.blind_index("Anna", purpose="throttle:login")


def test_a_blind_index_ignores_case_and_spacing():
    assert crypto.blind_index("  Анна   Ivanova ", purpose="p") == crypto.blind_index("анна ivanova", purpose="p")


def test_a_blind_index_tells_different_values_apart():
    assert crypto.blind_index("anna", purpose="p") != crypto.blind_index("anna2", purpose="p")


def test_a_blind_index_differs_by_purpose():
    assert crypto.blind_index("anna", purpose="throttle:login") != crypto.blind_index(
        "anna", purpose="throttle:recover"
    )


def test_a_blind_index_depends_on_the_index_key(settings):
    before = crypto.blind_index("anna", purpose="p")
    settings.INDEX_KEY = KEY_B
    crypto.reset_keys()

    assert crypto.blind_index("anna", purpose="p") != before


def test_a_blind_index_does_not_contain_the_value():
    digest = crypto.blind_index("anna", purpose="p")

    assert len(digest) == 64
    assert "anna" not in digest
