"""The appeals app's Russian reads right: plurals and the key terms. (That its catalogue is
complete and matches its .mo is checked with every other catalogue in lib/tests/test_translations.py.)"""

from __future__ import annotations

import pytest
from django.utils import translation


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
