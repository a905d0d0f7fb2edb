"""Hostile input to the loved-ones forms and the clock never gives a server error or half a
record (PRIVACY.md rule 10).

Hypothesis sends what a browser could send and much it would not: NUL and other control
characters, emoji, huge strings, impossible dates (30 February, year 0, year 10000),
negative and huge numbers, repeated and missing fields.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from homeward.families import services
from homeward.families.models import LovedOne, Relation, Status, StatusChange
from homeward.lib.tests.fuzzing import fuzz

SPECIAL = [
    "",
    " ",
    "\x00",
    "Алексей\x00",
    "a\x1b[31mred",
    "\r\n\t",
    "\u202eevil",
    "\u200b\u200d\ufeff",
    "🕊️👩‍👧‍👦🇷🇺",
    "<script>alert(1)</script>",
    "'; DROP TABLE families_lovedone; --",
    "%_\\",
    "0",
    "-1",
    "-9223372036854775809",
    "9223372036854775808",
    "99999999999999999999999999999999",
    "1e9",
    "NaN",
    "on",
    "true",
]
BAD_DATES = [
    "2023-02-30",
    "2023-02-29",
    "2024-13-01",
    "2024-00-10",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "-2022-09-21",
    "2022-9-21",
    "21.09.2022",
    "09/21/2022",
    "2022-09-21T00:00:00",
    "2022-09-21\x00",
    "２０２２-０９-２１",  # full-width digits
    "１",
    "1663718400",
]

huge = st.builds(lambda chars, n: chars * n, st.text(min_size=1, max_size=3), st.integers(1_000, 100_000))
text = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=60), huge)
numbers = st.integers(-(2**70), 2**70).map(str)
plausible_dates = st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2025, 1, 1)).map(dt.date.isoformat)
dates = st.one_of(plausible_dates, st.dates().map(dt.date.isoformat), st.sampled_from(BAD_DATES), text, numbers)
value = st.one_of(text, numbers, st.lists(text, min_size=2, max_size=3))


def form(optional: dict, **fixed):
    """Form data: `fixed` fields are always there (each sometimes junk), `optional` ones may be missing."""
    return st.fixed_dictionaries(
        {name: st.one_of(strategy, value) for name, strategy in fixed.items()},
        optional={name: st.one_of(strategy, value) for name, strategy in optional.items()} | {"unexpected": value},
    )


def post(client, url, data):
    """POST as a browser does (urlencoded), with whatever hypothesis chose."""
    return client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


def no_server_error(response):
    assert response.status_code < 500, response.status_code


def snapshot(lo: LovedOne):
    lo = LovedOne.objects.get(pk=lo.pk)
    fields = [f.attname for f in LovedOne._meta.concrete_fields]
    return {f: getattr(lo, f) for f in fields}, list(lo.history.values_list("status", "on"))


@pytest.fixture
def loved_one(cast, chapter_a):
    return services.loved_one_create(
        owner=cast["member"],
        data={
            "relation": "husband",
            "name": "Алексей",
            "mobilized_on": dt.date(2022, 9, 21),
            "region": chapter_a.region,
            "status": "serving",
            "status_since": dt.date(2022, 9, 21),
        },
    )


@pytest.fixture
def member_client(client_for):
    return client_for("member")


def regions():
    from homeward.chapters.models import Region

    first = Region.objects.order_by("pk").values_list("pk", flat=True).first() or 1
    return st.one_of(st.integers(first, first + 88).map(str), numbers, text)


relations = st.sampled_from(Relation.values)
statuses = st.sampled_from(Status.values)
ticks = st.sampled_from(["on", "", "off", "1", "0"])


def lo_fields(region_ids):
    return {
        "relation": relations,
        "name": text,
        "mobilized_on": dates,
        "early_call_up": ticks,
        "region": region_ids,
        "unit": text,
        "status": statuses,
        "status_since": dates,
        "last_leave_on": dates,
        "last_contact_on": dates,
    }


# --- adding -------------------------------------------------------------------------


@fuzz
@given(data=st.data())
@example(data=None)
def test_adding_never_fails_and_a_refusal_stores_nothing(cast, member_client, chapter_a, data):
    fields = lo_fields(regions())
    if data is None:  # a well-formed add, so the success branch is always exercised
        sent = {
            "relation": "son",
            "name": "🕊️ Саша",
            "mobilized_on": "2022-10-01",
            "region": str(chapter_a.region.pk),
            "status": "home",
            "status_since": "2023-10-01",
        }
    else:
        sent = data.draw(
            form({k: v for k, v in fields.items() if k != "mobilized_on"}, mobilized_on=fields["mobilized_on"])
        )
    before = (LovedOne.objects.count(), StatusChange.objects.count())

    response = post(member_client, reverse("families:add"), sent)

    no_server_error(response)
    after = (LovedOne.objects.count(), StatusChange.objects.count())
    if data is None:
        assert response.status_code == 302
    if response.status_code == 302:
        assert after == (before[0] + 1, before[1] + 1)
        lo = LovedOne.objects.latest("pk")
        assert lo.owner == cast["member"]
        assert lo.mobilized_on <= lo.status_since <= timezone.localdate()
        assert "\x00" not in lo.name + lo.unit
    elif response.status_code == 200:  # an empty POST only shows the form again
        assert sent == {}
        assert after == before
    else:
        assert response.status_code == 400
        assert after == before
        if len(urlencode(sent, doseq=True)) < settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            assert 'class="error"' in response.content.decode()  # she is told why


# --- editing ------------------------------------------------------------------------


@fuzz
@given(data=st.data())
@example(data=None)
def test_editing_never_fails_and_a_refusal_changes_nothing(loved_one, member_client, data):
    fields = lo_fields(regions())
    fields.pop("status")
    fields.pop("status_since")
    if data is None:  # a well-formed edit, so the success branch is always exercised
        sent = {
            "relation": "son",
            "name": "Саша\u200d🕊️",
            "mobilized_on": "2022-09-20",
            "early_call_up": "on",
            "region": str(loved_one.region_id),
            "last_contact_on": "2024-02-03",
        }
    else:
        sent = data.draw(form(fields))
    before = snapshot(loved_one)

    response = post(member_client, reverse("families:edit", args=[loved_one.pk]), sent)

    no_server_error(response)
    after = snapshot(loved_one)
    if data is None:
        assert response.status_code == 302
    if response.status_code == 302:
        assert after[1] == before[1]  # the history is not edited here
        assert after[0]["mobilized_on"] <= after[0]["status_since"]
    elif response.status_code == 200:  # an empty POST only shows the form again
        assert sent == {}
        assert after == before
    else:
        assert response.status_code == 400
        assert after == before


# --- status -------------------------------------------------------------------------


@fuzz
@given(data=st.data())
@example(data=None)
def test_a_status_change_never_fails_and_a_refusal_changes_nothing(loved_one, member_client, data):
    sent = (
        {"status": "home", "on": "2024-02-03"} if data is None else data.draw(form({"status": statuses, "on": dates}))
    )
    before = snapshot(loved_one)

    response = post(member_client, reverse("families:status", args=[loved_one.pk]), sent)

    no_server_error(response)
    after = snapshot(loved_one)
    if data is None:
        assert response.status_code == 302
    if response.status_code == 302:
        assert len(after[1]) == len(before[1]) + 1
        assert after[1][-1] == (after[0]["status"], after[0]["status_since"])
        assert [on for _, on in after[1]] == sorted(on for _, on in after[1])
    else:
        assert response.status_code == 400
        assert after == before


# --- the clock ----------------------------------------------------------------------

as_of_junk = st.one_of(dates, st.lists(dates, min_size=2, max_size=3))


@fuzz
@given(as_of=as_of_junk)
@example(as_of="0001-01-01")
@example(as_of="9999-12-31")
def test_the_clock_page_never_fails_whatever_the_date(loved_one, member_client, as_of):
    response = member_client.get(reverse("families:detail", args=[loved_one.pk]), {"as_of": as_of})

    no_server_error(response)
    assert response.status_code in (200, 400)
    assert 'id="days-served"' in response.content.decode()


@fuzz
@given(as_of=as_of_junk)
@example(as_of="0001-01-01")
@example(as_of="9999-12-31")
def test_the_api_clock_never_fails_whatever_the_date(loved_one, member_client, as_of):
    response = member_client.get(f"/api/v1/loved-ones/{loved_one.pk}/clock", {"as_of": as_of})

    no_server_error(response)
    assert response.status_code in (200, 400, 422)
    assert response["Content-Type"].startswith("application/json")
