"""The filing tracker: she records what she filed, sees each 59-FZ deadline with its article,
records what came back (a formal reply, a forwarding that starts a linked filing, an
extension), keeps the reply encrypted — and nobody else ever reaches any of it."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from homeward.appeals import selectors, services
from homeward.appeals.models import Filing, Reply
from homeward.appeals.tests.conftest import make_campaign, make_filing
from homeward.notices.models import Notice

D = dt.date


pytestmark = pytest.mark.usefixtures("pages_in_english")


def row_text(body: str, row_id: str) -> str:
    match = re.search(rf'<tr id="{row_id}">(.*?)</tr>', body, re.S)
    assert match, f"no row {row_id}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


@pytest.fixture
def campaign(cast, chapter_a):
    """Open since 1 January 2025, so the table's dates of 2025 can be typed into its forms."""
    return make_campaign(actor=cast["coordinator"], chapter=chapter_a, opens_on=D(2025, 1, 1))


@pytest.fixture
def filing(cast, campaign):
    """Sent through Gosuslugi on Monday 3 March 2025, registration date not known yet."""
    return make_filing(cast["member"], campaign, sent_on=D(2025, 3, 3), today=D(2025, 3, 3))


def test_she_records_a_filing_and_sees_its_deadlines_with_their_articles(cast, client_for, campaign):
    client = client_for("member")
    sent = campaign.opens_on + dt.timedelta(days=1)

    response = client.post(
        reverse("appeals:filing_new", args=[campaign.pk]),
        {"channel": "post", "sent_on": sent.isoformat(), "registration_number": "", "registered_on": ""},
    )

    filing = Filing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:filing", args=[filing.pk])
    assert (filing.owner, filing.addressee, filing.channel, filing.sent_on) == (
        cast["member"],
        campaign.addressee,
        "post",
        sent,
    )
    expected = selectors.deadlines_of(filing, calendar=selectors.work_calendar())
    assert filing.answer_due == expected.answer.due
    body = client.get(response["Location"]).content.decode()
    assert "59-FZ, art. 8 part 2" in row_text(body, "deadline-registration")
    assert "59-FZ, art. 8 part 3" in row_text(body, "deadline-forwarding")
    answer = row_text(body, "deadline-answer")
    assert "59-FZ, art. 12 part 1" in answer
    assert expected.answer.due.strftime("%m/%d/%Y") in answer or expected.answer.due.strftime("%d.%m.%Y") in answer
    assert "estimated" in answer
    assert "Civil Code art. 191" in body and "Civil Code art. 193" in body and "assumption" in body
    assert "reached the body 7 days after it was sent" in body  # the estimate, said plainly


def test_the_table_case_on_the_page(cast, client_for, campaign):
    """Registered on 1 April 2025: 30 days end on 1 May, a holiday; the answer is due on 5 May."""
    filing = make_filing(cast["member"], campaign, sent_on=D(2025, 3, 28), registered_on=D(2025, 4, 1))

    body = client_for("member").get(reverse("appeals:filing", args=[filing.pk])).content.decode()

    answer = row_text(body, "deadline-answer")
    assert "05/05/2025" in answer or "05.05.2025" in answer
    assert "is a day off: moved to the next working day" in answer
    assert "30 days from registration on" in answer
    assert filing.answer_due == D(2025, 5, 5)
    assert 'id="estimate-note"' not in body


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"sent_on": "2999-01-01"}, "This date cannot be in the future."),
        ({"sent_on": "2020-01-01"}, "a filing cannot be sent before that"),
        ({"registered_on": "2025-03-01"}, "This date cannot be before the date it was sent."),
        ({"received_on": "2025-03-01"}, "This date cannot be before the date it was sent."),
        ({"channel": "email"}, "Select a valid choice"),
        ({"registration_number": "№\x07"}, "characters that cannot be typed"),
    ],
)
def test_bad_dates_and_channels_are_refused_and_kept(cast, client_for, campaign, data, error):
    base = {"channel": "site", "sent_on": "2025-03-03", "registration_number": "А-1", "registered_on": ""}
    response = client_for("member").post(reverse("appeals:filing_new", args=[campaign.pk]), {**base, **data})

    assert response.status_code == 400
    assert error in response.content.decode()
    assert Filing.objects.count() == 0


def test_plain_email_is_not_a_channel_and_the_form_says_why(cast, client_for, campaign):
    body = client_for("member").get(reverse("appeals:filing_new", args=[campaign.pk])).content.decode()

    assert 'value="email"' not in body
    assert "plain e-mail does not count as an electronic appeal (Federal Law 547-FZ)" in body
    for channel in ("site", "gosuslugi", "post", "in_person"):
        assert f'value="{channel}"' in body


