"""Encryption at rest for sensitive fields, and HMAC blind indexes.

Values are sealed with AES-256-GCM under a key that lives outside the database
(HOMEWARD_DATA_KEY or HOMEWARD_DATA_KEY_FILE). Every value gets a fresh random
96-bit nonce. The stored text is

    hw1:<key id>:<base64(nonce || ciphertext || tag)>

where the key id is the first 8 hex digits of SHA-256 of the key, so that after a
key rotation old values can still be opened with HOMEWARD_DATA_OLD_KEYS until
`manage.py rotate_data_key` has re-sealed them. The model and field name are bound
as associated data, so a ciphertext copied into another column will not open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "hw1"


class DecryptionError(Exception):
    """A stored value could not be opened with any configured key."""


def decode_key(text: str) -> bytes:
    """A key is 32 random bytes written as URL-safe base64 (44 characters)."""
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode())
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("Encryption key is not valid base64") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured("Encryption key must be 32 bytes (44 base64 characters)")
    return raw


def new_key_text() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:8]


def _dev_key_file(name: str) -> str:
    """Development only: generate a key once into var/ so `make run` needs no setup."""
    path = Path(settings.VAR_DIR) / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_key_text())
        path.chmod(0o600)
    return path.read_text().strip()


@lru_cache(maxsize=1)
def _keyring() -> tuple[bytes, dict[str, bytes]]:
    current_text = settings.DATA_KEY or _dev_key_file("data.key")
    current = decode_key(current_text)
    ring = {key_id(current): current}
    for old in settings.DATA_OLD_KEYS:
        k = decode_key(old)
        ring.setdefault(key_id(k), k)
    return current, ring


@lru_cache(maxsize=1)
def _index_key() -> bytes:
    return decode_key(settings.INDEX_KEY or _dev_key_file("index.key"))


def reset_keys() -> None:
    """Forget cached keys (tests and the rotation command change settings)."""
    _keyring.cache_clear()
    _index_key.cache_clear()


def encrypt(plaintext: str, *, context: str) -> str:
    current, _ = _keyring()
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(current).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    return f"{PREFIX}:{key_id(current)}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(stored: str, *, context: str) -> str:
    try:
        prefix, kid, body = stored.split(":", 2)
    except ValueError as exc:
        raise DecryptionError("not an encrypted value") from exc
    if prefix != PREFIX:
        raise DecryptionError("unknown format")
    _, ring = _keyring()
    key = ring.get(kid)
    if key is None:
        raise DecryptionError(f"no key with id {kid}; set HOMEWARD_DATA_OLD_KEYS")
    raw = base64.b64decode(body)
    try:
        return AESGCM(key).decrypt(raw[:12], raw[12:], context.encode()).decode("utf-8")
    except Exception as exc:  # cryptography raises InvalidTag
        raise DecryptionError("value does not open (wrong key or tampered)") from exc


def needs_rotation(stored: str) -> bool:
    current, _ = _keyring()
    return not stored.startswith(f"{PREFIX}:{key_id(current)}:")


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed, deterministic digest for the rare sensitive value that must be looked up.

    The purpose separates indexes, so equal values in two fields do not match.
    """
    normalized = " ".join(value.split()).casefold()
    mac = hmac.new(_index_key(), f"{purpose}\x00{normalized}".encode(), hashlib.sha256)
    return mac.hexdigest()
