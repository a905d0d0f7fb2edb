"""Forgetting: ACTION_PURGE_DAYS after an action, no row says who was coming, who checked in or
who was detained — and no notice about it; the anonymous counts remain. Idempotent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_account
from homeward.actions import services, tasks
from homeward.actions.models import RSVP, CheckIn, Detention, Incident
from homeward.actions.tests.builders import make_action
from homeward.notices.models import Notice
from homeward.notices.services import NewNotice, notices_create

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


@pytest.fixture
def held(cast, chapter_a):
    """An action that ended an hour ago, with three members: one checked out, one detained."""
    t0 = timezone.now() - 3 * H
    action = make_action(chapter=chapter_a, actor=cast["coordinator"], starts_in=dt.timedelta(0), hours=2, now=t0)
    people = [make_account(f"p{n}", chapter=chapter_a) for n in range(3)]
    for p in people:
        services.action_rsvp(action=action, account=p, coming=True, now=t0)
        services.action_check_in(action=action, account=p, now=t0)
    services.action_check_out(action=action, account=people[0])
    services.action_detained(action=action, account=people[1])
    services.action_due(action=action, now=action.ends_at + 2 * H)
    services.incident_log(
        actor=cast["coordinator"], action=action, kind="detentions", count=4, note="Автозак у входа", on=t0.date()
    )
    return action


def personal_rows(action) -> int:
    return (
        RSVP.objects.filter(action=action).count()
        + CheckIn.objects.filter(action=action).count()
        + Detention.objects.filter(action=action).count()
        + Notice.objects.filter(kind__startswith="action.", params__action=action.pk).count()
    )


def test_the_purge_waits_for_the_window(held):
    services.actions_purge(now=held.ends_at + dt.timedelta(days=14) - dt.timedelta(minutes=1))

    assert personal_rows(held) > 0
    held.refresh_from_db()
    assert held.purged_on is None


def test_after_the_window_no_personal_row_remains_and_the_counts_do(held):
    other_notice = NewNotice(
        account_id=held.created_by_id, kind="clock.days", key="unrelated", params={"action": held.pk}
    )
    notices_create(notices=[other_notice])
    when = held.ends_at + dt.timedelta(days=14)

    result = services.actions_purge(now=when)

    assert result["actions"] == 1
    assert result["rsvps"] == 3 and result["checkins"] == 3 and result["detentions"] == 1
    assert personal_rows(held) == 0
    assert not RSVP.objects.exists() and not CheckIn.objects.exists() and not Detention.objects.exists()
    held.refresh_from_db()
    assert (held.rsvp_count, held.checked_in_count, held.checked_out_count, held.detained_count) == (3, 3, 1, 1)
    assert held.purged_on == timezone.localdate(when)
    assert Incident.objects.filter(action=held).count() == 1  # incidents carry no names: they stay
    assert Notice.objects.filter(key="unrelated").exists()  # only the actions' own notices go


def test_the_purge_is_idempotent(held):
    when = held.ends_at + dt.timedelta(days=15)
    services.actions_purge(now=when)

    again = services.actions_purge(now=when)

    assert again == {"actions": 0, "rsvps": 0, "checkins": 0, "detentions": 0, "notices": 0}
    held.refresh_from_db()
    assert held.rsvp_count == 3


def test_the_daily_task_purges(held, settings):
    settings.ACTION_PURGE_DAYS = 0
    result = tasks.actions_daily.call()

    assert result["purged"]["actions"] == 1
    assert personal_rows(held) == 0


def test_the_purge_window_is_a_setting(held, settings):
    settings.ACTION_PURGE_DAYS = 30
    services.actions_purge(now=held.ends_at + dt.timedelta(days=20))
    assert personal_rows(held) > 0

    services.actions_purge(now=held.ends_at + dt.timedelta(days=30))
    assert personal_rows(held) == 0


def test_the_page_says_the_data_is_gone(held, client_for):
    services.actions_purge(now=held.ends_at + dt.timedelta(days=14))

    html = client_for("coordinator").get(reverse("actions:detail", args=[held.pk])).content.decode()
    manage = client_for("coordinator").get(reverse("actions:manage", args=[held.pk])).content.decode()

    assert "was deleted on" in html
    assert "was deleted on" in manage and '<dd id="count-rsvp">3</dd>' in manage


def test_deleting_her_account_takes_her_rows_with_it_and_leaves_the_counts(held):
    from homeward.accounts.services import account_delete

    person = RSVP.objects.filter(action=held).first().account
    account_delete(account=person)

    assert not RSVP.objects.filter(account_id=person.pk).exists()
    assert not CheckIn.objects.filter(account_id=person.pk).exists()
    assert not Detention.objects.filter(account_id=person.pk).exists()
    held.refresh_from_db()
    assert held.rsvp_count == 3
