"""Daily milestone notices: 365, 500, 730 and 1,000 days served, and leave due.

Set-based (one query per milestone, no per-row Python for the day counts) and
idempotent: each notice has a key unique per account, so a second run, or a run after
missed days, adds only what is missing.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from homeward.families.clock import LEAVE_EVERY_MONTHS, MILESTONES, add_months, leave_cutoff
from homeward.families.models import ENDED, LovedOne
from homeward.lib.scheduling import daily
from homeward.notices.services import NewNotice, notices_create


def milestone_notices(*, today: dt.date) -> int:
    created = 0
    active = LovedOne.objects.exclude(status__in=list(ENDED))
    for days in MILESTONES:
        reached = active.filter(mobilized_on__lte=today - dt.timedelta(days=days))
        created += notices_create(
            notices=(
                NewNotice(
                    account_id=owner_id,
                    kind="clock.days",
                    key=f"clock.days:{pk}:{days}",
                    params={"loved_one": pk, "days": days},
                )
                for pk, owner_id in reached.values_list("pk", "owner_id").iterator(chunk_size=5000)
            )
        )
    # Leave due: six months after the last leave (or mobilization) is today or earlier.
    cutoff = leave_cutoff(today)
    due = active.filter(Q(last_leave_on__isnull=True, mobilized_on__lte=cutoff) | Q(last_leave_on__lte=cutoff))
    created += notices_create(
        notices=(
            NewNotice(
                account_id=owner_id,
                kind="clock.leave_due",
                key=f"clock.leave:{pk}:{add_months(last_leave or mobilized, LEAVE_EVERY_MONTHS).isoformat()}",
                params={"loved_one": pk, "since": add_months(last_leave or mobilized, LEAVE_EVERY_MONTHS).isoformat()},
            )
            for pk, owner_id, last_leave, mobilized in due.values_list(
                "pk", "owner_id", "last_leave_on", "mobilized_on"
            ).iterator(chunk_size=5000)
        )
    )
    return created


@daily
@task()
def milestones_daily() -> int:
    return milestone_notices(today=timezone.localdate())
