"""The notice window (54-FZ art. 7 part 1) for each kind, against a table of dates."""

from __future__ import annotations

import datetime as dt

import pytest

from homeward.actions.notice import Requirement, notice_window

D = dt.date.fromisoformat

# kind, event day, today → requirement, earliest, latest, can_meet, not_yet, extended
TABLE = [
    # Rally and march: no earlier than 15, no later than 10 days before the day.
    ("rally", "2026-04-25", "2026-04-01", Requirement.REQUIRED, "2026-04-10", "2026-04-15", True, True, False),
    ("rally", "2026-04-25", "2026-04-09", Requirement.REQUIRED, "2026-04-10", "2026-04-15", True, True, False),
    ("rally", "2026-04-25", "2026-04-10", Requirement.REQUIRED, "2026-04-10", "2026-04-15", True, False, False),
    ("rally", "2026-04-25", "2026-04-15", Requirement.REQUIRED, "2026-04-10", "2026-04-15", True, False, False),
    ("rally", "2026-04-25", "2026-04-16", Requirement.REQUIRED, "2026-04-10", "2026-04-15", False, False, False),
    ("rally", "2026-04-25", "2026-04-25", Requirement.REQUIRED, "2026-04-10", "2026-04-15", False, False, False),
    ("march", "2026-06-20", "2026-06-10", Requirement.REQUIRED, "2026-06-05", "2026-06-10", True, False, False),
    ("march", "2026-06-20", "2026-06-11", Requirement.REQUIRED, "2026-06-05", "2026-06-10", False, False, False),
    # A window across the year's end.
    ("rally", "2027-01-05", "2026-12-21", Requirement.REQUIRED, "2026-12-21", "2026-12-26", True, False, False),
    # Group picket: no later than 3 days before (Mon–Wed before a Thursday: no Sunday, no holiday).
    ("group_picket", "2026-04-23", "2026-04-20", Requirement.REQUIRED, "2026-04-08", "2026-04-20", True, False, False),
    ("group_picket", "2026-04-23", "2026-04-21", Requirement.REQUIRED, "2026-04-08", "2026-04-20", False, False, False),
    ("group_picket", "2026-04-23", "2026-04-07", Requirement.REQUIRED, "2026-04-08", "2026-04-20", True, True, False),
    # …4 days when a Sunday falls within the three days (a Tuesday picket: Sat, Sun, Mon before it).
    ("group_picket", "2026-04-21", "2026-04-17", Requirement.REQUIRED, "2026-04-06", "2026-04-17", True, False, True),
    ("group_picket", "2026-04-21", "2026-04-18", Requirement.REQUIRED, "2026-04-06", "2026-04-17", False, False, True),
    # …or a non-working holiday (11 May 2026, Victory Day observed, before a Thursday picket).
    ("group_picket", "2026-05-14", "2026-05-10", Requirement.REQUIRED, "2026-04-29", "2026-05-10", True, False, True),
    ("group_picket", "2026-05-14", "2026-05-11", Requirement.REQUIRED, "2026-04-29", "2026-05-10", False, False, True),
    # Flower-laying: advisable on the group picket's terms.
    (
        "flower_laying",
        "2026-04-23",
        "2026-04-20",
        Requirement.ADVISABLE,
        "2026-04-08",
        "2026-04-20",
        True,
        False,
        False,
    ),
    (
        "flower_laying",
        "2026-04-22",
        "2026-04-19",
        Requirement.ADVISABLE,
        "2026-04-07",
        "2026-04-18",
        False,
        False,
        True,
    ),
]


@pytest.mark.parametrize(
    ("kind", "event", "today", "requirement", "earliest", "latest", "can_meet", "not_yet", "extended"), TABLE
)
def test_notice_window_table(kind, event, today, requirement, earliest, latest, can_meet, not_yet, extended):
    window = notice_window(kind=kind, event_day=D(event), today=D(today))

    assert window.requirement == requirement
    assert (window.earliest, window.latest) == (D(earliest), D(latest))
    assert window.can_meet is can_meet
    assert window.not_yet is not_yet
    assert window.extended is extended
    assert window.needed
    assert "54-FZ" in window.article and "art. 7" in window.article


@pytest.mark.parametrize("kind", ["solo_picket", "meeting", "online"])
@pytest.mark.parametrize("today", ["2026-04-01", "2026-04-25"])
def test_no_notice_for_solo_pickets_meetings_and_online_actions(kind, today):
    window = notice_window(kind=kind, event_day=D("2026-04-25"), today=D(today))

    assert window.requirement == Requirement.NONE
    assert not window.needed
    assert (window.earliest, window.latest) == (None, None)
    assert window.can_meet is True  # nothing to miss, even on the day itself
    assert "54-FZ" in window.article


def test_every_kind_has_a_rule():
    from homeward.actions.models import Kind
    from homeward.actions.notice import RULES

    assert set(RULES) == set(Kind.values)


def test_the_article_speaks_russian_in_russian():
    from django.utils import translation

    with translation.override("ru"):
        window = notice_window(kind="rally", event_day=D("2026-04-25"), today=D("2026-04-01"))
    assert "54-ФЗ" in window.article
