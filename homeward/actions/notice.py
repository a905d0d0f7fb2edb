"""When notice of a public event (уведомление о публичном мероприятии) must reach the authorities.

Federal Law 54-FZ, art. 7 part 1, as one pure function of the kind, the day of the event
and today, so that the rules are read and tested in one place:

- rally (митинг), march (шествие): no earlier than 15 and no later than 10 days before
  the day of the event;
- group picket (пикетирование группой лиц): no later than 3 days before; when those days
  fall on a Sunday or a non-working public holiday, no later than 4 days before. The law
  names no earliest day for a picket; we read the general "no earlier than 15 days" of
  the same part as applying to it too (the authorities do), and say so;
- solo picket (одиночный пикет, without a quickly assembled structure) and meeting
  (собрание): exempt by the same part; an online action is not a public event at all;
- flower-laying (возложение цветов): people who come one by one need no notice, but a
  group laying has been treated as a picket, so we advise the group picket's terms.

Days are whole calendar days: the day of filing and the day of the event are not counted
between them, so "10 days before" the 25th is the 15th.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _


class Requirement:
    NONE = "none"
    REQUIRED = "required"
    ADVISABLE = "advisable"


ARTICLE = _("Federal Law 54-FZ, art. 7 part 1")

#: kind → (requirement, earliest days before, latest days before)
RULES: dict[str, tuple[str, int | None, int | None]] = {
    "rally": (Requirement.REQUIRED, 15, 10),
    "march": (Requirement.REQUIRED, 15, 10),
    "group_picket": (Requirement.REQUIRED, 15, 3),
    "flower_laying": (Requirement.ADVISABLE, 15, 3),
    "solo_picket": (Requirement.NONE, None, None),
    "meeting": (Requirement.NONE, None, None),
    "online": (Requirement.NONE, None, None),
}

#: Kinds filed on the group picket's terms: 3 days, or 4 when a Sunday or holiday intervenes.
PICKET_TERMS = {"group_picket", "flower_laying"}


@dataclass(frozen=True)
class NoticeWindow:
    """The days on which notice may be filed for an event, seen from `today`."""

    requirement: str  # Requirement.*
    earliest: dt.date | None  # first day notice may be filed
    latest: dt.date | None  # last day notice may be filed
    can_meet: bool  # False when `latest` has passed: the chosen date is too close
    not_yet: bool  # True when the window has not opened yet (filing today would be too early)
    extended: bool  # the group picket's 4 days instead of 3 (a Sunday or holiday in between)
    article: str

    @property
    def needed(self) -> bool:
        return self.requirement != Requirement.NONE


@lru_cache(maxsize=16)
def _holidays(year: int) -> frozenset[dt.date]:
    """Russia's non-working days from the `holidays` package (public holidays and their transfers).

    Transferred days off count as well: reading more days as non-working only makes the
    deadline earlier, never later, which is the safe side for organizers.
    """
    import holidays

    return frozenset(holidays.country_holidays("RU", years=[year]))


def is_sunday_or_holiday(day: dt.date) -> bool:
    return day.weekday() == 6 or day in _holidays(day.year)


def notice_window(*, kind: str, event_day: dt.date, today: dt.date) -> NoticeWindow:
    """The notice window for an event of `kind` held on `event_day`, as seen on `today`."""
    requirement, earliest_days, latest_days = RULES[kind]
    if requirement == Requirement.NONE:
        return NoticeWindow(requirement, None, None, True, False, False, str(ARTICLE))
    extended = False
    if kind in PICKET_TERMS:
        # "…and if those days fall on a Sunday and (or) a non-working holiday, no later than
        # four days": we read "those days" as the three days before the picket.
        three_days = [event_day - dt.timedelta(days=n) for n in (1, 2, 3)]
        if any(is_sunday_or_holiday(day) for day in three_days):
            latest_days, extended = 4, True
    earliest = event_day - dt.timedelta(days=earliest_days)
    latest = event_day - dt.timedelta(days=latest_days)
    return NoticeWindow(
        requirement=requirement,
        earliest=earliest,
        latest=latest,
        can_meet=today <= latest,
        not_yet=today < earliest,
        extended=extended,
        article=str(ARTICLE),
    )
