"""Every Russian catalogue (the project's and each app's own) is complete, consistent with
its compiled .mo, and plurals work.

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

HOMEWARD = Path(__file__).resolve().parents[2]
LC_MESSAGES = HOMEWARD / "locale" / "ru" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"
#: The project's catalogue and the apps' own (homeward/<app>/locale).
CATALOGUES = sorted(HOMEWARD.glob("**/locale/ru/LC_MESSAGES/django.po"))
by_catalogue = pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: str(p.relative_to(HOMEWARD).parts[0]))


def test_every_app_catalogue_is_found():
    assert PO in CATALOGUES and len(CATALOGUES) >= 4


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

    def context(value):  # read_mo gives bytes
        return value.decode() if isinstance(value, bytes) else value

    return {(context(m.context), plain(m.id)): plain(m.string) for m in catalog if m.id}


def _placeholders(text: str) -> list[tuple[str, str]]:
    return sorted(PLACEHOLDER.findall(text))


def _has_html(text: str) -> bool:
    return re.search(r"</?[a-zA-Z]", text) is not None


@by_catalogue
def test_catalogue_is_not_empty_and_has_russian_plural_forms(po):
    catalog = _read_po(po)
    assert len(_messages(catalog)) > 100  # the reading works
    assert str(catalog.locale) == "ru"
    # Keep Django's own Russian Plural-Forms, so our plurals and Django's agree.
    assert catalog.num_plurals == 4
    assert catalog.plural_forms == _read_po(DJANGO_RU_PO).plural_forms


@by_catalogue
def test_every_message_is_translated_and_not_fuzzy(po):
    catalog = _read_po(po)
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


@by_catalogue
def test_placeholders_and_markup_survive_translation(po):
    wrong = []
    for message in _read_po(po):
        if not message.id:
            continue
        ids = message.id if message.pluralizable else (message.id,)
        strings = message.string if message.pluralizable else (message.string,)
        expected = _placeholders(ids[0])
        assert all(_placeholders(i) == expected for i in ids), ids  # msgid and msgid_plural agree
        html_free = not _has_html(ids[0])
        wrong += [(ids[0], s) for s in strings if _placeholders(s) != expected or (html_free and _has_html(s))]
    assert wrong == []


@by_catalogue
def test_compiled_mo_matches_the_po(po):
    messages = _messages(_read_po(po))
    mo_path = po.with_suffix(".mo")
    assert mo_path.exists(), "run: manage.py compilemessages -l ru"
    with open(mo_path, "rb") as f:
        mo_catalog = read_mo(f)
    mo = _messages(mo_catalog)
    assert mo.keys() == messages.keys(), f"{mo_path} is stale: run manage.py compilemessages -l ru"
    stale = [key for key in messages if mo[key] != messages[key]]
    assert stale == [], f"{mo_path} is stale: run manage.py compilemessages -l ru"
    assert mo_catalog.plural_forms == _read_po(po).plural_forms


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
