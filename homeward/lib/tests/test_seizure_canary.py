"""Seizure canary (PRIVACY.md): put canaries into every encrypted field, then read the
database and media as bytes, as someone who copied the disk would. No canary may appear.

Every EncryptedTextField in the project must have a factory in CANARY_FACTORIES; a new
sensitive field without one fails `test_every_encrypted_field_has_a_factory`.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import pytest

from conftest import ensure_reference_data, make_account
from homeward.lib.fields import ENCRYPTED_FIELDS
from homeward.lib.tests.rawdump import database_bytes, media_bytes


def _totp_device(canaries: dict[str, str]):
    from homeward.accounts.models import TOTPDevice

    account = make_account(f"canary_{secrets.token_hex(3)}")
    return TOTPDevice.objects.create(user=account, name="c", confirmed=False, key=canaries["key"])


def _loved_one(canaries: dict[str, str]):
    import datetime

    from homeward.chapters.models import Region
    from homeward.families.services import loved_one_create

    ensure_reference_data()
    account = make_account(f"canary_{secrets.token_hex(3)}")
    return loved_one_create(
        owner=account,
        data={
            "relation": "son",
            "name": canaries["name"],
            "unit": canaries["unit"],
            "mobilized_on": datetime.date(2022, 10, 1),
            "region": Region.objects.get(code="RU-SVE"),
            "status": "serving",
            "status_since": datetime.date(2022, 10, 1),
        },
    )


def _outbox_entry(canaries: dict[str, str]):
    from homeward.telegram.models import OutboxEntry

    return OutboxEntry.objects.create(kind=OutboxEntry.Kind.NOTIFY, payload=canaries["payload"])


def _telegram_link(canaries: dict[str, str]):
    from homeward.telegram.models import TelegramLink

    account = make_account(f"canary_{secrets.token_hex(3)}")
    return TelegramLink.objects.create(account=account, chat_id=canaries["chat_id"], chat_index=secrets.token_hex(32))


#: model label → function that stores the given canary per field name.
CANARY_FACTORIES: dict[str, Callable[[dict[str, str]], object]] = {
    "accounts.TOTPDevice": _totp_device,
    "families.LovedOne": _loved_one,
    "telegram.OutboxEntry": _outbox_entry,
    "telegram.TelegramLink": _telegram_link,
}


def _app_factories():
    """Apps may keep canary factories in `<app>/tests/canary.py` (a CANARY_FACTORIES dict)."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        if not config.name.startswith("homeward."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.canary")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tests.canary":
                raise
            continue
        CANARY_FACTORIES.update(module.CANARY_FACTORIES)


_app_factories()


def _fields_by_model():
    by_model: dict[str, list[str]] = {}
    for field in ENCRYPTED_FIELDS:
        by_model.setdefault(field.model._meta.label, []).append(field.attname)
    return by_model


def test_every_encrypted_field_has_a_factory():
    missing = sorted(set(_fields_by_model()) - set(CANARY_FACTORIES))
    assert missing == [], f"add canary factories for {missing}"


@pytest.mark.django_db(transaction=True)
def test_no_canary_in_the_seized_database():
    planted = {}
    for label, fields in _fields_by_model().items():
        canaries = {name: f"CANARY-{label}-{name}-{secrets.token_hex(6)}" for name in fields}
        obj = CANARY_FACTORIES[label](canaries)
        obj.refresh_from_db()
        for name, canary in canaries.items():
            assert getattr(obj, name) == canary, "the field must give the canary back in the app"
        planted.update({f"{label}.{n}": c for n, c in canaries.items()})

    # Control: a plain, unencrypted field with a canary is found — the scan can fail.
    control = f"plaincanary{secrets.token_hex(4)}"
    make_account(control)

    seized = database_bytes() + media_bytes()
    assert control.encode() in seized, "the raw scan did not see plain data; it proves nothing"
    leaked = [where for where, canary in planted.items() if canary.encode() in seized]
    assert leaked == [], f"sensitive values readable on disk: {leaked}"
