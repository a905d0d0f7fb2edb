"""Daily jobs: enqueued once a day however often the scheduler wakes, and the core's housekeeping."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from homeward.accounts.models import LoginThrottle
from homeward.chapters.models import Invite
from homeward.lib.models import ScheduledRun
from homeward.lib.scheduling import DAILY_JOBS, enqueue_due
from homeward.lib.tasks import housekeeping

MONDAY = dt.date(2026, 3, 2)


def enqueued_jobs() -> list[str]:
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_housekeeping_is_a_daily_job():
    assert DAILY_JOBS[housekeeping.module_path] is housekeeping
    assert housekeeping.module_path == "homeward.lib.tasks.housekeeping"


def test_each_daily_job_is_enqueued_once_on_its_day(db):
    first = enqueue_due(today=MONDAY)

    assert first == sorted(DAILY_JOBS)
    assert enqueued_jobs() == sorted(DAILY_JOBS)


def test_waking_twice_on_one_day_enqueues_nothing_more(db):
    enqueue_due(today=MONDAY)

    second = enqueue_due(today=MONDAY)

    assert second == []
    assert enqueued_jobs() == sorted(DAILY_JOBS)
    assert ScheduledRun.objects.filter(day=MONDAY).count() == len(DAILY_JOBS)


def test_the_next_day_the_jobs_are_enqueued_again(db):
    enqueue_due(today=MONDAY)

    tuesday = enqueue_due(today=MONDAY + dt.timedelta(days=1))

    assert tuesday == sorted(DAILY_JOBS)
    assert enqueued_jobs() == sorted([*DAILY_JOBS, *DAILY_JOBS])


def test_a_job_already_run_today_is_skipped_but_the_others_are_not(db):
    ScheduledRun.objects.create(job=housekeeping.module_path, day=MONDAY)

    enqueued = enqueue_due(today=MONDAY)

    assert housekeeping.module_path not in enqueued
    assert enqueued == sorted(set(DAILY_JOBS) - {housekeeping.module_path})
    assert housekeeping.module_path not in enqueued_jobs()


# --- housekeeping -------------------------------------------------------------------


@pytest.fixture
def now():
    return timezone.now()


def make_session(key, expire_date):
    return Session.objects.create(session_key=key, session_data="", expire_date=expire_date)


def test_housekeeping_drops_expired_sessions_only(db, now):
    make_session("expired-session", now - dt.timedelta(minutes=1))
    make_session("live-session", now + dt.timedelta(hours=1))

    report = housekeeping.call()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["live-session"]
    assert report["sessions"] == 1


def test_housekeeping_drops_invites_a_week_past_their_expiry(db, chapter_a, now):
    for label, expires in [
        ("long expired", now - dt.timedelta(days=8)),
        ("just expired", now - dt.timedelta(days=2)),
        ("still valid", now + dt.timedelta(days=2)),
    ]:
        Invite.objects.create(chapter=chapter_a, token_hash=label.ljust(64, "x"), expires_at=expires, label=label)

    report = housekeeping.call()

    assert sorted(Invite.objects.values_list("label", flat=True)) == ["just expired", "still valid"]
    assert report["invites"] == 1


def test_housekeeping_drops_spent_throttles_and_keeps_active_lockouts(db, now):
    LoginThrottle.objects.create(key="a" * 64, failures=2, window_started=now - dt.timedelta(hours=2))
    LoginThrottle.objects.create(
        key="b" * 64, failures=0, window_started=now - dt.timedelta(hours=2), locked_until=now + dt.timedelta(minutes=5)
    )
    LoginThrottle.objects.create(key="c" * 64, failures=1, window_started=now - dt.timedelta(minutes=1))

    report = housekeeping.call()

    assert sorted(LoginThrottle.objects.values_list("key", flat=True)) == ["b" * 64, "c" * 64]
    assert report["throttles"] == 1


def test_housekeeping_drops_old_task_results_and_schedule_rows(db, now):
    old = housekeeping.enqueue()
    recent = housekeeping.enqueue()
    DBTaskResult.objects.filter(id=old.id).update(status="SUCCESSFUL", finished_at=now - dt.timedelta(days=8))
    DBTaskResult.objects.filter(id=recent.id).update(status="SUCCESSFUL", finished_at=now - dt.timedelta(days=1))
    ScheduledRun.objects.create(job="old", day=timezone.localdate() - dt.timedelta(days=61))
    ScheduledRun.objects.create(job="recent", day=timezone.localdate() - dt.timedelta(days=1))

    report = housekeeping.call()

    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [str(recent.id)]
    assert list(ScheduledRun.objects.values_list("job", flat=True)) == ["recent"]
    assert (report["task_results"], report["scheduled_runs"]) == (1, 1)


def test_housekeeping_twice_changes_nothing_the_second_time(db, chapter_a, now):
    make_session("expired-session", now - dt.timedelta(minutes=1))
    Invite.objects.create(chapter=chapter_a, token_hash="x" * 64, expires_at=now - dt.timedelta(days=8))
    housekeeping.call()

    again = housekeeping.call()

    assert again["sessions"] == again["invites"] == 0
    assert not any(again.values()), again
