"""Seizure canary factories (homeward/lib/tests/test_seizure_canary.py) for every encrypted field of actions."""

from __future__ import annotations

import datetime as dt
import secrets

from django.utils import timezone


def _chapter():
    from conftest import ensure_reference_data
    from homeward.chapters.models import Chapter, Region

    ensure_reference_data()
    region = Region.objects.filter(chapter__isnull=True).order_by("code").first()
    return Chapter.objects.create(region=region, slug=f"c{secrets.token_hex(4)}")


def _action(canaries: dict[str, str]):
    from homeward.actions.services import action_create

    now = timezone.now()
    return action_create(
        actor=None,
        data={
            "chapter": _chapter(),
            "title": "Пикет",
            "kind": "group_picket",
            "city": "Екатеринбург",
            "place": canaries["place"],
            "starts_at": now + dt.timedelta(days=5),
            "ends_at": now + dt.timedelta(days=5, hours=1),
            "reveal_hours": 3,
            "is_public": True,
            "what_to_bring": "",
            "safety_briefing": "",
            "lawyers_contacts": canaries["lawyers_contacts"],
            "notice_refusal_reason": canaries["notice_refusal_reason"],
            "notice_counter_proposal": canaries["notice_counter_proposal"],
        },
        lawyers=[],
        now=now,
    )


def _incident(canaries: dict[str, str]):
    from homeward.actions.models import Incident

    action = _action(
        {
            name: f"x-{secrets.token_hex(4)}"
            for name in ("place", "lawyers_contacts", "notice_refusal_reason", "notice_counter_proposal")
        }
    )
    return Incident.objects.create(
        action=action, kind="detentions", count=3, note=canaries["note"], on=timezone.localdate()
    )


CANARY_FACTORIES = {
    "actions.Action": _action,
    "actions.Incident": _incident,
}
