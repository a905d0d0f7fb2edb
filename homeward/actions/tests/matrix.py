"""The actions' part of the authorization matrix (homeward/lib/tests/test_authorization_matrix.py).

The objects: a public action of chapter A (starting in an hour, so check-in is open) with
an incident, where the member has said she is coming and checked in.
"""

from __future__ import annotations

import datetime as dt

from homeward.lib.tests.test_authorization_matrix import Case, everyone, signed_in

ACTION = lambda objs: {"pk": objs["action"].pk}  # noqa: E731


def managers(ok):
    """Chapter A's coordinator and admins; everyone else who can see the action: 403."""
    return {**signed_in(403), "coordinator": ok, "admin": ok}


def creators(ok):
    """Coordinators of any chapter (for their own chapters) and admins."""
    return {**signed_in(403), "coordinator": ok, "other_coordinator": ok, "admin": ok}


def members_of_a(ok):
    """The chapter's members (its coordinator is one) take part; others: 403."""
    return {**signed_in(403), "member": ok, "coordinator": ok}


MATRIX: dict[str, Case] = {
    "actions:list": Case(everyone(200)),
    "actions:stats": Case(everyone(200)),
    "actions:calendar": Case(everyone(200)),
    "actions:chapter_calendar": Case(everyone(200), kwargs=lambda objs: {"slug": objs["chapter_a"].slug}),
    "actions:json": Case(everyone(200)),
    "actions:detail": Case(everyone(200), kwargs=ACTION),
    "actions:new": Case(creators(200)),
    "actions:rsvp": Case(members_of_a(302), method="post", kwargs=ACTION, data={"coming": "1"}),
    "actions:check_in": Case(members_of_a(302), method="post", kwargs=ACTION),
    "actions:check_out": Case(members_of_a(302), method="post", kwargs=ACTION),
    "actions:detained": Case(members_of_a(302), method="post", kwargs=ACTION),
    "actions:manage": Case(managers(200), kwargs=ACTION),
    "actions:edit": Case(managers(200), kwargs=ACTION),
    "actions:cancel": Case(managers(302), method="post", kwargs=ACTION),
    "actions:notice": Case(managers(400), method="post", kwargs=ACTION, data={"notice-state": "nope"}),
    "actions:incident": Case(managers(400), method="post", kwargs=ACTION, data={"incident-kind": "nope"}),
    "actions:incident_delete": Case(
        managers(302),
        method="post",
        kwargs=lambda objs: {"pk": objs["action"].pk, "incident_id": objs["incident"].pk},
    ),
    "actions:ask": Case(managers(302), method="post", kwargs=ACTION),
}


def extra_objects(*, cast, objs) -> dict:
    from django.utils import timezone

    from homeward.actions.models import Incident
    from homeward.actions.services import action_check_in, action_rsvp
    from homeward.actions.tests.builders import make_action

    now = timezone.now()
    action = make_action(chapter=objs["chapter_a"], actor=cast["coordinator"], starts_in=dt.timedelta(hours=1))
    action_rsvp(action=action, account=cast["member"], coming=True, now=now)
    action_check_in(action=action, account=cast["member"], now=now)
    incident = Incident.objects.create(action=action, kind="fine", count=2, on=timezone.localdate())
    return {"action": action, "incident": incident}
