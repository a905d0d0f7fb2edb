"""Hostile input to every form of the question bank never produces a server error or half
a record: empty, huge, binary, mixed scripts, emoji, control characters, unknown choices."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from conftest import signed_in_client
from homeward.lib.tests.fuzzing import FilePart, fuzz, ids, no_server_error, send, text
from homeward.lib.tests.fuzzing import form as fields
from homeward.lib.uploads import _video_type
from homeward.questions import text as qtext
from homeward.questions.models import Campaign, Question, Video
from homeward.questions.tests.conftest import ask

dates = st.one_of(
    st.sampled_from(["", "2026-02-30", "0001-01-01", "9999-12-31", "now", "\x00"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    text,
)
videos = st.builds(
    FilePart,
    st.sampled_from(["q.mp4", "", "a\x00.mp4", "ё.webm", "x" * 300]),
    st.one_of(
        st.sampled_from([b"", b"\x00\x00\x00\x18ftypmp42", b"\x1a\x45\xdf\xa3webm", b"MZ\x90", b"GIF89a"]),
        st.binary(max_size=200),
    ),
)


@fuzz
@given(
    data=fields(
        question=text, show_handle=text, action=st.one_of(st.sampled_from(["preview", "submit"]), text), video=videos
    )
)
def test_ask(cast, qcampaign, data, settings):
    settings.QUESTIONS_SUBMIT_PER_DAY = 10_000
    client = signed_in_client(cast["member"])
    before = Question.objects.count()
    response = send(client, reverse("questions:ask", args=[qcampaign.pk]), data)
    no_server_error(response)
    saved = Question.objects.count() - before
    assert saved in (0, 1)
    if saved:
        assert response.status_code == 302
        q = Question.objects.latest("id")
        sent = data.get("video")
        assert q.cluster_id is not None
        assert Video.objects.filter(question=q).exists() == bool(sent and _video_type(sent.content[:64]))


@fuzz
@given(
    data=fields(
        title=text,
        event=text,
        event_on=dates,
        about=text,
        opens_on=dates,
        closes_on=dates,
        premoderated=text,
        scope=st.one_of(st.sampled_from(["movement", "chapter"]), text),
        chapter=ids,
    )
)
def test_campaign_form(cast, data):
    client = signed_in_client(cast["coordinator"])
    before = Campaign.objects.count()
    response = send(client, reverse("questions:new"), data)
    no_server_error(response)
    assert Campaign.objects.count() - before == (1 if response.status_code == 302 else 0)


@fuzz
@given(
    reject=fields(reason=text),
    outcome=fields(
        outcome=st.one_of(st.sampled_from(["asked", "answered", "partial", "ignored", ""]), text), note=text, link=text
    ),
    wording=fields(wording=text),
    merge=fields(target=ids, merge=st.lists(ids, max_size=3), back=st.one_of(ids, text)),
    query=st.dictionaries(st.sampled_from(["status", "chapter", "page", "top"]), text, max_size=3),
)
@example(
    reject={},
    outcome={},
    wording={},
    merge={"target": "1", "merge": ["99999999999999999999", "²", "1"], "back": "\x00"},
    query={"page": "99999999999999999999"},
)
def test_coordinator_forms(cast, qcampaign, reject, outcome, wording, merge, query, settings):
    settings.QUESTIONS_SUBMIT_PER_DAY = 10_000  # hypothesis runs every example on one database
    q = ask(qcampaign, cast["member"], "Когда демобилизуют мобилизованных?")
    pending = ask(qcampaign, cast["outsider"], "Когда мобилизованным дадут отпуск?", approve=False)
    client = signed_in_client(cast["coordinator"])
    no_server_error(send(client, reverse("questions:reject", args=[pending.pk]), reject))
    no_server_error(send(client, reverse("questions:cluster_outcome", args=[q.cluster_id]), outcome))
    no_server_error(send(client, reverse("questions:cluster_edit", args=[q.cluster_id]), wording))
    no_server_error(send(client, reverse("questions:merge", args=[qcampaign.pk]), merge))
    for name in ["moderate", "export_csv", "detail", "ledger"]:
        no_server_error(client.get(reverse(f"questions:{name}", args=[qcampaign.pk]), query))


@fuzz
@given(s=st.one_of(text, st.binary(max_size=300).map(lambda b: b.decode("utf-8", "replace"))))
def test_terms_of_anything(s):
    terms = qtext.terms(s)
    assert isinstance(terms, tuple) and all(isinstance(t, str) and t and " " not in t for t in terms)
    assert qtext.form_key(terms) == qtext.form_key(qtext.terms(s))


@pytest.mark.parametrize("bad", ["0", "-1", "99999999999999999999", "abc"])
def test_bad_ids_are_not_found(cast, bad):
    client = signed_in_client(cast["admin"])
    for path in [f"/questions/{bad}/", f"/questions/groups/{bad}/", f"/questions/q/{bad}/video/"]:
        assert client.get(path).status_code == 404
