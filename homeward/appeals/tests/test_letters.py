"""Letter templates: placeholders checked when a campaign is saved, filled without ever
failing, and Russian typography in the printed letter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from homeward.appeals.letters import (
    BLANK,
    PLACEHOLDERS,
    collective_values,
    fill,
    member_values,
    prompts_left,
    russian_date,
    unknown_placeholders,
)
from homeward.appeals.typography import NBSP, typeset

TEMPLATE = (
    "Я, {full_name}, проживающая по адресу {postal_address}, обращаюсь к вам.\n\n"
    "Мой муж {loved_one_name} мобилизован {mobilized_on} в регионе {region} и служит уже {days_served}.\n\n"
    "{today}"
)


@pytest.mark.parametrize(
    ("template", "unknown"),
    [
        (TEMPLATE, []),
        ("Hello {fullname}", ["fullname"]),
        ("{full_name} {name} {name} {address}", ["name", "address"]),
        ("{ full_name }", [" full_name "]),
        ("{FULL_NAME}", ["FULL_NAME"]),
        ("{}", [""]),
        ("{0} {1}", ["0", "1"]),
        ("{full_name.__class__}", ["full_name.__class__"]),
        ("a lone { brace and a lone } brace", [" brace and a lone "]),
        ("a lone { brace", []),
        ("set notation {a, b}", ["a, b"]),
        ("no placeholders at all", []),
    ],
)
def test_unknown_placeholders_are_found(template, unknown):
    assert unknown_placeholders(template) == unknown


def test_filling_replaces_every_placeholder():
    values = {
        "full_name": "Иванова Мария Петровна",
        "postal_address": "123456, г. Москва, ул. Ленина, д. 1",
        "loved_one_name": "Иванов Алексей",
        "mobilized_on": "21 сентября 2022 г.",
        "days_served": "500 дней",
        "region": "Москва",
        "today": "3 февраля 2024 г.",
    }
    filled = fill(TEMPLATE, values)

    assert filled.missing == []
    assert "{" not in filled.text
    assert "Я, Иванова Мария Петровна, проживающая по адресу 123456, г. Москва" in filled.text
    assert "служит уже 500 дней" in filled.text
    assert prompts_left(filled.text) == []


def test_missing_data_becomes_a_visible_prompt_not_an_error():
    with translation.override("en"):
        filled = fill(TEMPLATE, {"full_name": "", "today": "3 февраля 2024 г."})

    assert filled.missing == ["full_name", "postal_address", "loved_one_name", "mobilized_on", "region", "days_served"]
    assert "[[your surname, first name and patronymic]]" in filled.text
    assert "[[your postal address for the reply]]" in filled.text
    assert len(prompts_left(filled.text)) == 6


def test_prompts_speak_the_members_language():
    with translation.override("ru"):
        filled = fill("{full_name}", {})
    assert prompts_left(filled.text) == ["[[ваши фамилия, имя и отчество]]"]


def test_unknown_names_in_an_old_template_are_left_as_typed():
    assert fill("{full_name} and {nickname}", {"full_name": "X"}).text == "X and {nickname}"


@given(template=st.text(max_size=300), values=st.dictionaries(st.sampled_from(PLACEHOLDERS), st.text(max_size=30)))
def test_filling_never_raises(template, values):
    filled = fill(template, values)
    assert isinstance(filled.text, str)
    assert set(filled.missing) <= set(PLACEHOLDERS)


def test_values_come_from_her_loved_one_record_in_russian(loved_one_factory):
    loved_one = loved_one_factory(name="Алексей Ветров")

    class Clock:
        days = 500

    with translation.override("en"):
        values = member_values(
            full_name="Мария",
            postal_address="Москва,\n  ул. Ленина",
            loved_one=loved_one,
            clock=Clock(),
            today=dt.date(2024, 2, 3),
        )

    assert values["loved_one_name"] == "Алексей Ветров"
    assert values["mobilized_on"] == f"21 сентября 2022{NBSP}г."
    assert values["days_served"] == "500 дней"
    assert values["region"] == "Москва"
    assert values["today"] == f"3 февраля 2024{NBSP}г."
    assert values["postal_address"] == "Москва, ул. Ленина"


def test_a_loved_one_without_a_name_asks_for_it(loved_one_factory):
    values = member_values(loved_one=loved_one_factory(name=""), today=dt.date(2024, 2, 3))

    assert values["loved_one_name"] is None
    assert "loved_one_name" in fill(TEMPLATE, values).missing


def test_the_collective_letter_leaves_personal_places_blank():
    filled = fill(TEMPLATE, collective_values(region_name="Москва", today=dt.date(2024, 2, 3)))

    assert filled.missing == []
    assert f"Я, {BLANK}, проживающая по адресу {BLANK}" in filled.text
    assert "в регионе Москва" in filled.text


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2024, 2, 3), "3 февраля 2024 г."),
        (dt.date(2022, 9, 21), "21 сентября 2022 г."),
        (dt.date(2025, 3, 1), "1 марта 2025 г."),
    ],
)
def test_russian_dates(day, text):
    assert russian_date(day).replace(NBSP, " ") == text


# --- typography ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "typeset_text"),
    [
        ('он сказал "вернём домой"', "он сказал «вернём домой»"),
        ('"Мама" и "папа"', "«Мама» и\u00a0«папа»"),
        ('ответ "из "Министерства" обороны"', "ответ «из\u00a0„Министерства“ обороны»"),
        ("служба - это долг", "служба\u00a0— это долг"),
        ("служба -- это долг", "служба\u00a0— это долг"),
        ("а потом...", "а\u00a0потом…"),
        ("в Министерство обороны", "в\u00a0Министерство обороны"),
        ("и в Генеральную прокуратуру", "и\u00a0в\u00a0Генеральную прокуратуру"),
        ("по ст. 33 и ч. 1 ст. 12", "по\u00a0ст.\u00a033 и\u00a0ч.\u00a01 ст.\u00a012"),
        ("закон № 59-ФЗ от 2006 г.", "закон №\u00a059-ФЗ от\u00a02006\u00a0г."),
        ("Иванова М. П. Сидорова", "Иванова М.\u00a0П.\u00a0Сидорова"),
        ("да-да, 59-ФЗ", "да-да, 59-ФЗ"),  # hyphens inside words stay
        ("- первый пункт\n- второй", "— первый пункт\n— второй"),
        ("no quotes here", "no quotes here"),
    ],
)
def test_russian_typography(raw, typeset_text):
    assert typeset(raw) == typeset_text


@given(st.text(alphabet=st.sampled_from('абв ВгМ.-–"…\n12№ ст.г'), max_size=120) | st.text(max_size=120))
def test_typography_never_raises_and_keeps_every_letter_and_digit(text):
    out = typeset(text)

    assert [c for c in out if c.isalnum()] == [c for c in text if c.isalnum()]
    assert len(out) <= len(text)
