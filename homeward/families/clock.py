"""The service clock (счётчик службы): pure date arithmetic, pinned by tests.

Days served are calendar days from the date of mobilization to the date asked about
(`as_of`), or to the day service ended (home or killed) if that came first: 21 Sep 2022
to 3 Feb 2024 is 500 days, as the movement counted it. Leave for the mobilized is
14 days every six months: leave is due six calendar months after the last leave (or
after mobilization, if there has been none).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

LEAVE_EVERY_MONTHS = 6
MILESTONES = (365, 500, 730, 1000)


class ClockError(ValueError):
    """The date asked about makes no sense for this record (e.g. before mobilization)."""


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day if it has no such day (31 Aug + 6 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def leave_cutoff(today: dt.date) -> dt.date:
    """The latest leave (or mobilization) date after which a new leave is due by `today`.

    The inverse of add_months for set-based queries: `reference <= leave_cutoff(today)`
    exactly when `add_months(reference, LEAVE_EVERY_MONTHS) <= today`. On the last day of
    a month every later day of the month six months back also lands there (31 Aug and
    30 Aug + 6 months are both 28 Feb), so the cutoff is that month's last day.
    """
    cutoff = add_months(today, -LEAVE_EVERY_MONTHS)
    if (today + dt.timedelta(days=1)).day == 1:
        cutoff = cutoff.replace(day=calendar.monthrange(cutoff.year, cutoff.month)[1])
    return cutoff


def years_months_days(start: dt.date, end: dt.date) -> tuple[int, int, int]:
    """Whole years, then whole months, then days from start to end (end >= start)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if add_months(start, months) > end:
        months -= 1
    anchor = add_months(start, months)
    return months // 12, months % 12, (end - anchor).days


@dataclass(frozen=True)
class Comparison:
    name: str
    days: int
    note: str
    source: str
    difference: int  # days served minus the precedent's days; > 0 means longer

    @property
    def exceeded(self) -> bool:
        return self.difference > 0

    @property
    def percent(self) -> int:
        return round(100 * (self.days + self.difference) / self.days) if self.days else 0


@dataclass(frozen=True)
class Clock:
    as_of: dt.date
    end: dt.date
    ended: bool
    days: int
    years: int
    months: int
    rest_days: int
    demand_days: int
    beyond_demand: int
    leave_due: bool
    leave_due_since: dt.date | None
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def milestones_passed(self) -> list[int]:
        return [m for m in MILESTONES if self.days >= m]


def service_clock(
    *,
    mobilized_on: dt.date,
    as_of: dt.date,
    demand_days: int,
    service_ended_on: dt.date | None = None,
    last_leave_on: dt.date | None = None,
    precedents=(),
) -> Clock:
    if as_of < mobilized_on:
        raise ClockError("as_of is before the date of mobilization")
    ended = service_ended_on is not None and service_ended_on <= as_of
    end = service_ended_on if ended else as_of
    days = (end - mobilized_on).days
    years, months, rest = years_months_days(mobilized_on, end)

    leave_due_since = None
    if not ended:
        reference = last_leave_on if last_leave_on and mobilized_on <= last_leave_on <= as_of else mobilized_on
        leave_due_since = add_months(reference, LEAVE_EVERY_MONTHS)
    leave_due = leave_due_since is not None and as_of >= leave_due_since

    comparisons = [
        Comparison(name=p.name, days=p.days, note=p.note, source=p.source, difference=days - p.days) for p in precedents
    ]
    return Clock(
        as_of=as_of,
        end=end,
        ended=ended,
        days=days,
        years=years,
        months=months,
        rest_days=rest,
        demand_days=demand_days,
        beyond_demand=max(0, days - demand_days),
        leave_due=leave_due,
        leave_due_since=leave_due_since,
        comparisons=comparisons,
    )
