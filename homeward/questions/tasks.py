"""Background work of the question bank: the full re-cluster, on demand and daily.

Incremental placement at submit can open two clusters for one intent when two processes
place near-duplicates at the same moment, or when the exemplars drift; the daily
re-cluster of every open campaign with enough new questions repairs that.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from homeward.lib.scheduling import daily


@task()
def recluster_campaign(campaign_id: int) -> dict:
    from homeward.questions import services
    from homeward.questions.models import Campaign

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return {}
    result = services.recluster(campaign=campaign)
    return {"questions": result.questions, "clusters": result.clusters, "moved": result.moved}


@daily
@task()
def questions_daily() -> dict:
    """Re-cluster each open campaign that has at least QUESTIONS_RECLUSTER_MIN questions;
    forget the hourly vote counts that no longer matter."""
    from homeward.questions import services
    from homeward.questions.models import Campaign

    today = timezone.localdate()
    services.vote_activity_forget(now=timezone.now())
    done = {}
    for campaign in Campaign.objects.filter(opens_on__lte=today, closes_on__gte=today - timezone.timedelta(days=1)):
        if campaign.question_count >= settings.QUESTIONS_RECLUSTER_MIN:
            done[campaign.pk] = services.recluster(campaign=campaign).moved
    return done
