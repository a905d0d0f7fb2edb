"""iCalendar feeds: parse as RFC 5545, public actions only, the city and never the place."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from conftest import signed_in_client
from homeward.actions import services
from homeward.actions.tests.builders import LAWYERS, make_action, place_marker

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(cal):
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


@pytest.fixture
def actions(cast, chapter_a, chapter_b):
    places = [place_marker() for _ in range(4)]
    mow = make_action(chapter=chapter_a, title="Пикет в Москве", place=places[0], starts_in=dt.timedelta(days=3))
    spe = make_action(
        chapter=chapter_b, title="Цветы в Петербурге", city="Санкт-Петербург", place=places[1], kind="flower_laying"
    )
    private = make_action(
        chapter=chapter_a, title="Собрание отделения", place=places[2], is_public=False, kind="meeting"
    )
    cancelled = make_action(chapter=chapter_a, title="Отменённый митинг", place=places[3], kind="rally")
    services.action_cancel(actor=cast["coordinator"], action=cancelled)
    return {"mow": mow, "spe": spe, "private": private, "cancelled": cancelled, "places": places}


def test_the_movement_calendar(actions, cast):
    for role in ("visitor", "member", "admin"):
        response = signed_in_client(cast[role]).get(reverse("actions:calendar"))
        cal = parse(response)
        found = events(cal)
        assert set(found) == {"Пикет в Москве", "Цветы в Петербурге", "Отменённый митинг"}
    mow = found["Пикет в Москве"]
    assert str(mow["location"]) == "Москва"
    assert mow.decoded("dtstart") == actions["mow"].starts_at.replace(microsecond=0)
    assert mow.decoded("dtend") == actions["mow"].ends_at.replace(microsecond=0)
    assert str(mow["status"]) == "TENTATIVE"
    assert str(mow["url"]).endswith(reverse("actions:detail", args=[actions["mow"].pk]))
    assert str(mow["uid"]).startswith(f"action-{actions['mow'].pk}@")
    assert str(found["Отменённый митинг"]["status"]) == "CANCELLED"
    text = response.content.decode()
    for place in actions["places"]:
        assert place not in text
    assert LAWYERS not in text


def test_the_chapter_calendar_holds_its_public_actions(actions, chapter_a, chapter_b):
    cal_a = parse(signed_in_client(None).get(reverse("actions:chapter_calendar", args=[chapter_a.slug])))
    cal_b = parse(signed_in_client(None).get(reverse("actions:chapter_calendar", args=[chapter_b.slug])))

    assert set(events(cal_a)) == {"Пикет в Москве", "Отменённый митинг"}
    assert set(events(cal_b)) == {"Цветы в Петербурге"}
    assert "Москва" in str(cal_a["x-wr-calname"]) or chapter_a.name in str(cal_a["x-wr-calname"])


def test_an_unknown_chapter_has_no_calendar(db):
    assert signed_in_client(None).get(reverse("actions:chapter_calendar", args=["nowhere"])).status_code == 404


def test_members_only_actions_never_reach_a_calendar_even_for_members(actions, cast, chapter_a):
    for account in (cast["member"], cast["coordinator"], cast["admin"]):
        for url in (reverse("actions:calendar"), reverse("actions:chapter_calendar", args=[chapter_a.slug])):
            assert "Собрание отделения" not in signed_in_client(account).get(url).content.decode()


def test_a_confirmed_action_is_confirmed_and_an_old_one_leaves_the_feed(cast, chapter_a):
    confirmed = make_action(chapter=chapter_a, title="Подтверждённый")
    services.action_update(
        actor=cast["coordinator"],
        action=confirmed,
        data={"status": "confirmed"},
        lawyers=[],
    )
    make_action(chapter=chapter_a, title="Давний", starts_in=-dt.timedelta(days=120))

    found = events(parse(signed_in_client(None).get(reverse("actions:calendar"))))

    assert set(found) == {"Подтверждённый"}
    assert str(found["Подтверждённый"]["status"]) == "CONFIRMED"
