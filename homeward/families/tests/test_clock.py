"""The service clock (счётчик службы): days served, leave due and comparisons, pinned to dates.

Pure date arithmetic, so every case is a row of a table: the dates a member would type
and what the clock must say about them.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from homeward.families.clock import (
    LEAVE_EVERY_MONTHS,
    MILESTONES,
    ClockError,
    add_months,
    leave_cutoff,
    service_clock,
    years_months_days,
)
from homeward.families.models import Precedent

D = dt.date
DEMAND = 365  # the movement's demand: one year


def clock(mobilized_on, as_of, **kwargs):
    kwargs.setdefault("demand_days", DEMAND)
    return service_clock(mobilized_on=mobilized_on, as_of=as_of, **kwargs)


# --- days served ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mobilized_on", "as_of", "days"),
    [
        # The movement's own count: 21 Sep 2022 to 3 Feb 2024 is 500 days.
        (D(2022, 9, 21), D(2024, 2, 3), 500),
        (D(2022, 9, 21), D(2022, 9, 21), 0),  # the day of mobilization itself
        (D(2022, 9, 21), D(2022, 9, 22), 1),
        (D(2022, 9, 21), D(2023, 9, 21), 365),  # no 29 February in between
        (D(2023, 9, 21), D(2024, 9, 21), 366),  # 29 Feb 2024 is in the span
        (D(2024, 2, 28), D(2024, 3, 1), 2),  # over 29 February
        (D(2023, 2, 28), D(2023, 3, 1), 1),  # no 29 February in 2023
        (D(2022, 9, 21), D(2024, 9, 15), 725),
        (D(2022, 9, 21), D(2025, 6, 17), 1000),
    ],
)
def test_days_served_are_calendar_days_from_mobilization(mobilized_on, as_of, days):
    assert clock(mobilized_on, as_of).days == days


def test_500_days_reads_as_one_year_four_months_and_thirteen_days():
    c = clock(D(2022, 9, 21), D(2024, 2, 3))

    assert (c.years, c.months, c.rest_days) == (1, 4, 13)
    assert c.as_of == c.end == D(2024, 2, 3)
    assert not c.ended


@pytest.mark.parametrize(
    ("as_of", "passed"),
    [
        (D(2023, 9, 20), []),
        (D(2023, 9, 21), [365]),
        (D(2024, 2, 2), [365]),
        (D(2024, 2, 3), [365, 500]),
        (D(2025, 6, 17), list(MILESTONES)),
    ],
)
def test_milestones_passed(as_of, passed):
    assert clock(D(2022, 9, 21), as_of).milestones_passed == passed


# --- calendar months ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2022, 8, 31), 6, D(2023, 2, 28)),  # February has no 31st: its last day
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # ... which in a leap year is the 29th
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # a leap day one year on
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2022, 10, 31), 6, D(2023, 4, 30)),  # April has 30 days
        (D(2022, 9, 21), 6, D(2023, 3, 21)),
        (D(2022, 12, 15), 1, D(2023, 1, 15)),  # over the new year
        (D(2022, 9, 21), 0, D(2022, 9, 21)),
        (D(2023, 2, 28), -6, D(2022, 8, 28)),  # backwards
        (D(2023, 3, 31), -1, D(2023, 2, 28)),
        (D(2023, 1, 15), -1, D(2022, 12, 15)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2023, 1, 31), D(2023, 2, 28), (0, 1, 0)),  # to the end of a short month is a whole month
        (D(2024, 1, 31), D(2024, 2, 29), (0, 1, 0)),  # leap February
        (D(2024, 1, 31), D(2024, 2, 28), (0, 0, 28)),  # one day short of it
        (D(2023, 1, 31), D(2023, 3, 1), (0, 1, 1)),
        (D(2023, 3, 31), D(2023, 4, 30), (0, 1, 0)),  # April has 30 days
        (D(2023, 3, 31), D(2023, 5, 31), (0, 2, 0)),
        (D(2023, 3, 30), D(2023, 4, 29), (0, 0, 30)),
        (D(2024, 2, 29), D(2025, 2, 28), (1, 0, 0)),  # a leap day's anniversary
        (D(2024, 2, 29), D(2025, 2, 27), (0, 11, 29)),
        (D(2022, 9, 21), D(2023, 9, 20), (0, 11, 30)),
        (D(2022, 9, 21), D(2023, 9, 21), (1, 0, 0)),
        (D(2022, 9, 21), D(2022, 9, 21), (0, 0, 0)),
        (D(2022, 9, 21), D(2025, 6, 17), (2, 8, 27)),
    ],
)
def test_years_months_days(start, end, expected):
    assert years_months_days(start, end) == expected


# --- service ended --------------------------------------------------------------------


@pytest.mark.parametrize("as_of", [D(2023, 6, 1), D(2024, 2, 3), D(2030, 1, 1)])
def test_the_clock_stops_on_the_day_service_ended(as_of):
    """Home or killed on 1 June 2023: asking later changes nothing, and no leave is due."""
    c = clock(D(2022, 9, 21), as_of, service_ended_on=D(2023, 6, 1), last_leave_on=D(2022, 10, 1))

    assert c.ended
    assert c.end == D(2023, 6, 1)
    assert c.days == 253
    assert (c.years, c.months, c.rest_days) == (0, 8, 11)
    assert c.leave_due is False
    assert c.leave_due_since is None
    assert c.beyond_demand == 0


def test_asked_about_a_day_before_service_ended_the_clock_still_runs():
    c = clock(D(2022, 9, 21), D(2023, 5, 1), service_ended_on=D(2023, 6, 1))

    assert not c.ended
    assert c.end == D(2023, 5, 1)
    assert c.days == 222
    assert c.leave_due is True  # six months after 21 Sep 2022 is 21 Mar 2023
    assert c.leave_due_since == D(2023, 3, 21)


def test_an_ended_service_longer_than_the_demand_keeps_its_days_beyond():
    c = clock(D(2022, 9, 21), D(2025, 1, 1), service_ended_on=D(2024, 2, 3))

    assert c.days == 500
    assert c.beyond_demand == 135


# --- leave ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mobilized_on", "last_leave_on", "as_of", "due", "since"),
    [
        # six months after mobilization: the day before, not due; that day, due
        (D(2022, 9, 21), None, D(2023, 3, 20), False, D(2023, 3, 21)),
        (D(2022, 9, 21), None, D(2023, 3, 21), True, D(2023, 3, 21)),
        (D(2022, 9, 21), None, D(2024, 2, 3), True, D(2023, 3, 21)),
        # month ends: 31 August + six months is the last day of February
        (D(2022, 8, 31), None, D(2023, 2, 27), False, D(2023, 2, 28)),
        (D(2022, 8, 31), None, D(2023, 2, 28), True, D(2023, 2, 28)),
        (D(2023, 8, 31), None, D(2024, 2, 28), False, D(2024, 2, 29)),
        (D(2023, 8, 31), None, D(2024, 2, 29), True, D(2024, 2, 29)),
        (D(2022, 10, 31), None, D(2023, 4, 29), False, D(2023, 4, 30)),
        (D(2022, 10, 31), None, D(2023, 4, 30), True, D(2023, 4, 30)),
        # six months after the last leave
        (D(2022, 9, 21), D(2023, 4, 10), D(2023, 10, 9), False, D(2023, 10, 10)),
        (D(2022, 9, 21), D(2023, 4, 10), D(2023, 10, 10), True, D(2023, 10, 10)),
        (D(2022, 9, 21), D(2024, 2, 29), D(2024, 8, 28), False, D(2024, 8, 29)),
        (D(2022, 9, 21), D(2024, 2, 29), D(2024, 8, 29), True, D(2024, 8, 29)),
        # a leave on the day asked about counts
        (D(2022, 9, 21), D(2023, 6, 1), D(2023, 6, 1), False, D(2023, 12, 1)),
        # a last leave after the day asked about is ignored: as if there were none yet
        (D(2022, 9, 21), D(2023, 6, 1), D(2023, 5, 31), True, D(2023, 3, 21)),
        (D(2022, 9, 21), D(2023, 6, 1), D(2023, 3, 20), False, D(2023, 3, 21)),
        # a "last leave" before mobilization is a typo and is ignored too
        (D(2022, 9, 21), D(2022, 9, 1), D(2023, 3, 21), True, D(2023, 3, 21)),
    ],
)
def test_leave_is_due_six_calendar_months_after_mobilization_or_the_last_leave(
    mobilized_on, last_leave_on, as_of, due, since
):
    c = clock(mobilized_on, as_of, last_leave_on=last_leave_on)

    assert (c.leave_due, c.leave_due_since) == (due, since)


@pytest.mark.parametrize(
    ("today", "cutoff"),
    [
        (D(2023, 3, 21), D(2022, 9, 21)),
        (D(2023, 2, 27), D(2022, 8, 27)),
        (D(2023, 2, 28), D(2022, 8, 31)),  # 28, 29, 30 and 31 August all fall due on 28 February
        (D(2024, 2, 29), D(2023, 8, 31)),
        (D(2024, 2, 28), D(2023, 8, 28)),
        (D(2023, 4, 30), D(2022, 10, 31)),
        (D(2023, 3, 31), D(2022, 9, 30)),
    ],
)
def test_leave_cutoff(today, cutoff):
    assert leave_cutoff(today) == cutoff


def test_leave_cutoff_agrees_with_the_clock_on_every_day_of_two_years():
    """The daily notice job selects by the cutoff; the page shows the clock. They must agree."""
    disagreements = []
    today = D(2023, 1, 1)
    while today <= D(2024, 12, 31):
        for back in range(170, 200):
            reference = today - dt.timedelta(days=back)
            by_cutoff = reference <= leave_cutoff(today)
            by_clock = clock(reference, today).leave_due
            by_months = add_months(reference, LEAVE_EVERY_MONTHS) <= today
            if not by_cutoff == by_clock == by_months:
                disagreements.append((reference, today, by_cutoff, by_clock))
        today += dt.timedelta(days=1)
    assert disagreements == []


# --- the demand and the precedents ----------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "days", "beyond"),
    [
        (D(2023, 9, 20), 364, 0),
        (D(2023, 9, 21), 365, 0),  # exactly the demanded year is not beyond it
        (D(2023, 9, 22), 366, 1),
        (D(2024, 2, 3), 500, 135),
    ],
)
def test_days_beyond_the_demanded_term(as_of, days, beyond):
    c = clock(D(2022, 9, 21), as_of)

    assert (c.days, c.beyond_demand, c.demand_days) == (days, beyond, DEMAND)


def test_a_different_demand_changes_only_the_days_beyond():
    c = service_clock(mobilized_on=D(2022, 9, 21), as_of=D(2024, 2, 3), demand_days=183)

    assert (c.days, c.beyond_demand) == (500, 317)


PRECEDENTS = [
    Precedent(name_ru="Афганистан", name_en="Afghanistan", days=730, source="закон 1967 г."),
    Precedent(
        name_ru="Контракт", name_en="Contract", days=183, source="СМИ", note_ru="шесть месяцев", note_en="six months"
    ),
    Precedent(
        name_ru="Чечня", name_en="Chechnya", days=365, source="активистки", note_ru="по словам", note_en="a claim"
    ),
    Precedent(name_ru="Ровно", name_en="Exactly", days=500, source="тест"),
]


@pytest.mark.parametrize(
    ("name", "difference", "exceeded", "percent"),
    [
        ("Afghanistan", -230, False, 68),  # 500 / 730 = 68.5 %
        ("Contract", 317, True, 273),  # 500 / 183 = 273.2 %
        ("Chechnya", 135, True, 137),  # 500 / 365 = 137.0 %
        ("Exactly", 0, False, 100),  # equal is not "longer"
    ],
)
def test_comparisons_with_precedents_after_500_days(name, difference, exceeded, percent):
    with translation.override("en"):
        c = clock(D(2022, 9, 21), D(2024, 2, 3), precedents=PRECEDENTS)
    comparison = {x.name: x for x in c.comparisons}[name]

    assert comparison.difference == difference
    assert comparison.exceeded is exceeded
    assert comparison.percent == percent
    assert comparison.days == next(p.days for p in PRECEDENTS if p.name_en == name)


def test_comparisons_keep_the_precedents_order_source_and_note_in_the_active_language():
    with translation.override("ru"):
        c = clock(D(2022, 9, 21), D(2024, 2, 3), precedents=PRECEDENTS)

    assert [x.name for x in c.comparisons] == ["Афганистан", "Контракт", "Чечня", "Ровно"]
    assert [x.note for x in c.comparisons] == ["", "шесть месяцев", "по словам", ""]
    assert c.comparisons[0].source == "закон 1967 г."


def test_comparisons_count_the_days_up_to_the_end_of_service():
    c = clock(D(2022, 9, 21), D(2025, 1, 1), service_ended_on=D(2023, 3, 23), precedents=PRECEDENTS)

    contract = c.comparisons[1]
    assert c.days == 183
    assert (contract.difference, contract.exceeded, contract.percent) == (0, False, 100)


def test_no_precedents_no_comparisons():
    assert clock(D(2022, 9, 21), D(2024, 2, 3)).comparisons == []


# --- nonsense dates -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mobilized_on", "as_of"),
    [
        (D(2022, 9, 21), D(2022, 9, 20)),
        (D(2024, 2, 29), D(2024, 2, 28)),
        (D(2022, 9, 21), D(1, 1, 1)),
    ],
)
def test_a_day_before_mobilization_is_refused(mobilized_on, as_of):
    with pytest.raises(ClockError):
        clock(mobilized_on, as_of)


def test_the_far_future_is_still_arithmetic():
    c = clock(D(2022, 9, 21), D(9999, 12, 31))

    assert c.days == (D(9999, 12, 31) - D(2022, 9, 21)).days
    assert c.leave_due
