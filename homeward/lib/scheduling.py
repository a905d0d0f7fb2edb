"""Daily jobs: registered by apps, enqueued once a day by `manage.py scheduler`.

A job is a django-tasks task taking no arguments; it must be idempotent (running it
twice, or after missed days, gives the same result as running it once).
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

DAILY_JOBS: dict[str, object] = {}


def daily(task):
    """Register a django-tasks Task to run once a day."""
    DAILY_JOBS[task.module_path] = task
    return task


def enqueue_due(*, today: dt.date) -> list[str]:
    """Enqueue every daily job not yet enqueued today. Safe to call as often as you like."""
    from homeward.lib.models import ScheduledRun

    enqueued = []
    for name, task in sorted(DAILY_JOBS.items()):
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(job=name, day=today)
                task.enqueue()
        except IntegrityError:
            continue
        enqueued.append(name)
    return enqueued
