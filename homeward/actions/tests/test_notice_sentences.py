"""The sentences of this app's in-app notices (actions/_notice.html), in English and Russian.

The notices list includes this partial for kinds starting with "action." (see the report
to the lead); here it is rendered directly, as the list would.
"""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from homeward.actions.services import NOTICE_KINDS
from homeward.notices.models import Notice

PARAMS = {"action": 42, "on": "2026-02-03", "at": "12:00", "count": 27}

EXPECTED = {
    "action.detained": ("has been detained at the action of 02/03/2026 12:00", "на акции 03.02.2026 12:00 задержали"),
    "action.reminder": ("on 02/03/2026 at 12:00", "03.02.2026 в 12:00"),
    "action.revealed": ("is now shown on its page", "теперь видно"),
    "action.checkout_prompt": ("have not checked out", "не отметили уход"),
    "action.safety_ask": ("ask whether you are safe", "всё ли с вами в порядке"),
    "action.cancelled": ("is cancelled", "отменена"),
}


@pytest.mark.parametrize("kind", NOTICE_KINDS)
def test_each_kind_has_its_sentence_in_both_languages(kind):
    notice = Notice(kind=kind, key="k", params=PARAMS)
    english, russian = EXPECTED[kind]

    with translation.override("en"):
        en = render_to_string("actions/_notice.html", {"notice": notice})
    with translation.override("ru"):
        ru = render_to_string("actions/_notice.html", {"notice": notice})

    assert english in en and kind not in en
    assert russian in ru
    assert 'href="/actions/42/"' in en and 'href="/actions/42/"' in ru
    if kind == "action.detained":
        assert "27" in en and "27" in ru


def test_every_string_of_the_app_has_a_russian_translation():
    from pathlib import Path

    from babel.messages.pofile import read_po

    po = Path(__file__).resolve().parent.parent / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    with po.open("rb") as f:
        catalog = read_po(f, locale="ru")
    untranslated = [
        m.id for m in catalog if m.id and (not m.string or (isinstance(m.string, tuple) and not all(m.string)))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]

    assert untranslated == [] and fuzzy == []
    assert po.with_suffix(".mo").stat().st_mtime >= po.stat().st_mtime - 1, "compile the catalog (msgfmt)"


def test_a_member_reads_the_action_page_in_russian(cast, chapter_a):
    import datetime as dt

    from django.urls import reverse

    from conftest import make_account, signed_in_client
    from homeward.actions.tests.builders import make_action

    action = make_action(chapter=chapter_a, starts_in=dt.timedelta(hours=2))
    html = signed_in_client(make_account("ru_member", chapter=chapter_a)).get(
        reverse("actions:detail", args=[action.pk])
    )

    text = html.content.decode()
    assert "Я приду" in text and "Групповой пикет" in text and "Участие" in text
