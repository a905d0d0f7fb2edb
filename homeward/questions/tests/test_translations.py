"""The question bank's Russian plurals read right (completeness of its catalogue is checked
with every other catalogue in lib/tests/test_translations.py)."""

from __future__ import annotations

import pytest
from django.utils import translation

WORDINGS = ("%(counter)s wording in this group", "%(counter)s wordings in this group")
MERGED = ("Merged: %(n)s question moved.", "Merged: %(n)s questions moved.")


@pytest.mark.parametrize(
    ("n", "wordings", "merged"),
    [
        (1, "1 формулировка в этой группе", "Объединено: перенесён 1 вопрос."),
        (3, "3 формулировки в этой группе", "Объединено: перенесено 3 вопроса."),
        (5, "5 формулировок в этой группе", "Объединено: перенесено 5 вопросов."),
        (11, "11 формулировок в этой группе", "Объединено: перенесено 11 вопросов."),
        (21, "21 формулировка в этой группе", "Объединено: перенесён 21 вопрос."),
    ],
)
def test_russian_plurals(n, wordings, merged):
    with translation.override("ru"):
        assert translation.ngettext(*WORDINGS, n) % {"counter": n} == wordings
        assert translation.ngettext(*MERGED, n) % {"n": n} == merged
