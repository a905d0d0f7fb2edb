"""The deadlines of 59-FZ, counted as the Civil Code counts: a table of dates a member
would type and the dates the law gives, over weekends, the New Year and May holidays,
the Government's transfers, and an admin's own corrections.

Calendar facts used below (Government transfer decrees, as the `holidays` RU calendar has them):
2024: 28 Dec (Sat) was a working day; 29 Dec–8 Jan off. 2025: 1–8 Jan, 1–4 May, 8–11 May,
12–15 Jun, 2–4 Nov off; 1 Nov (Sat) working. 2026: 1–11 Jan off; 8 Mar (Sun) moved to 9 Mar.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from homeward.appeals.deadlines import (
    ART_8_2,
    ART_8_3,
    ART_12_1,
    ART_12_2,
    WorkCalendar,
    estimated_receipt,
    filing_deadlines,
    period_end,
)

D = dt.date
RU = WorkCalendar()


def answer_due(registered_on, calendar=RU, **kwargs):
    return filing_deadlines(
        sent_on=registered_on, channel="site", registered_on=registered_on, calendar=calendar, **kwargs
    ).answer


# --- the answer: 30 days from registration (art. 12 part 1) -----------------------------


@pytest.mark.parametrize(
    ("registered_on", "nominal", "due"),
    [
        # an ordinary Wednesday: the 30th day after registration, nothing moves
        (D(2025, 3, 3), D(2025, 4, 2), D(2025, 4, 2)),
        # the 30th day is a Sunday, then a Saturday: Monday (art. 193)
        (D(2025, 2, 28), D(2025, 3, 30), D(2025, 3, 31)),
        (D(2025, 2, 27), D(2025, 3, 29), D(2025, 3, 31)),
        # New Year holidays: 1–8 January are off, the period ends on the 9th
        (D(2024, 12, 2), D(2025, 1, 1), D(2025, 1, 9)),
        (D(2024, 12, 9), D(2025, 1, 8), D(2025, 1, 9)),
        # 2026: 9 January is a day off moved from 3 January, then a weekend
        (D(2025, 12, 2), D(2026, 1, 1), D(2026, 1, 12)),
        # May holidays 2025: 1 May, 2 May (moved from 4 Jan), the weekend
        (D(2025, 4, 1), D(2025, 5, 1), D(2025, 5, 5)),
        # Victory Day on a Friday, 8 May moved from 23 Feb, then the weekend
        (D(2025, 4, 9), D(2025, 5, 9), D(2025, 5, 12)),
        (D(2025, 4, 8), D(2025, 5, 8), D(2025, 5, 12)),
        # a working Saturday (28 Dec 2024, moved from 30 Dec): the period ends on it
        (D(2024, 11, 28), D(2024, 12, 28), D(2024, 12, 28)),
        # the Sunday after it, then 30–31 Dec (days off) and the New Year
        (D(2024, 11, 29), D(2024, 12, 29), D(2025, 1, 9)),
        # 29 February exists in 2024 and is a Thursday
        (D(2024, 1, 30), D(2024, 2, 29), D(2024, 2, 29)),
        # 23 February on a Friday
        (D(2024, 1, 24), D(2024, 2, 23), D(2024, 2, 26)),
        # Russia Day 2025 (Thu), 13 June moved from 8 March, the weekend
        (D(2025, 5, 13), D(2025, 6, 12), D(2025, 6, 16)),
        # 3 Nov 2025 moved from 1 Nov, then Unity Day; and 1 Nov itself was worked
        (D(2025, 10, 4), D(2025, 11, 3), D(2025, 11, 5)),
        (D(2025, 10, 2), D(2025, 11, 1), D(2025, 11, 1)),
        # 8 March 2026 is a Sunday: the holiday moves to Monday the 9th
        (D(2026, 2, 6), D(2026, 3, 8), D(2026, 3, 10)),
    ],
)
def test_answer_is_due_30_days_after_registration_on_a_working_day(registered_on, nominal, due):
    deadline = answer_due(registered_on)

    assert (deadline.nominal, deadline.due) == (nominal, due)
    assert deadline.moved is (nominal != due)
    assert deadline.article == ART_12_1
    assert deadline.counted_from == registered_on
    assert deadline.days == 30
    assert deadline.estimated is False


# --- registration: 3 days from receipt (art. 8 part 2) ----------------------------------


@pytest.mark.parametrize(
    ("received_on", "due"),
    [
        (D(2025, 3, 3), D(2025, 3, 6)),  # Monday → Thursday
        (D(2025, 3, 5), D(2025, 3, 10)),  # → 8 March, a Saturday and a holiday → Monday
        (D(2024, 12, 30), D(2025, 1, 9)),  # → 2 January, inside the New Year holidays
        (D(2024, 12, 25), D(2024, 12, 28)),  # → a working Saturday
        (D(2025, 5, 6), D(2025, 5, 12)),  # → 9 May, Victory Day, then the weekend
    ],
)
def test_registration_is_due_3_days_after_receipt(received_on, due):
    dl = filing_deadlines(sent_on=received_on, channel="post", received_on=received_on, calendar=RU)

    assert dl.registration.due == due
    assert dl.registration.article == ART_8_2
    assert dl.registration.counted_from == received_on
    assert not dl.received_estimated


# --- forwarding: 7 days from registration (art. 8 part 3) -------------------------------


@pytest.mark.parametrize(
    ("registered_on", "due"),
    [
        (D(2025, 3, 3), D(2025, 3, 10)),
        (D(2025, 6, 5), D(2025, 6, 16)),  # → 12 June, then 13 June off and the weekend
        (D(2025, 12, 25), D(2026, 1, 12)),  # → 1 January 2026
    ],
)
def test_forwarding_notice_is_due_7_days_after_registration(registered_on, due):
    dl = filing_deadlines(sent_on=registered_on, channel="site", registered_on=registered_on, calendar=RU)

    assert dl.forwarding.due == due
    assert dl.forwarding.article == ART_8_3


# --- the extension: once, at most 30 days, only with a notice (art. 12 part 2) ----------


@pytest.mark.parametrize(
    ("registered_on", "days", "answer", "extended"),
    [
        (D(2025, 3, 3), 30, D(2025, 4, 2), D(2025, 5, 5)),  # → 2 May (off), the weekend → 5 May
        (D(2025, 3, 3), 10, D(2025, 4, 2), D(2025, 4, 14)),  # → Saturday 12 April → Monday
        (D(2025, 4, 1), 30, D(2025, 5, 5), D(2025, 6, 4)),  # counted from the moved end of the period
        (D(2025, 3, 3), 1, D(2025, 4, 2), D(2025, 4, 3)),
    ],
)
def test_an_extension_runs_from_the_end_of_the_original_period(registered_on, days, answer, extended):
    dl = filing_deadlines(
        sent_on=registered_on, channel="site", registered_on=registered_on, extension_days=days, calendar=RU
    )

    assert dl.answer.due == answer
    assert dl.extended.due == extended
    assert dl.extended.article == ART_12_2
    assert dl.extended.counted_from == answer
    assert dl.final is dl.extended


def test_without_a_notice_there_is_no_extension():
    dl = filing_deadlines(sent_on=D(2025, 3, 3), channel="site", registered_on=D(2025, 3, 3), calendar=RU)

    assert dl.extended is None
    assert dl.final is dl.answer
    assert [d.key for d in dl.all()] == ["registration", "forwarding", "answer"]


@pytest.mark.parametrize("days", [0, 31, 60, -1])
def test_an_extension_is_between_one_and_thirty_days(days):
    with pytest.raises(ValueError):
        filing_deadlines(
            sent_on=D(2025, 3, 3), channel="site", registered_on=D(2025, 3, 3), extension_days=days, calendar=RU
        )


# --- registration date unknown: estimated, and said so -----------------------------------


@pytest.mark.parametrize(
    ("channel", "sent_on", "received", "registration_due", "answer_due"),
    [
        # online: it arrives the day it is sent; registered at the latest on day 3
        ("gosuslugi", D(2025, 3, 3), D(2025, 3, 3), D(2025, 3, 6), D(2025, 4, 7)),
        ("site", D(2025, 3, 3), D(2025, 3, 3), D(2025, 3, 6), D(2025, 4, 7)),
        # by post: we assume 7 days on the way
        ("post", D(2025, 3, 3), D(2025, 3, 10), D(2025, 3, 13), D(2025, 4, 14)),
        # in person on 29 Dec 2025: day 3 is 1 January; the registration is due on 12 January 2026
        ("in_person", D(2025, 12, 29), D(2025, 12, 29), D(2026, 1, 12), D(2026, 2, 11)),
        # forwarded by another body: as by post
        ("forwarded", D(2025, 3, 3), D(2025, 3, 10), D(2025, 3, 13), D(2025, 4, 14)),
    ],
)
def test_without_a_registration_date_the_latest_lawful_one_stands_in(
    channel, sent_on, received, registration_due, answer_due
):
    dl = filing_deadlines(sent_on=sent_on, channel=channel, calendar=RU)
    by_post = channel in {"post", "forwarded"}

    # Online and in person it arrives the day it is sent; only the post's arrival is a guess.
    assert (dl.received_on, dl.received_estimated) == (received, by_post)
    assert dl.registration.due == registration_due
    assert dl.registration.estimated is by_post
    assert (dl.registered_on, dl.registration_estimated) == (registration_due, True)
    assert dl.answer.due == answer_due
    assert dl.answer.estimated and dl.forwarding.estimated


def test_post_days_are_a_setting():
    dl = filing_deadlines(sent_on=D(2025, 3, 3), channel="post", calendar=RU, post_days=10)

    assert dl.received_on == D(2025, 3, 13)
    assert estimated_receipt(sent_on=D(2025, 3, 3), channel="post", post_days=3) == D(2025, 3, 6)
    assert estimated_receipt(sent_on=D(2025, 3, 3), channel="site", post_days=3) == D(2025, 3, 3)


def test_a_known_receipt_date_is_used_as_is():
    dl = filing_deadlines(sent_on=D(2025, 3, 3), channel="post", received_on=D(2025, 3, 5), calendar=RU)

    assert (dl.received_on, dl.received_estimated) == (D(2025, 3, 5), False)
    assert dl.registration.due == D(2025, 3, 10)
    assert dl.registration.estimated is False
    assert dl.answer.estimated is True  # the registration date itself is still a guess


@pytest.mark.parametrize(
    ("received_on", "registered_on", "late"),
    [
        (D(2025, 3, 3), D(2025, 3, 6), False),
        (D(2025, 3, 3), D(2025, 3, 7), True),
        (D(2025, 3, 5), D(2025, 3, 10), False),  # the 8th was a holiday: Monday is on time
        (None, D(2025, 3, 20), None),  # receipt unknown: a slow post may explain it
        (None, D(2025, 3, 4), False),  # on time by any estimate
    ],
)
def test_a_late_registration_is_told_when_it_can_be(received_on, registered_on, late):
    dl = filing_deadlines(
        sent_on=D(2025, 3, 3), channel="post", received_on=received_on, registered_on=registered_on, calendar=RU
    )

    assert dl.registered_late is late


# --- the admin's corrections to the calendar ---------------------------------------------


def test_an_added_day_off_moves_the_deadline():
    calendar = WorkCalendar(extra_days_off=[D(2025, 4, 2)])

    assert answer_due(D(2025, 3, 3), calendar=calendar).due == D(2025, 4, 3)


def test_an_added_working_sunday_ends_the_period_on_it():
    calendar = WorkCalendar(extra_working=[D(2025, 3, 30)])

    assert answer_due(D(2025, 2, 28), calendar=calendar).due == D(2025, 3, 30)


def test_a_correction_wins_over_the_package():
    calendar = WorkCalendar(extra_working=[D(2025, 1, 8)])

    assert answer_due(D(2024, 12, 9), calendar=calendar).due == D(2025, 1, 8)


def test_a_calendar_with_no_working_day_for_60_days_is_refused():
    calendar = WorkCalendar(extra_days_off=[D(2025, 3, 1) + dt.timedelta(days=i) for i in range(70)])

    with pytest.raises(ValueError):
        period_end(D(2025, 3, 1), 3, calendar=calendar)


# --- properties over three years ----------------------------------------------------------


@given(
    event=st.dates(min_value=D(2024, 1, 1), max_value=D(2026, 11, 30)),
    days=st.sampled_from([3, 7, 30]),
)
def test_a_period_ends_on_the_first_working_day_from_its_last_calendar_day(event, days):
    end = period_end(event, days, calendar=RU)

    assert end.nominal == event + dt.timedelta(days=days)  # art. 191: from the next day
    assert RU.is_working(end.due)
    day = end.nominal
    while day < end.due:
        assert not RU.is_working(day)
        day += dt.timedelta(days=1)


def test_days_left_and_passed():
    deadline = answer_due(D(2025, 3, 3))  # due 2 April 2025

    assert deadline.days_left(D(2025, 3, 30)) == 3
    assert deadline.days_left(D(2025, 4, 2)) == 0
    assert not deadline.passed(D(2025, 4, 2))
    assert deadline.passed(D(2025, 4, 3))
    assert deadline.days_left(D(2025, 4, 5)) == -3
