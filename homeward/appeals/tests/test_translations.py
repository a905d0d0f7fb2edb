"""The appeals app's own Russian catalogue (homeward/appeals/locale) is complete, consistent with
its compiled .mo, keeps every placeholder, and Russian plurals read right."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.utils import translation

LC = Path(__file__).resolve().parents[1] / "locale" / "ru" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)([a-z])")


def catalogue():
    with open(LC / "django.po", "rb") as f:
        return read_po(f)


def test_every_message_is_translated_with_its_placeholders():
    catalog = catalogue()
    assert catalog.num_plurals == 4
    assert len([m for m in catalog if m.id]) > 250
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        expected = sorted(PLACEHOLDER.findall(ids[0]))
        if message.fuzzy or len(strings) != (4 if message.pluralizable else 1):
            wrong.append(ids[0])
        wrong += [ids[0] for s in strings if not s or sorted(PLACEHOLDER.findall(s)) != expected]
    assert wrong == []


def _key(m):
    context = m.context.decode() if isinstance(m.context, bytes) else m.context
    return (
        context,
        m.id if isinstance(m.id, str) else tuple(m.id),
        m.string if isinstance(m.string, str) else tuple(m.string),
    )


def test_the_compiled_catalogue_matches():
    with open(LC / "django.mo", "rb") as f:
        mo = {_key(m) for m in read_mo(f) if m.id}
    po = {_key(m) for m in catalogue() if m.id}
    assert mo == po, "run: msgfmt -o django.mo django.po in homeward/appeals/locale/ru/LC_MESSAGES"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "Обращение подписал 1 человек."),
        (3, "Обращение подписали 3 человека."),
        (11, "Обращение подписали 11 человек."),
        (21, "Обращение подписал 21 человек."),
        (25, "Обращение подписали 25 человек."),
    ],
)
def test_russian_plurals(n, expected):
    singular, plural = (
        "This appeal was co-signed by %(counter)s person.",
        "This appeal was co-signed by %(counter)s people.",
    )
    with translation.override("ru"):
        assert translation.ngettext(singular, plural, n) % {"counter": n} == expected


def test_the_interface_speaks_russian_first():
    with translation.override("ru"):
        assert translation.gettext("Co-sign the letter") == "Подписать письмо"
        assert translation.gettext("formal reply") == "отписка"
        assert translation.gettext("answer on the merits") == "ответ по существу"
