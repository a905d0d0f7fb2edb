"""Late reveal: the exact place shows only to members who said they are coming, and only from
`reveal_hours` before the start; coordinators and admins see it on the management page.
Tests grep the HTML (and the feeds) of every role one minute either side of the reveal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import ROLES, make_account, signed_in_client
from homeward.actions.services import action_rsvp
from homeward.actions.tests.builders import LAWYERS, make_action, place_marker

pytestmark = pytest.mark.django_db

MINUTE = dt.timedelta(minutes=1)
REVEAL = dt.timedelta(hours=3)


@pytest.fixture
def coming(chapter_a):
    """A second member of chapter A who said she is coming (the cast's member has not)."""
    account = make_account("coming_member", chapter=chapter_a)
    account.language = "en"
    account.save(update_fields=["language"])
    return account


def setup_action(cast, chapter_a, coming, *, starts_in):
    place = place_marker()
    action = make_action(chapter=chapter_a, actor=cast["coordinator"], starts_in=starts_in, place=place)
    action_rsvp(action=action, account=coming, coming=True, now=timezone.now())
    return action, place


def public_and_member_pages(action) -> list[str]:
    return [
        reverse("actions:list"),
        reverse("actions:detail", args=[action.pk]),
        reverse("actions:calendar"),
        reverse("actions:chapter_calendar", args=[action.chapter.slug]),
        reverse("actions:json"),
        reverse("actions:stats"),
        reverse("chapters:detail", args=[action.chapter.slug]),
        reverse("home"),
        reverse("notices:list"),
    ]


def everything_seen(client, action) -> str:
    body = []
    for url in public_and_member_pages(action):
        response = client.get(url)
        assert response.status_code in {200, 302}, (url, response.status_code)
        body.append(response.content.decode())
    return "\n".join(body)


@pytest.mark.parametrize("role", [*ROLES, "coming"])
def test_one_minute_before_the_reveal_nobody_sees_the_place_on_members_pages(role, cast, chapter_a, coming):
    action, place = setup_action(cast, chapter_a, coming, starts_in=REVEAL + MINUTE)
    account = coming if role == "coming" else cast[role]

    seen = everything_seen(signed_in_client(account), action)

    assert place not in seen
    assert LAWYERS not in seen
    if role == "coming":
        assert "The exact place will be shown here from" in seen


@pytest.mark.parametrize("role", [*ROLES, "coming"])
def test_one_minute_after_the_reveal_only_the_member_who_is_coming_sees_it(role, cast, chapter_a, coming):
    action, place = setup_action(cast, chapter_a, coming, starts_in=REVEAL - MINUTE)
    account = coming if role == "coming" else cast[role]

    seen = everything_seen(signed_in_client(account), action)

    detail = signed_in_client(account).get(reverse("actions:detail", args=[action.pk])).content.decode()
    if role == "coming":
        assert place in detail
        assert seen.count(place) == 1  # on her action page only: not in lists, feeds or notices
    else:
        assert place not in seen
    assert LAWYERS not in seen


@pytest.mark.parametrize("starts_in", [REVEAL + MINUTE, REVEAL - MINUTE, dt.timedelta(days=30)])
@pytest.mark.parametrize("role", ROLES)
def test_the_management_page_shows_the_place_to_coordinators_and_admins_always(
    role, starts_in, cast, chapter_a, coming
):
    action, place = setup_action(cast, chapter_a, coming, starts_in=starts_in)

    response = signed_in_client(cast[role]).get(reverse("actions:manage", args=[action.pk]))

    if role in {"coordinator", "admin"}:
        assert response.status_code == 200
        assert place in response.content.decode()
        assert LAWYERS in response.content.decode()
    else:
        assert response.status_code in {302, 403}
        assert place.encode() not in response.content


def test_a_coordinator_who_is_coming_sees_the_place_on_her_page_like_any_member(cast, chapter_a, coming):
    action, place = setup_action(cast, chapter_a, coming, starts_in=REVEAL - MINUTE)
    client = signed_in_client(cast["coordinator"])
    url = reverse("actions:detail", args=[action.pk])
    assert place not in client.get(url).content.decode()

    action_rsvp(action=action, account=cast["coordinator"], coming=True, now=timezone.now())

    assert place in client.get(url).content.decode()


def test_the_reveal_time_is_per_action(cast, chapter_a, coming):
    place = place_marker()
    action = make_action(chapter=chapter_a, starts_in=dt.timedelta(hours=10), place=place, reveal_hours=12)
    action_rsvp(action=action, account=coming, coming=True, now=timezone.now())

    assert place in signed_in_client(coming).get(reverse("actions:detail", args=[action.pk])).content.decode()


def test_a_cancelled_action_shows_no_place(cast, chapter_a, coming):
    from homeward.actions.services import action_cancel

    action, place = setup_action(cast, chapter_a, coming, starts_in=REVEAL - MINUTE)
    action_cancel(actor=cast["coordinator"], action=action)

    html = signed_in_client(coming).get(reverse("actions:detail", args=[action.pk])).content.decode()

    assert place not in html
    assert "This action is cancelled." in html


def test_taking_back_the_rsvp_hides_the_place_again(cast, chapter_a, coming):
    action, place = setup_action(cast, chapter_a, coming, starts_in=REVEAL - MINUTE)
    client = signed_in_client(coming)
    url = reverse("actions:detail", args=[action.pk])
    assert place in client.get(url).content.decode()

    client.post(reverse("actions:rsvp", args=[action.pk]), {"coming": "0"})

    assert place not in client.get(url).content.decode()


def test_public_json_and_calendar_carry_the_city_never_the_place(cast, chapter_a, coming):
    action, place = setup_action(cast, chapter_a, coming, starts_in=REVEAL - MINUTE)
    client = signed_in_client(None)

    data = json.loads(client.get(reverse("actions:json")).content)
    ics = client.get(reverse("actions:calendar")).content.decode()

    [item] = data["actions"]
    assert (item["id"], item["city"], item["kind"]) == (action.pk, "Москва", "group_picket")
    assert place not in json.dumps(data, ensure_ascii=False)
    assert "Москва" in ics and place not in ics


def test_the_place_is_encrypted_and_the_page_for_members_is_never_stored(cast, chapter_a, coming):
    from django.db import connection

    action, place = setup_action(cast, chapter_a, coming, starts_in=REVEAL - MINUTE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT place, lawyers_contacts FROM actions_action WHERE id = %s", [action.pk])
        raw_place, raw_lawyers = cursor.fetchone()
    assert raw_place.startswith("hw1:") and place not in raw_place
    assert raw_lawyers.startswith("hw1:") and LAWYERS not in raw_lawyers

    response = signed_in_client(coming).get(reverse("actions:detail", args=[action.pk]))
    assert "no-store" in response["Cache-Control"]


def test_a_visitors_cached_page_never_holds_the_place(cast, chapter_a, coming, settings):
    settings.ANONYMOUS_CACHE_SECONDS = 30
    action, place = setup_action(cast, chapter_a, coming, starts_in=REVEAL - MINUTE)
    url = reverse("actions:detail", args=[action.pk])
    signed_in_client(None).get(url)  # fills the visitors' cache

    assert place in signed_in_client(coming).get(url).content.decode()
    assert place not in signed_in_client(None).get(url).content.decode()


def test_members_only_actions_are_hidden_from_the_public(cast, chapter_a):
    action = make_action(chapter=chapter_a, is_public=False, title="Встреча отделения")
    url = reverse("actions:detail", args=[action.pk])

    for role in ("visitor", "follower", "outsider", "other_coordinator"):
        client = signed_in_client(cast[role])
        assert client.get(url).status_code == 404, role
        assert "Встреча отделения" not in client.get(reverse("actions:list")).content.decode()
    assert "Встреча отделения" not in signed_in_client(None).get(reverse("actions:calendar")).content.decode()
    for role in ("member", "coordinator", "admin"):
        assert signed_in_client(cast[role]).get(url).status_code == 200, role
