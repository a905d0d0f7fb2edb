"""Deadlines of an appeal to officials (обращение) under Federal Law 59-FZ, counted as the
Civil Code counts periods. Pure date arithmetic: no database, no clock; tests pin it.

The law (PRODUCT.md, Domain rules):

- art. 8 part 2: a written appeal is registered within 3 days of its receipt;
- art. 8 part 3: if the body is not competent, it forwards the appeal within 7 days of
  registration to the competent body, and notifies the sender;
- art. 12 part 1: the answer is due within 30 days of registration;
- art. 12 part 2: in exceptional cases the head of the body may extend that period once,
  by no more than 30 days, and must notify the sender — without the notice there is no
  extension.

Counting (Civil Code): a period in days runs in calendar days and begins on the day after
the event that opens it (art. 191), so "30 days from registration on 3 March" ends on
2 April. When the last day falls on a non-working day, the period ends on the next
working day (art. 193). 59-FZ does not say this itself; we apply art. 193 by analogy, as
the courts and prosecutors usually do, and the pages say it is an assumption.

Non-working days are Saturdays and Sundays, public holidays and the days off moved by
the Government's transfer decrees, as the `holidays` package's RU calendar knows them
(including working Saturdays), corrected by the days an admin adds (`WorkCalendar`).

When the registration date is not known, the latest lawful registration date stands in
for it: the receipt date (known, or estimated from the sending date and the channel)
plus 3 days. Every date computed from an estimate is marked `estimated`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import holidays

REGISTRATION_DAYS = 3  # art. 8 part 2
FORWARDING_DAYS = 7  # art. 8 part 3
ANSWER_DAYS = 30  # art. 12 part 1
MAX_EXTENSION_DAYS = 30  # art. 12 part 2

#: How long a filing takes to reach the body, by channel, when the receipt date is not known.
#: Online (the body's site, Gosuslugi) and in person it arrives the day it is sent; by post,
#: and when one body forwards it to another, `post_days` (a setting; see README).
SAME_DAY_CHANNELS = frozenset({"site", "gosuslugi", "in_person"})
DEFAULT_POST_DAYS = 7


@dataclass(frozen=True)
class Article:
    """Where a rule comes from: law, article, part (cited beside each date in the UI)."""

    law: str
    article: int
    part: int


ART_8_2 = Article("59-FZ", 8, 2)
ART_8_3 = Article("59-FZ", 8, 3)
ART_12_1 = Article("59-FZ", 12, 1)
ART_12_2 = Article("59-FZ", 12, 2)


@lru_cache(maxsize=64)
def _national_year(year: int):
    return holidays.country_holidays("RU", years=year)


class WorkCalendar:
    """Russian working days: the `holidays` RU calendar plus an admin's corrections.

    `extra_working` are days the Government made working (a working Saturday the package
    lacks); `extra_days_off` are days off it lacks. A correction wins over the package.
    """

    def __init__(self, *, extra_working: Iterable[dt.date] = (), extra_days_off: Iterable[dt.date] = ()):
        self.extra_working = frozenset(extra_working)
        self.extra_days_off = frozenset(extra_days_off)

    def is_working(self, day: dt.date) -> bool:
        if day in self.extra_working:
            return True
        if day in self.extra_days_off:
            return False
        return _national_year(day.year).is_working_day(day)

    def next_working(self, day: dt.date) -> dt.date:
        """The day itself if it is a working day, else the first working day after it."""
        for _ in range(60):  # the longest run of days off in Russia is the New Year's ~11 days
            if self.is_working(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError("no working day within 60 days: check the calendar corrections")


@dataclass(frozen=True)
class PeriodEnd:
    nominal: dt.date  # the last calendar day of the period (art. 191)
    due: dt.date  # moved to the next working day if that was a day off (art. 193)

    @property
    def moved(self) -> bool:
        return self.due != self.nominal


def period_end(event: dt.date, days: int, *, calendar: WorkCalendar) -> PeriodEnd:
    """The end of a period of `days` calendar days opened by an event on `event`.

    Art. 191: it starts the next day, so its last day is `event + days`.
    Art. 193 (by analogy): a last day that is not a working day moves to the next one.
    """
    if days < 0:
        raise ValueError("a period cannot be negative")
    nominal = event + dt.timedelta(days=days)
    return PeriodEnd(nominal=nominal, due=calendar.next_working(nominal))


@dataclass(frozen=True)
class Deadline:
    """One date the body must meet, with the article it comes from and what it counts from."""

    key: str  # "registration" | "forwarding" | "answer" | "extended_answer"
    due: dt.date
    nominal: dt.date
    days: int
    article: Article
    counted_from: dt.date
    basis: str  # "receipt" | "registration" | "answer_due"
    estimated: bool  # counted from an estimated date

    @property
    def moved(self) -> bool:
        return self.due != self.nominal

    def days_left(self, today: dt.date) -> int:
        """Days from today to the due date: 0 on the day, negative once it has passed."""
        return (self.due - today).days

    def passed(self, today: dt.date) -> bool:
        return today > self.due


@dataclass(frozen=True)
class Deadlines:
    received_on: dt.date
    received_estimated: bool
    registration: Deadline
    registered_on: dt.date  # as recorded, or the latest lawful date when unknown
    registration_estimated: bool
    forwarding: Deadline
    answer: Deadline
    extended: Deadline | None

    @property
    def final(self) -> Deadline:
        """The answer's due date that applies: extended if a notice of extension was recorded."""
        return self.extended or self.answer

    @property
    def registered_late(self) -> bool | None:
        """Registered after the 3 days of art. 8 part 2; None when it cannot be told."""
        if self.registration_estimated:
            return None
        late = self.registered_on > self.registration.due
        if late and self.received_estimated:
            return None  # the receipt date is only a guess: a late arrival would explain it
        return late

    def all(self) -> list[Deadline]:
        return [d for d in (self.registration, self.forwarding, self.answer, self.extended) if d is not None]