def test_adding_the_registration_date_moves_the_due_date(cast, client_for, filing):
    response = client_for("member").post(
        reverse("appeals:filing_edit", args=[filing.pk]),
        {
            "channel": "gosuslugi",
            "sent_on": "2025-03-03",
            "registration_number": "МО-123/45",
            "registered_on": "2025-03-10",
        },
    )

    filing.refresh_from_db()
    assert response.status_code == 302
    assert (filing.registration_number, filing.registered_on) == ("МО-123/45", D(2025, 3, 10))
    assert filing.answer_due == D(2025, 4, 9)
    body = client_for("member").get(reverse("appeals:filing", args=[filing.pk])).content.decode()
    assert "registered later than the three days the law allows" in body  # received 3 March, due 6 March


def test_a_formal_reply_is_recorded(cast, client_for, filing):
    response = client_for("member").post(
        reverse("appeals:filing_outcome", args=[filing.pk]), {"outcome": "formal", "on": "2025-03-20"}
    )

    filing.refresh_from_db()
    assert response.status_code == 302
    assert (filing.outcome, filing.answered_on) == ("formal", D(2025, 3, 20))
    body = client_for("member").get(reverse("appeals:filing", args=[filing.pk])).content.decode()
    assert "formal reply" in re.search(r'id="outcome">(.*?)</dd>', body).group(1)


def test_forwarding_creates_a_linked_filing_with_its_own_deadlines(cast, client_for, filing):
    client = client_for("member")

    response = client.post(
        reverse("appeals:filing_outcome", args=[filing.pk]),
        {"outcome": "forwarded", "on": "2025-03-12", "forwarded_to": "", "forwarded_to_name": "Генеральный штаб ВС РФ"},
    )

    child = Filing.objects.get(forwarded_from=filing)
    filing.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:filing", args=[child.pk])
    assert filing.outcome == "forwarded"
    assert (child.owner, child.campaign, child.channel, child.sent_on) == (
        cast["member"],
        filing.campaign,
        "forwarded",
        D(2025, 3, 12),
    )
    assert (child.addressee, child.addressee_name) == (None, "Генеральный штаб ВС РФ")
    # forwarded: assumed 7 days on the way (19 Mar), registered by 22 Mar (Sat) → 24 Mar, answer by 23 Apr
    assert child.answer_due == D(2025, 4, 23)
    body = client.get(response["Location"]).content.decode()
    assert "This appeal was forwarded from another body" in body
    # The first filing's outcome cannot change under the forwarded one.
    client.post(reverse("appeals:filing_outcome", args=[filing.pk]), {"outcome": "merits", "on": "2025-03-20"})
    filing.refresh_from_db()
    assert filing.outcome == "forwarded"


def test_forwarding_needs_a_body(cast, client_for, filing):
    response = client_for("member").post(
        reverse("appeals:filing_outcome", args=[filing.pk]), {"outcome": "forwarded", "on": "2025-03-12"}
    )

    assert response.status_code == 400
    assert "Say which body it was forwarded to." in response.content.decode()
    assert not Filing.objects.filter(forwarded_from=filing).exists()


def test_an_extension_notice_moves_the_answer_date_by_at_most_30_days(cast, client_for, filing):
    client = client_for("member")
    before = filing.answer_due  # 7 April 2025 (estimated registration on 6 March)

    refused = client.post(
        reverse("appeals:filing_extension", args=[filing.pk]), {"notified_on": "2025-04-01", "days": "45"}
    )
    assert refused.status_code == 400

    client.post(reverse("appeals:filing_extension", args=[filing.pk]), {"notified_on": "2025-04-01", "days": "30"})
    filing.refresh_from_db()
    assert before == D(2025, 4, 7)
    assert filing.answer_due == D(2025, 5, 7)
    assert (filing.extension_notified_on, filing.extension_days) == (D(2025, 4, 1), 30)
    body = client.get(reverse("appeals:filing", args=[filing.pk])).content.decode()
    assert "59-FZ, art. 12 part 2" in row_text(body, "deadline-extended_answer")

    client.post(reverse("appeals:filing_extension", args=[filing.pk]), {"action": "remove"})
    filing.refresh_from_db()
    assert (filing.answer_due, filing.extension_days) == (before, None)


def test_an_extension_recorded_late_takes_a_filing_back_from_no_answer(cast, filing):
    Filing.objects.filter(pk=filing.pk).update(outcome="no_answer")
    filing.refresh_from_db()

    services.filing_extension(
        filing=filing, notified_on=D(2025, 4, 1), days=30, calendar=selectors.work_calendar(), today=D(2025, 4, 10)
    )

    assert (filing.outcome, filing.answer_due) == ("pending", D(2025, 5, 7))


