"""When things are due for an action, and the daily catch-up and purge."""

from django.utils import timezone
from django_tasks import task

from homeward.actions.models import Action
from homeward.lib.scheduling import daily


@task()
def action_due(action_id: int) -> dict:
    """Woken at the reminder, the reveal and the check-out prompt times of one action.
    Idempotent; an action moved or deleted since is handled by what is due now."""
    from homeward.actions.services import action_due as due

    action = Action.objects.select_related("chapter").filter(pk=action_id).first()
    if action is None:
        return {}
    return due(action=action, now=timezone.now())


@daily
@task()
def actions_daily() -> dict:
    """Catch up on anything due whose task was lost, then forget who came to past actions."""
    from homeward.actions.services import actions_due, actions_purge

    now = timezone.now()
    return {"due": actions_due(now=now), "purged": actions_purge(now=now)}
