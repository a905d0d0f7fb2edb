"""Writes to loved ones. Each bumps the public statistics version (their cache key)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from homeward.families.models import ENDED, LovedOne, StatusChange
from homeward.lib.versions import PUBLIC_STATS as STATS_VERSION
from homeward.lib.versions import version_bump
from homeward.notices.services import notices_delete_about


def _apply_status(loved_one: LovedOne, status: str, on: dt.date) -> None:
    loved_one.status = status
    loved_one.status_since = on
    loved_one.service_ended_on = on if status in ENDED else None


def loved_one_create(*, owner, data: dict) -> LovedOne:
    """Record a loved one with the first entry of his status history."""
    status = data.pop("status")
    status_since = data.pop("status_since")
    with transaction.atomic():
        loved_one = LovedOne(owner=owner, **data)
        _apply_status(loved_one, status, status_since)
        loved_one.save()
        StatusChange.objects.create(loved_one=loved_one, status=status, on=status_since)
        version_bump(STATS_VERSION)
    return loved_one


def loved_one_update(*, loved_one: LovedOne, data: dict) -> None:
    fields = list(data)
    for name, value in data.items():
        setattr(loved_one, name, value)
    with transaction.atomic():
        loved_one.save(update_fields=fields)
        version_bump(STATS_VERSION)


def loved_one_status_change(*, loved_one: LovedOne, status: str, on: dt.date) -> None:
    with transaction.atomic():
        StatusChange.objects.create(loved_one=loved_one, status=status, on=on)
        _apply_status(loved_one, status, on)
        loved_one.save(update_fields=["status", "status_since", "service_ended_on"])
        version_bump(STATS_VERSION)


def loved_one_delete(*, loved_one: LovedOne) -> None:
    """Delete the record, its history and the notices about him."""
    with transaction.atomic():
        notices_delete_about(account_id=loved_one.owner_id, loved_one_id=loved_one.pk)
        loved_one.delete()
        version_bump(STATS_VERSION)
