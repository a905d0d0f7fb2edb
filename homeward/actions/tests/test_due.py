"""What is due around an action: the day-before reminder, the reveal notice, the check-out
prompt two hours after the end, the coordinators' anonymous "are you safe?" — each once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from conftest import make_account
from homeward.actions import services, tasks
from homeward.actions.tests.builders import make_action
from homeward.lib.scheduling import DAILY_JOBS
from homeward.notices.models import Notice

pytestmark = pytest.mark.django_db

H = dt.timedelta(hours=1)


@pytest.fixture
def t0():
    return timezone.now()


@pytest.fixture
def people(chapter_a):
    """Three members coming to the action."""
    return [make_account(f"walker-{n}", chapter=chapter_a) for n in range(3)]  # a hyphen: never inside a CSRF token


def notices(kind):
    return sorted(Notice.objects.filter(kind=kind).values_list("account_id", flat=True))


def test_creating_an_action_schedules_its_wake_ups(cast, chapter_a, django_capture_on_commit_callbacks, t0):
    with django_capture_on_commit_callbacks(execute=True):
        action = make_action(chapter=chapter_a, starts_in=dt.timedelta(days=2), now=t0)

    runs = sorted(
        DBTaskResult.objects.filter(task_path=tasks.action_due.module_path).values_list("run_after", flat=True)
    )
    assert runs == [action.starts_at - 24 * H, action.reveal_at, action.ends_at + 2 * H]
    assert all(r.args_kwargs["args"] == [action.pk] for r in DBTaskResult.objects.all())


def test_moving_an_action_schedules_it_again(cast, chapter_a, django_capture_on_commit_callbacks, t0):
    action = make_action(chapter=chapter_a, starts_in=dt.timedelta(days=2), now=t0)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_update(
            actor=cast["coordinator"],
            action=action,
            data={"starts_at": action.starts_at + 24 * H, "ends_at": action.ends_at + 24 * H},
            lawyers=[],
        )

    assert DBTaskResult.objects.filter(run_after=action.ends_at + 2 * H).exists()


def test_the_day_before_reminder_and_the_reveal_go_once_to_those_coming(chapter_a, people, t0):
    action = make_action(chapter=chapter_a, starts_in=30 * H, now=t0)
    for p in people[:2]:
        services.action_rsvp(action=action, account=p, coming=True, now=t0)

    assert services.action_due(action=action, now=t0) == {"reminders": 0, "revealed": 0, "prompts": 0}
    at_reminder = action.starts_at - 24 * H
    assert services.action_due(action=action, now=at_reminder)["reminders"] == 2
    assert services.action_due(action=action, now=at_reminder + H)["reminders"] == 0
    assert notices("action.reminder") == [people[0].pk, people[1].pk]

    services.action_rsvp(action=action, account=people[2], coming=True, now=at_reminder + H)
    assert services.action_due(action=action, now=action.reveal_at)["revealed"] == 3
    assert services.action_due(action=action, now=action.reveal_at + H)["revealed"] == 0
    assert notices("action.revealed") == [p.pk for p in people]
    for n in Notice.objects.filter(kind__startswith="action."):
        assert action.place not in str(n.params)


def test_the_task_does_what_is_due_now(chapter_a, people, t0):
    action = make_action(chapter=chapter_a, starts_in=2 * H, now=t0)  # inside the reveal window
    services.action_rsvp(action=action, account=people[0], coming=True, now=t0)

    assert tasks.action_due.call(action.pk)["revealed"] == 1
    assert tasks.action_due.call(987654) == {}


def test_members_still_checked_in_two_hours_after_the_end_get_a_prompt(chapter_a, people, t0):
    action = make_action(chapter=chapter_a, starts_in=H, hours=1, now=t0)
    for p in people:
        services.action_rsvp(action=action, account=p, coming=True, now=t0)
        services.action_check_in(action=action, account=p, now=t0)
    services.action_check_out(action=action, account=people[0])

    before = action.ends_at + 2 * H - dt.timedelta(minutes=1)
    assert services.action_due(action=action, now=before)["prompts"] == 0
    assert services.action_due(action=action, now=action.ends_at + 2 * H)["prompts"] == 2
    assert services.action_due(action=action, now=action.ends_at + 3 * H)["prompts"] == 0
    assert notices("action.checkout_prompt") == [people[1].pk, people[2].pk]

    services.action_check_out(action=action, account=people[1])
    assert notices("action.checkout_prompt") == [people[2].pk]  # answered prompts are forgotten


def test_the_daily_job_catches_up_on_lost_tasks(chapter_a, people, t0):
    ended = make_action(chapter=chapter_a, starts_in=-5 * H, hours=1, now=t0)
    services.action_rsvp(action=ended, account=people[0], coming=True, now=t0 - 5 * H)
    services.action_check_in(action=ended, account=people[0], now=t0 - 5 * H)
    soon = make_action(chapter=chapter_a, starts_in=2 * H, now=t0)
    services.action_rsvp(action=soon, account=people[1], coming=True, now=t0)

    first = services.actions_due(now=t0)
    again = services.actions_due(now=t0)

    assert first == {"reminders": 0, "revealed": 1, "prompts": 1}
    assert again == {"reminders": 0, "revealed": 0, "prompts": 0}
    assert tasks.actions_daily.module_path in DAILY_JOBS


def test_coordinators_ask_the_not_checked_out_without_learning_who(cast, chapter_a, people, t0, client_for):
    action = make_action(chapter=chapter_a, actor=cast["coordinator"], starts_in=-3 * H, hours=1, now=t0)
    for p in people:
        services.action_rsvp(action=action, account=p, coming=True, now=t0 - 3 * H)
        services.action_check_in(action=action, account=p, now=t0 - 3 * H)
    services.action_check_out(action=action, account=people[0])
    client = client_for("coordinator")
    page = client.get(reverse("actions:manage", args=[action.pk])).content.decode()
    assert "2 members have not checked out." in page

    response = client.post(reverse("actions:ask", args=[action.pk]), follow=True)
    html = response.content.decode()

    assert "Asked 2 members whether they are safe." in html
    for p in people:
        assert p.handle not in html
    assert notices("action.safety_ask") == [people[1].pk, people[2].pk]
    # Asking again an hour later reaches them again (a new round), never the one who left.
    client.post(reverse("actions:ask", args=[action.pk]))
    assert notices("action.safety_ask") == [people[1].pk, people[1].pk, people[2].pk, people[2].pk]


def test_a_cancellation_tells_those_coming(cast, chapter_a, people, t0):
    action = make_action(chapter=chapter_a, now=t0)
    services.action_rsvp(action=action, account=people[0], coming=True, now=t0)

    assert services.action_cancel(actor=cast["coordinator"], action=action) is True
    assert services.action_cancel(actor=cast["coordinator"], action=action) is False

    assert notices("action.cancelled") == [people[0].pk]
    assert services.action_due(action=action, now=action.reveal_at) == {"reminders": 0, "revealed": 0, "prompts": 0}


def test_taking_back_the_rsvp_forgets_her_notices_about_the_action(chapter_a, people, t0):
    action = make_action(chapter=chapter_a, starts_in=2 * H, now=t0)
    services.action_rsvp(action=action, account=people[0], coming=True, now=t0)
    services.action_due(action=action, now=t0)
    assert notices("action.revealed") == [people[0].pk]

    services.action_rsvp(action=action, account=people[0], coming=False, now=t0)

    assert notices("action.revealed") == []


def test_an_action_moved_to_another_day_reminds_again(cast, chapter_a, people, t0):
    action = make_action(chapter=chapter_a, starts_in=20 * H, now=t0)
    services.action_rsvp(action=action, account=people[0], coming=True, now=t0)
    assert services.action_due(action=action, now=t0)["reminders"] == 1

    services.action_update(
        actor=cast["coordinator"],
        action=action,
        data={"starts_at": action.starts_at + 24 * H, "ends_at": action.ends_at + 24 * H},
        lawyers=[],
    )

    assert services.action_due(action=action, now=t0 + 24 * H)["reminders"] == 1
    assert services.action_due(action=action, now=t0 + 25 * H)["reminders"] == 0
