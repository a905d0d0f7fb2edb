"""The Russian catalogue is complete, consistent with its compiled .mo, and plurals work.

The .mo is committed because fresh machines may lack GNU gettext; after editing the
.po, run `manage.py compilemessages -l ru` (or `make messages`) or these tests fail.
"""

import re
from pathlib import Path

import django
import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.utils import translation

LC_MESSAGES = Path(__file__).resolve().parents[2] / "locale" / "ru" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
DJANGO_RU_PO = Path(django.__file__).parent / "conf" / "locale" / "ru" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)([a-z])")


def _read_po(path=None):
    with open(path or PO, "rb") as f:
        return read_po(f)


def _messages(catalog):
    """(context, msgid) -> msgstr for every message but the header.

    Plural ids and strings become tuples (read_po gives tuples, read_mo lists).
    """

    def plain(value):
        return value if isinstance(value, str) else tuple(value)

    return {(m.context, plain(m.id)): plain(m.string) for m in catalog if m.id}


def _placeholders(text: str) -> list[tuple[str, str]]:
    return sorted(PLACEHOLDER.findall(text))


def _has_html(text: str) -> bool:
    return re.search(r"</?[a-zA-Z]", text) is not None


def test_catalogue_is_not_empty_and_has_russian_plural_forms():
    catalog = _read_po()
    assert len(_messages(catalog)) > 100  # the reading works
    assert str(catalog.locale) == "ru"
    # Keep Django's own Russian Plural-Forms, so our plurals and Django's agree.
    assert catalog.num_plurals == 4
    assert catalog.plural_forms == _read_po(DJANGO_RU_PO).plural_forms


def test_every_message_is_translated_and_not_fuzzy():
    catalog = _read_po()
    assert not catalog.fuzzy, "the header is marked fuzzy"
    untranslated, fuzzy = [], []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            fuzzy.append(message.id)
        strings = message.string if message.pluralizable else (message.string,)
        every_form = not message.pluralizable or len(strings) == catalog.num_plurals
        if not every_form or not all(s and s.strip() for s in strings):
            untranslated.append(message.id)
    assert fuzzy == []
    assert untranslated == []


def test_placeholders_and_markup_survive_translation():
    wrong = []
    for message in _read_po():
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        expected = _placeholders(ids[0])
        assert all(_placeholders(i) == expected for i in ids), ids  # msgid and msgid_plural agree
        html_free = not _has_html(ids[0])
        wrong += [(ids[0], s) for s in strings if _placeholders(s) != expected or (html_free and _has_html(s))]
    assert wrong == []


def test_compiled_mo_matches_the_po():
    po = _messages(_read_po())
    assert MO.exists(), "run: manage.py compilemessages -l ru"
    with open(MO, "rb") as f:
        mo_catalog = read_mo(f)
    mo = _messages(mo_catalog)
    assert mo.keys() == po.keys(), "django.mo is stale: run manage.py compilemessages -l ru"
    stale = [key for key in po if mo[key] != po[key]]
    assert stale == [], "django.mo is stale: run manage.py compilemessages -l ru"
    assert mo_catalog.plural_forms == _read_po().plural_forms


UNUSED_CODES = ("(%(counter)s unused code left)", "(%(counter)s unused codes left)")


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "(остался 1 неиспользованный код)"),
        (2, "(осталось 2 неиспользованных кода)"),
        (5, "(осталось 5 неиспользованных кодов)"),
        (11, "(осталось 11 неиспользованных кодов)"),
        (21, "(остался 21 неиспользованный код)"),
        (22, "(осталось 22 неиспользованных кода)"),
        (25, "(осталось 25 неиспользованных кодов)"),
    ],
)
def test_russian_plurals_through_django(n, expected):
    with translation.override("ru"):
        assert translation.ngettext(*UNUSED_CODES, n) % {"counter": n} == expected


def test_members_plural_through_django():
    words = {1: "1 участник", 3: "3 участника", 12: "12 участников", 101: "101 участник", 104: "104 участника"}
    with translation.override("ru"):
        for n, expected in words.items():
            assert translation.ngettext("%(counter)s member", "%(counter)s members", n) % {"counter": n} == expected


def test_gettext_follows_the_active_language():
    with translation.override("ru"):
        assert translation.gettext("Sign in") == "Войти"
        assert translation.gettext("Handle") == "Псевдоним"
    with translation.override("en"):
        assert translation.gettext("Sign in") == "Sign in"
        assert translation.gettext("Handle") == "Handle"
