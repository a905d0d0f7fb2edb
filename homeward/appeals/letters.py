"""Letter templates (шаблон обращения) with placeholders, checked on save and filled without fail.

A template is plain text with placeholders in braces: {full_name}, {postal_address},
{loved_one_name}, {mobilized_on}, {days_served}, {region}, {today}. Saving a template
with any other name in braces is refused with the name shown. Filling it never raises:
a value the member has not given becomes a visible prompt in double square brackets,
«[[your full name]]», which she fills in or deletes before the PDF is made (a letter
with a prompt left in it is refused: 59-FZ art. 7 needs her name and address).

Values are written in Russian whatever the interface language: the letter goes to a
Russian body. Prompts are in the member's language: she is the one who reads them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext

PLACEHOLDERS = ("full_name", "postal_address", "loved_one_name", "mobilized_on", "days_served", "region", "today")

PROMPTS = {
    "full_name": _("your surname, first name and patronymic"),
    "postal_address": _("your postal address for the reply"),
    "loved_one_name": _("your loved one's full name"),
    "mobilized_on": _("the date of his mobilization"),
    "days_served": _("how many days he has served"),
    "region": _("the region he was called up from"),
    "today": _("today's date"),
}

_TOKEN = re.compile(r"\{([^{}\n]{0,80})\}")
_PROMPT = re.compile(r"\[\[[^\[\]\n]{1,200}\]\]")
BLANK = "_______________"


def unknown_placeholders(template: str) -> list[str]:
    """Names in braces that are not placeholders, in order of appearance, without repeats."""
    seen: list[str] = []
    for name in _TOKEN.findall(template):
        if name not in PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen


def prompts_left(text: str) -> list[str]:
    """The «[[…]]» prompts still in a letter."""
    return _PROMPT.findall(text)


@dataclass(frozen=True)
class Filled:
    text: str
    missing: list[str]  # placeholder names that became prompts


def fill(template: str, values: dict[str, str | None]) -> Filled:
    """Replace each placeholder by its value, or by a prompt when the value is missing.

    Never raises: unknown names in braces (from an older template) are left as typed.
    """
    missing: list[str] = []

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        value = (values.get(name) or "").strip()
        if value:
            return value
        if name not in missing:
            missing.append(name)
        return f"[[{PROMPTS[name]}]]"

    return Filled(text=_TOKEN.sub(replace, template), missing=missing)


def russian_date(day: dt.date) -> str:
    """«21 сентября 2022 г.»: the genitive month, as Russian letters write dates."""
    with translation.override("ru"):
        return f"{formats.date_format(day, 'j E Y')}\u00a0г."


def russian_days(n: int) -> str:
    with translation.override("ru"):
        return npgettext("a letter", "%(n)s day", "%(n)s days", n) % {"n": n}


def member_values(
    *, full_name: str = "", postal_address: str = "", loved_one=None, clock=None, today: dt.date
) -> dict[str, str | None]:
    """The placeholders' values from what the member typed and her own loved-one record."""
    values: dict[str, str | None] = {
        "full_name": full_name,
        "postal_address": " ".join(postal_address.split()),
        "today": russian_date(today),
        "loved_one_name": None,
        "mobilized_on": None,
        "days_served": None,
        "region": None,
    }
    if loved_one is not None:
        values["loved_one_name"] = loved_one.name or None
        values["mobilized_on"] = russian_date(loved_one.mobilized_on)
        values["region"] = loved_one.region.name_ru
        if clock is not None:
            values["days_served"] = russian_days(clock.days)
    return values


def collective_values(*, region_name: str = "", today: dt.date) -> dict[str, str]:
    """The collective letter: personal placeholders become blank lines to fill by hand."""
    values = dict.fromkeys(PLACEHOLDERS, BLANK)
    values["today"] = russian_date(today)
    if region_name:
        values["region"] = region_name
    return values