def estimated_receipt(*, sent_on: dt.date, channel: str, post_days: int = DEFAULT_POST_DAYS) -> dt.date:
    """When a filing reaches the body if nobody told us: the same day online or in person,
    `post_days` later by post or when forwarded by another body."""
    if channel in SAME_DAY_CHANNELS:
        return sent_on
    return sent_on + dt.timedelta(days=post_days)


def filing_deadlines(
    *,
    sent_on: dt.date,
    channel: str,
    calendar: WorkCalendar,
    received_on: dt.date | None = None,
    registered_on: dt.date | None = None,
    extension_days: int | None = None,
    post_days: int = DEFAULT_POST_DAYS,
) -> Deadlines:
    """Every 59-FZ deadline of one filing, from what the member knows about it.

    `extension_days` is the length of the extension stated in the body's notice (art. 12
    part 2); pass it only when the notice was received. It runs from the end of the
    original 30-day period.
    """
    if extension_days is not None and not 1 <= extension_days <= MAX_EXTENSION_DAYS:
        raise ValueError("an extension is between 1 and 30 days (59-FZ art. 12 part 2)")

    # Online and in person it arrives the day it is sent: only the post's date is a guess.
    received_estimated = received_on is None and channel not in SAME_DAY_CHANNELS
    receipt = received_on or estimated_receipt(sent_on=sent_on, channel=channel, post_days=post_days)

    def deadline(key, start, days, article, basis, estimated) -> Deadline:
        end = period_end(start, days, calendar=calendar)
        return Deadline(
            key=key,
            due=end.due,
            nominal=end.nominal,
            days=days,
            article=article,
            counted_from=start,
            basis=basis,
            estimated=estimated,
        )

    registration = deadline("registration", receipt, REGISTRATION_DAYS, ART_8_2, "receipt", received_estimated)
    registration_estimated = registered_on is None
    registered = registered_on or registration.due
    estimated = registration_estimated
    forwarding = deadline("forwarding", registered, FORWARDING_DAYS, ART_8_3, "registration", estimated)
    answer = deadline("answer", registered, ANSWER_DAYS, ART_12_1, "registration", estimated)
    # The extension lengthens the period whose last day is the (moved) answer date.
    extended = (
        deadline("extended_answer", answer.due, extension_days, ART_12_2, "answer_due", estimated)
        if extension_days
        else None
    )
    return Deadlines(
        received_on=receipt,
        received_estimated=received_estimated,
        registration=registration,
        registered_on=registered,
        registration_estimated=registration_estimated,
        forwarding=forwarding,
        answer=answer,
        extended=extended,
    )