# --- the reply ---------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (40, 30), "white")
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (55.0, 45.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def upload(client, filing, name, content):
    return client.post(reverse("appeals:filing_reply", args=[filing.pk]), {"file": SimpleUploadedFile(name, content)})


def test_a_pdf_reply_is_kept_encrypted_and_given_back_as_it_was(cast, client_for, filing):
    client = client_for("member")

    response = upload(client, filing, "Ответ Минобороны.pdf", PDF)

    assert response.status_code == 302
    reply = Reply.objects.get(filing=filing)
    assert (reply.name, reply.content_type, reply.size) == ("Ответ Минобороны.pdf", "application/pdf", len(PDF))
    download = client.get(reverse("appeals:filing_reply_file", args=[filing.pk]))
    assert download.status_code == 200
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="reply-{filing.pk}.pdf"'
    assert "sandbox" in download["Content-Security-Policy"]
    assert "no-store" in download["Cache-Control"]


def test_a_photo_of_the_reply_loses_its_location(cast, client_for, filing):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)

    upload(client_for("member"), filing, "photo.jpg", original)

    kept = services.reply_content(Reply.objects.get(filing=filing))
    assert kept != original
    assert not Image.open(io.BytesIO(kept)).getexif()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("reply.pdf", b"MZ\x90\x00 this is a windows program"),
        ("reply.pdf", b"%PDF-1.4 truncated without its trailer"),
        ("reply.jpg", b"\xff\xd8\xff broken jpeg"),
        ("empty.pdf", b""),
    ],
)
def test_anything_else_is_refused(cast, client_for, filing, name, content):
    response = upload(client_for("member"), filing, name, content)

    assert response.status_code == 400
    assert Reply.objects.count() == 0


def test_nobody_else_reaches_her_filing_or_its_reply(cast, client_for, filing):
    services.reply_attach(filing=filing, name="r.pdf", content=PDF, content_type="application/pdf", today=D(2025, 4, 1))
    for role in ("outsider", "coordinator", "admin", "follower"):
        for name in ("appeals:filing", "appeals:filing_reply_file", "appeals:filing_complaint"):
            assert client_for(role).get(reverse(name, args=[filing.pk])).status_code == 404, (role, name)
        assert filing.campaign.title not in client_for(role).get(reverse("appeals:mine")).content.decode()


def test_deleting_a_filing_deletes_its_forwarded_filing_reply_and_notices(cast, client_for, filing):
    today = D(2025, 3, 12)
    child = services.filing_outcome(
        filing=filing,
        outcome="forwarded",
        on=today,
        forwarded_to_name="Генштаб",
        calendar=selectors.work_calendar(),
        today=today,
    )
    services.reply_attach(filing=child, name="r.pdf", content=PDF, content_type="application/pdf", today=today)
    Notice.objects.create(account=cast["member"], kind="appeals.deadline_soon", key="k1", params={"filing": child.pk})
    Notice.objects.create(account=cast["member"], kind="clock.days", key="k2", params={"loved_one": 1})

    response = client_for("member").post(reverse("appeals:filing_delete", args=[filing.pk]))

    assert response.status_code == 302
    assert Filing.objects.count() == Reply.objects.count() == 0
    assert list(Notice.objects.values_list("key", flat=True)) == ["k2"]


def test_my_filings_lists_hers_only(cast, client_for, campaign, filing):
    make_filing(cast["coordinator"], campaign, sent_on=D(2025, 3, 4))

    body = client_for("member").get(reverse("appeals:mine")).content.decode()

    assert body.count(reverse("appeals:filing", args=[filing.pk])) == 1
    assert len(re.findall(r'href="/appeals/filings/\d+/"', body)) == 1
    assert "the answer is late" in body  # due 7 April 2025, long past
    assert timezone.localdate() > filing.answer_due


def test_a_calendar_correction_moves_the_due_dates_of_waiting_filings(cast, campaign):
    from homeward.appeals.models import CalendarDay

    waiting = make_filing(cast["member"], campaign, sent_on=D(2025, 3, 3), registered_on=D(2025, 3, 3))
    answered = make_filing(cast["member"], campaign, sent_on=D(2025, 3, 3), registered_on=D(2025, 3, 3))
    Filing.objects.filter(pk=answered.pk).update(outcome="formal", answered_on=D(2025, 3, 20))
    assert waiting.answer_due == D(2025, 4, 2)

    CalendarDay.objects.create(day=D(2025, 4, 2), kind=CalendarDay.Kind.DAY_OFF, note="test decree")
    changed = services.filings_refresh_dues(today=D(2025, 3, 20))

    assert changed == 1
    assert Filing.objects.get(pk=waiting.pk).answer_due == D(2025, 4, 3)
    assert Filing.objects.get(pk=answered.pk).answer_due == D(2025, 4, 2)
