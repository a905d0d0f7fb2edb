"""Scheduled publication and the daily follower count."""

from django.utils import timezone
from django_tasks import task

from homeward.channel.models import Follow, FollowerCount, Post, PostStatus
from homeward.lib.scheduling import daily


@task()
def publish_scheduled(post_id: int) -> bool:
    """Publish a scheduled post whose time has come. Idempotent; a moved or deleted post is left alone."""
    from homeward.channel.services import post_publish

    now = timezone.now()
    post = Post.objects.filter(pk=post_id, status=PostStatus.SCHEDULED, publish_at__lte=now).first()
    if post is None:
        return False
    return post_publish(post=post, now=now)


def publish_due(*, now) -> int:
    """Catch up on scheduled posts whose task was lost (runs daily and at worker start)."""
    from homeward.channel.services import post_publish

    return sum(
        post_publish(post=p, now=now) for p in Post.objects.filter(status=PostStatus.SCHEDULED, publish_at__lte=now)
    )


def record_follower_counts(*, today) -> dict:
    """Store today's follower counts by source (idempotent: one row per day and source)."""
    counts = {FollowerCount.Source.APP: Follow.objects.count()}
    from homeward.telegram.services import bridge_enabled

    if bridge_enabled():
        from homeward.telegram.client import channel_member_count

        telegram = channel_member_count()
        if telegram is not None:
            counts[FollowerCount.Source.TELEGRAM] = telegram
    for source, count in counts.items():
        FollowerCount.objects.update_or_create(day=today, source=source, defaults={"count": count})
    return {str(k): v for k, v in counts.items()}


@daily
@task()
def channel_daily() -> dict:
    now = timezone.now()
    return {"published": publish_due(now=now), "followers": record_follower_counts(today=timezone.localdate())}
