"""Builders for the appeals tests: a campaign, a loved one, a filing — made through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.accounts.models import Account

TEMPLATE = (
    "Я, {full_name}, прошу вернуть домой моего мужа {loved_one_name}, мобилизованного {mobilized_on} "
    "в регионе {region}. Он служит уже {days_served}.\n\nАдрес для ответа: {postal_address}.\n\n{today}"
)


def make_campaign(*, actor=None, chapter=None, scope="movement", opens_on=None, closes_on=None, **overrides):
    from homeward.appeals.models import Addressee
    from homeward.appeals.services import campaign_create

    addressee = overrides.pop("addressee", None) or Addressee.objects.create(
        official="Министр обороны Российской Федерации",
        body="Министерство обороны Российской Федерации",
        postal_address="119160, Москва, ул. Знаменка, д. 19",
        reception_url="https://mil.ru/reception",
    )
    actor = (
        actor
        or Account.objects.filter(is_admin=True).first()
        or Account.objects.create(handle="camp_admin", is_admin=True)
    )
    data = {
        "title": "Верните мобилизованных домой",
        "summary": "Напишем министру: срок службы мобилизованных должен быть ограничен.",
        "addressee": addressee,
        "channels": ["site", "gosuslugi", "post"],
        "template": TEMPLATE,
        "goal": 1000,
        "opens_on": opens_on or timezone.localdate() - dt.timedelta(days=60),
        "closes_on": closes_on,
        "scope": scope,
        "chapter": chapter,
        **overrides,
    }
    return campaign_create(actor=actor, data=data)


@pytest.fixture
def campaign(cast, chapter_a):
    """A movement-wide campaign run by chapter A's coordinators."""
    return make_campaign(actor=cast["coordinator"], chapter=chapter_a)


@pytest.fixture
def chapter_campaign(cast, chapter_a):
    """A campaign for chapter A's members only."""
    return make_campaign(actor=cast["coordinator"], chapter=chapter_a, scope="chapter", title="Обращение к мэру")


@pytest.fixture
def loved_one_factory(db, reference_data):
    from homeward.chapters.models import Region
    from homeward.families.services import loved_one_create

    def build(owner=None, name="Алексей Ветров", mobilized_on=dt.date(2022, 9, 21)):
        owner = owner or Account.objects.create(handle=f"lo_owner_{Account.objects.count()}")
        return loved_one_create(
            owner=owner,
            data={
                "relation": "husband",
                "name": name,
                "mobilized_on": mobilized_on,
                "region": Region.objects.get(code="RU-MOW"),
                "status": "serving",
                "status_since": mobilized_on,
            },
        )

    return build


def make_filing(owner, campaign, *, sent_on, channel="gosuslugi", today=None, **data):
    from homeward.appeals import selectors
    from homeward.appeals.services import filing_create

    return filing_create(
        owner=owner,
        campaign=campaign,
        data={"channel": channel, "sent_on": sent_on, **data},
        calendar=selectors.work_calendar(),
        today=today or timezone.localdate(),
    )


def campaign_with_signers(n: int, prefix: str):
    """For tests on a transactional database (no cast fixture there): the reference data, a
    movement-wide campaign made by an admin, and n accounts to sign it."""
    from conftest import ensure_reference_data, make_account

    ensure_reference_data()
    campaign = make_campaign(actor=make_account(f"{prefix}_admin", admin=True))
    return campaign, [make_account(f"{prefix}_{i}") for i in range(n)]
