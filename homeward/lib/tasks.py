"""Housekeeping jobs of the core: forget what is no longer needed."""

import datetime as dt

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task

from homeward.lib.scheduling import daily


@daily
@task()
def housekeeping() -> dict:
    """Drop expired sessions, spent login throttles, old invites and old task results."""
    from django_tasks_db.models import DBTaskResult

    from homeward.accounts.services import throttle_prune
    from homeward.chapters.services import invites_prune
    from homeward.lib.models import ScheduledRun

    now = timezone.now()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    results, _ = DBTaskResult.objects.filter(finished_at__lt=now - dt.timedelta(days=7)).delete()
    runs, _ = ScheduledRun.objects.filter(day__lt=timezone.localdate() - dt.timedelta(days=60)).delete()
    return {
        "sessions": sessions,
        "throttles": throttle_prune(now=now),
        "invites": invites_prune(now=now),
        "task_results": results,
        "scheduled_runs": runs,
    }
