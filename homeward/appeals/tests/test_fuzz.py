"""Hostile input to every appeals form never produces a server error or half a record
(PRIVACY.md rule 10): NUL and control characters, mixed scripts, huge texts, unknown
choices, impossible dates and ids, arbitrary bytes as uploads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from homeward.appeals.models import Addressee, Campaign, Filing, Reply, Signature
from homeward.appeals.tests.conftest import make_campaign, make_filing
from homeward.lib.tests import fuzzing
from homeward.lib.tests.fuzzing import FilePart, form, fuzz, no_server_error, send

SPECIAL = [
    *fuzzing.SPECIAL,
    "'; DROP TABLE appeals_filing; --",
    "{full_name}",  # letter placeholders typed where plain text belongs
    "{full_name.__class__.__init__}",
    "[[ваши ФИО]]",
]
text = st.one_of(st.sampled_from(SPECIAL), st.text(max_size=120))
dates = st.one_of(
    st.sampled_from(["", "2025-03-03", "2025-02-30", "0001-01-01", "9999-12-31", "1e9", "now", "2025-13-01", "\x00"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str),
    text,
)
numbers = st.one_of(
    st.sampled_from(["", "0", "-1", "30", "31", "1.5", "99999999999999999999", "NaN", "1e3"]),
    st.integers().map(str),
    text,
)
ids = st.one_of(fuzzing.ids, text)
channels = st.one_of(st.sampled_from(["site", "gosuslugi", "post", "in_person", "forwarded", "email", ""]), text)
outcomes = st.one_of(st.sampled_from(["merits", "formal", "forwarded", "refusal", "no_answer", "pending", ""]), text)
actions = st.one_of(st.sampled_from(["fill", "pdf", "remove", ""]), text)
files = st.builds(
    FilePart,
    st.sampled_from(["reply.pdf", "../../etc/passwd", "", "a\x00.pdf", "ё.jpg", "x" * 300]),
    st.one_of(
        st.sampled_from([b"", b"%PDF-1.4\n%%EOF", b"%PDF-1.4 no trailer", b"MZ\x90", b"\xff\xd8\xff", b"GIF89a"]),
        st.binary(max_size=200),
    ),
)


@pytest.fixture
def filing(cast, campaign):
    return make_filing(cast["member"], campaign, sent_on=campaign.opens_on + dt.timedelta(days=1))


@fuzz
@given(
    data=form(
        title=text,
        summary=text,
        addressee=ids,
        new_official=text,
        new_body=text,
        new_postal_address=text,
        new_reception_url=text,
        channels=st.lists(channels, max_size=4),
        template=text,
        goal=numbers,
        opens_on=dates,
        closes_on=dates,
        scope=st.one_of(st.sampled_from(["movement", "chapter"]), text),
        chapter=ids,
    )
)
@example(
    data={
        "title": "T",
        "summary": "S",
        "new_body": "B",
        "channels": ["post"],
        "template": "{x}",
        "opens_on": "2025-01-01",
        "scope": "movement",
        "chapter": "A",
    }
)
@example(
    data={
        "title": "T",
        "summary": "S",
        "new_body": "B",
        "channels": ["post"],
        "template": "ok",
        "opens_on": "9999-12-31",
        "closes_on": "9999-12-31",
        "scope": "chapter",
        "chapter": "A",
    }
)
def test_new_campaigns(cast, client_for, chapter_a, data):
    if data.get("chapter") == "A":
        data["chapter"] = str(chapter_a.pk)
    before = (Campaign.objects.count(), Addressee.objects.count())

    response = send(client_for("coordinator"), reverse("appeals:new"), data)

    no_server_error(response)
    if response.status_code != 302:
        assert (Campaign.objects.count(), Addressee.objects.count()) == before


@fuzz
@given(data=form(full_name=text))
def test_signing(cast, client_for, campaign, data):
    response = send(client_for("member"), reverse("appeals:sign", args=[campaign.pk]), data)

    no_server_error(response)
    campaign.refresh_from_db()
    assert campaign.signature_count == Signature.objects.filter(campaign=campaign).count() <= 1


@fuzz
@given(data=form(full_name=text, postal_address=text, loved_one=ids, letter=text, action=actions))
@example(data={"full_name": "Мария", "postal_address": "Москва", "letter": "{full_name} [[x]]", "action": "pdf"})
def test_personal_copies(cast, client_for, campaign, data):
    response = send(client_for("member"), reverse("appeals:copy", args=[campaign.pk]), data)

    no_server_error(response)
    if response.status_code == 200 and response["Content-Type"] == "application/pdf":
        assert data.get("full_name", "").strip() and data.get("postal_address", "").strip()


@fuzz
@given(data=form(channel=channels, sent_on=dates, received_on=dates, registration_number=text, registered_on=dates))
@example(data={"channel": "post", "sent_on": "9999-12-31"})
@example(data={"channel": "post", "sent_on": "0001-01-01", "registered_on": "0001-01-02"})
def test_recording_filings(cast, client_for, campaign, data):
    before = Filing.objects.count()

    response = send(client_for("member"), reverse("appeals:filing_new", args=[campaign.pk]), data)

    no_server_error(response)
    assert Filing.objects.count() == before + (1 if response.status_code == 302 else 0)


@fuzz
@given(data=form(channel=channels, sent_on=dates, received_on=dates, registration_number=text, registered_on=dates))
def test_editing_a_filing(cast, client_for, filing, data):
    due = Filing.objects.values_list("answer_due", "sent_on").get(pk=filing.pk)

    response = send(client_for("member"), reverse("appeals:filing_edit", args=[filing.pk]), data)

    no_server_error(response)
    if response.status_code != 302:
        assert Filing.objects.values_list("answer_due", "sent_on").get(pk=filing.pk) == due


@fuzz
@given(data=form(outcome=outcomes, on=dates, forwarded_to=ids, forwarded_to_name=text))
@example(data={"outcome": "forwarded", "on": "9999-12-31", "forwarded_to_name": "X"})
def test_recording_outcomes(cast, client_for, filing, data):
    response = send(client_for("member"), reverse("appeals:filing_outcome", args=[filing.pk]), data)

    no_server_error(response)
    children = Filing.objects.filter(forwarded_from=filing).count()
    assert children <= 1
    filing.refresh_from_db()
    assert (filing.outcome == "forwarded") is bool(children) or response.status_code != 302


@fuzz
@given(data=form(notified_on=dates, days=numbers, action=actions))
def test_recording_extensions(cast, client_for, filing, data):
    response = send(client_for("member"), reverse("appeals:filing_extension", args=[filing.pk]), data)

    no_server_error(response)
    filing.refresh_from_db()
    assert filing.extension_days is None or 1 <= filing.extension_days <= 30


@fuzz
@given(data=form(file=files))
def test_uploading_replies(cast, client_for, filing, data):
    response = send(client_for("member"), reverse("appeals:filing_reply", args=[filing.pk]), data)

    no_server_error(response)
    assert Reply.objects.count() <= 1


@fuzz
@given(data=form(prosecutor=text, full_name=text, postal_address=text, text=text))
def test_complaints(cast, client_for, chapter_a, data):
    campaign = make_campaign(actor=cast["coordinator"], chapter=chapter_a, opens_on=dt.date(2025, 1, 1))
    overdue = make_filing(cast["member"], campaign, sent_on=dt.date(2025, 1, 10))

    response = send(client_for("member"), reverse("appeals:filing_complaint", args=[overdue.pk]), data)

    no_server_error(response)
