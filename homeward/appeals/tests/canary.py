"""The appeals app's seizure canaries (homeward/lib/tests/test_seizure_canary.py): the legal
name on a signature, a filing's registration number, an uploaded reply's name and content."""

from __future__ import annotations

import datetime as dt
import secrets

from conftest import ensure_reference_data, make_account


def _campaign():
    from homeward.appeals.models import Addressee
    from homeward.appeals.services import campaign_create

    ensure_reference_data()
    actor = make_account(f"canary_{secrets.token_hex(3)}", admin=True)
    return campaign_create(
        actor=actor,
        data={
            "title": "Canary campaign",
            "summary": "s",
            "addressee": Addressee.objects.create(body="Canary body"),
            "channels": ["post"],
            "template": "{full_name}",
            "goal": None,
            "opens_on": dt.date(2024, 1, 1),
            "closes_on": None,
            "scope": "movement",
            "chapter": None,
        },
    )


def _signature(canaries: dict[str, str]):
    from homeward.appeals.models import Signature
    from homeward.appeals.services import signature_sign

    campaign = _campaign()
    account = make_account(f"canary_{secrets.token_hex(3)}")
    signature_sign(campaign=campaign, account=account, full_name=canaries["full_name"], today=dt.date(2024, 6, 1))
    return Signature.objects.get(campaign=campaign, account=account)


def _filing(canaries: dict[str, str]):
    from homeward.appeals import selectors
    from homeward.appeals.services import filing_create

    return filing_create(
        owner=make_account(f"canary_{secrets.token_hex(3)}"),
        campaign=_campaign(),
        data={
            "channel": "post",
            "sent_on": dt.date(2024, 6, 1),
            "registration_number": canaries["registration_number"],
        },
        calendar=selectors.work_calendar(),
        today=dt.date(2024, 6, 1),
    )


def _reply(canaries: dict[str, str]):
    from homeward.appeals.models import Reply

    filing = _filing({"registration_number": ""})
    # The content field holds the file as base64; here it holds the canary itself, so the
    # scan looks for exactly what was stored. tests/test_privacy.py uploads a real file
    # with a canary inside it through the page.
    return Reply.objects.create(
        filing=filing, name=canaries["name"], content=canaries["content"], content_type="application/pdf", size=1
    )


CANARY_FACTORIES = {
    "appeals.Signature": _signature,
    "appeals.Filing": _filing,
    "appeals.Reply": _reply,
}
