"""Hostile input to every form of actions never produces a server error or half a record
(PRIVACY.md rule 10): the action form (new and edit), notice tracking, incidents, RSVP."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from homeward.actions.models import RSVP, Action, Incident
from homeward.actions.tests.builders import make_action
from homeward.lib.tests.fuzzing import fuzz

pytestmark = pytest.mark.django_db


SPECIAL = [
    "",
    " ",
    "\x00",
    "Москва\x00",
    "a\x1b[31mred",
    "\r\n\t",
    "\u202eevil",
    "\u200b\u200d\ufeff",
    "🕊️👩‍👧‍👦 Вернём наших домой",
    "<script>alert(1)</script>",
    "'; DROP TABLE actions_action; --",
    "x" * 5000,
    "@",
    "@@ , ;",
]
text = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=120))
numbers = st.one_of(
    st.sampled_from(["", "0", "-1", "3", "1.5", "336", "337", "99999999999999999999", "NaN", "1e3", "\x00"]),
    st.integers(-(2**70), 2**70).map(str),
    text,
)
datetimes = st.one_of(
    st.sampled_from(
        [
            "",
            "2026-12-01T10:00",
            "2026-12-01T09:00",
            "2014-01-01T00:00",
            "0001-01-01T00:00",
            "9999-12-31T23:59",
            "2026-02-30T10:00",
            "2026-12-01 10:00:00",
            "2026-12-01T25:61",
            "tomorrow",
        ]
    ),
    st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M")
    ),
    text,
)
dates = st.one_of(
    st.sampled_from(["", "2026-01-01", "0001-01-01", "9999-12-31", "2026-13-01", "yesterday"]),
    st.dates().map(lambda d: d.isoformat()),
    text,
)
kinds = st.one_of(st.sampled_from(["rally", "march", "solo_picket", "flower_laying", "RALLY", "", "picnic"]), text)
chapters = st.one_of(st.sampled_from(["A", "B", "", "0", "-1", "x", "99999999999999999999"]), text)


def action_data(draw_chapter, chapter_a, chapter_b):
    return {"A": str(chapter_a.pk), "B": str(chapter_b.pk)}.get(draw_chapter, draw_chapter)


@fuzz
@given(
    title=text,
    kind=kinds,
    chapter=chapters,
    city=text,
    place=text,
    starts=datetimes,
    ends=datetimes,
    reveal=numbers,
    public=st.sampled_from(["", "on", "0", "x"]),
    bring=text,
    briefing=text,
    contacts=text,
    lawyers=st.one_of(st.sampled_from(["member", "@member, admin_anna", "nobody", "a b c d e f g h i j k l"]), text),
    status=st.one_of(st.sampled_from(["planned", "cancelled", "done", "nope"]), text),
    editing=st.booleans(),
)
def test_the_action_form_never_fails(
    client_for,
    chapter_a,
    chapter_b,
    title,
    kind,
    chapter,
    city,
    place,
    starts,
    ends,
    reveal,
    public,
    bring,
    briefing,
    contacts,
    lawyers,
    status,
    editing,
):
    client = client_for("coordinator")
    data = {
        "title": title,
        "kind": kind,
        "chapter": action_data(chapter, chapter_a, chapter_b),
        "city": city,
        "place": place,
        "starts_at": starts,
        "ends_at": ends,
        "reveal_hours": reveal,
        "is_public": public,
        "what_to_bring": bring,
        "safety_briefing": briefing,
        "lawyers_contacts": contacts,
        "lawyers": lawyers,
    }
    if editing:
        action = _existing(chapter_a)
        response = client.post(reverse("actions:edit", args=[action.pk]), {**data, "status": status})
        assert response.status_code in {302, 400}, response.status_code
        action.refresh_from_db()
        assert action.ends_at > action.starts_at and "\x00" not in action.place + action.title + action.city
        return
    before = Action.objects.count()

    response = client.post(reverse("actions:new"), data)

    assert response.status_code in {302, 400}, response.status_code
    if response.status_code == 400:
        assert Action.objects.count() == before
    else:
        action = Action.objects.latest("pk")
        assert action.chapter_id == chapter_a.pk and action.ends_at > action.starts_at
        assert "\x00" not in action.place + action.title + action.city


def _existing(chapter):
    action = Action.objects.filter(title="Постоянная").first()
    return action or make_action(chapter=chapter, title="Постоянная")


@fuzz
@given(
    state=st.one_of(st.sampled_from(["filed", "refused", "counter_proposal", "agreed", "to_file", "x"]), text),
    filed_on=dates,
    reason=text,
    counter=text,
)
def test_the_notice_form_never_fails(client_for, chapter_a, state, filed_on, reason, counter):
    action = _existing(chapter_a)
    response = client_for("coordinator").post(
        reverse("actions:notice", args=[action.pk]),
        {
            "notice-state": state,
            "notice-filed_on": filed_on,
            "notice-reason": reason,
            "notice-counter_proposal": counter,
        },
    )

    assert response.status_code in {302, 400}
    action.refresh_from_db()
    assert action.notice_state in {"not_needed", "to_file", "filed", "agreed", "refused", "counter_proposal"}


@fuzz
@given(
    kind=st.one_of(st.sampled_from(["detentions", "fine", "violence", "x"]), text), count=numbers, on=dates, note=text
)
def test_the_incident_form_never_fails(client_for, chapter_a, kind, count, on, note):
    action = _existing(chapter_a)
    before = Incident.objects.count()

    response = client_for("coordinator").post(
        reverse("actions:incident", args=[action.pk]),
        {"incident-kind": kind, "incident-count": count, "incident-on": on, "incident-note": note},
    )

    assert response.status_code in {302, 400}
    assert Incident.objects.count() == before + (response.status_code == 302)


@fuzz
@given(
    step=st.sampled_from(["rsvp", "check_in", "check_out", "detained", "detail"]),
    coming=st.one_of(st.sampled_from(["1", "0", "", "2", "yes"]), text),
    pk=st.integers(-(2**70), 2**70),
)
def test_taking_part_never_fails(client_for, chapter_a, step, coming, pk):
    action = _existing(chapter_a)
    client = client_for("member")
    if step == "detail":
        assert client.get(f"/actions/{pk}/").status_code in {200, 404}
        return
    response = client.post(reverse(f"actions:{step}", args=[action.pk]), {"coming": coming})

    assert response.status_code == 302
    action.refresh_from_db()
    assert action.rsvp_count == RSVP.objects.filter(action=action).count()
