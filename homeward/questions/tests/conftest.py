"""Builders for the question bank tests, made through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from homeward.accounts.models import Account


def make_campaign(*, actor=None, chapter=None, scope="movement", premoderated=True, **overrides):
    from homeward.questions.services import campaign_create

    today = timezone.localdate()
    actor = (
        actor
        or Account.objects.filter(is_admin=True).first()
        or Account.objects.create(handle="q_admin", is_admin=True)
    )
    data = {
        "title": "Вопросы к прямой линии",
        "event": "Прямая линия с президентом",
        "event_on": today + dt.timedelta(days=20),
        "about": "Задайте вопрос один раз и голосуйте за важные.",
        "opens_on": today - dt.timedelta(days=5),
        "closes_on": today + dt.timedelta(days=10),
        "premoderated": premoderated,
        "scope": scope,
        "chapter": chapter,
        **overrides,
    }
    return campaign_create(actor=actor, data=data)


def established(account):
    """An account old enough to count in full (it also needs a chapter)."""
    account.joined_on = timezone.localdate() - dt.timedelta(days=400)
    account.save(update_fields=["joined_on"])
    return account


def ask(campaign, account, text, *, approve=True, **kwargs):
    from homeward.questions import services

    q = services.question_ask(campaign=campaign, account=account, question=text, today=timezone.localdate(), **kwargs)
    if approve and q.status != "approved":
        services.question_approve(actor=campaign.created_by, question=q)
        q.refresh_from_db()
    return q


def ask_apart(campaign, account, text, *, coordinator, approve=True, **kwargs):
    """A question in a group of its own, as if the engine had kept it apart from one that
    asks the same (split out by a coordinator: pinned there)."""
    from homeward.questions import services

    q = ask(campaign, account, text, approve=approve, **kwargs)
    services.question_split(actor=coordinator, question=q)
    q.refresh_from_db()
    return q


@pytest.fixture
def qcampaign(cast, chapter_a):
    """A movement-wide campaign run by chapter A's coordinators."""
    return make_campaign(actor=cast["coordinator"], chapter=chapter_a)


@pytest.fixture
def chapter_qcampaign(cast, chapter_a):
    return make_campaign(actor=cast["coordinator"], chapter=chapter_a, scope="chapter", title="Вопросы мэру")


@pytest.fixture(autouse=True)
def _pages_in_english(pages_in_english):
    """Every page of these tests in English (the shared fixture in the root conftest.py)."""
