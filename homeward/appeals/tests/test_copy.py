"""The personal copy: the letter filled from her own records, edited, and downloaded as an A4
PDF with Russian typography; her name and address go into the PDF and nowhere else."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from homeward.appeals.models import Copy
from homeward.appeals.tests.conftest import make_campaign

NAME = "Ветрова Мария Петровна"
ADDRESS = "123456, г. Москва, ул. Ленина, д. 1, кв. 2"


pytestmark = pytest.mark.usefixtures("pages_in_english")


def letter_in(body: str) -> str:
    match = re.search(r'<textarea name="letter"[^>]*>(.*?)</textarea>', body, re.S)
    assert match, "no letter on the page"
    return html.unescape(match.group(1)).strip()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).replace("\xa0", " ").split())


@pytest.fixture
def her_loved_one(cast, loved_one_factory):
    return loved_one_factory(owner=cast["member"], name="Ветров Алексей Иванович")


def test_the_letter_is_filled_from_her_records_and_asks_for_the_rest(cast, client_for, campaign, her_loved_one):
    response = client_for("member").get(reverse("appeals:copy", args=[campaign.pk]))

    assert response.status_code == 200
    body = response.content.decode()
    letter = letter_in(body)
    days = (timezone.localdate() - dt.date(2022, 9, 21)).days
    assert "моего мужа Ветров Алексей Иванович, мобилизованного 21 сентября 2022\xa0г. в регионе Москва" in letter
    assert f"Он служит уже {days} " in letter
    assert "[[your surname, first name and patronymic]]" in letter
    assert "[[your postal address for the reply]]" in letter
    assert 'id="missing"' in body
    assert "not store them" in body


def test_fill_in_again_puts_in_what_she_typed(cast, client_for, campaign, her_loved_one):
    response = client_for("member").post(
        reverse("appeals:copy", args=[campaign.pk]),
        {
            "full_name": NAME,
            "postal_address": ADDRESS,
            "loved_one": her_loved_one.pk,
            "letter": "old",
            "action": "fill",
        },
    )

    assert response.status_code == 200
    letter = letter_in(response.content.decode())
    assert letter.startswith(f"Я, {NAME}, прошу вернуть домой")
    assert f"Адрес для ответа: {ADDRESS}." in letter
    assert "[[" not in letter
    assert 'id="missing"' not in response.content.decode()


def test_without_a_loved_one_on_record_the_letter_asks_and_links_to_record_him(cast, client_for, campaign):
    body = client_for("member").get(reverse("appeals:copy", args=[campaign.pk])).content.decode()

    assert "[[your loved one&#x27;s full name]]" in body or "[[your loved one's full name]]" in html.unescape(body)
    assert reverse("families:add") in body


def test_a_letter_with_gaps_left_is_refused_and_kept(cast, client_for, campaign):
    letter = "Я, [[your surname, first name and patronymic]], прошу…"
    response = client_for("member").post(
        reverse("appeals:copy", args=[campaign.pk]),
        {"full_name": "", "postal_address": "", "letter": letter, "action": "pdf"},
    )

    assert response.status_code == 400
    body = html.unescape(response.content.decode())
    assert "The letter still has gaps marked [[…]]" in body
    assert "Type your full name" in body
    assert letter in body
    assert Copy.objects.count() == 0


def test_the_pdf_is_her_letter_on_a4_with_russian_typography(cast, client_for, campaign, her_loved_one):
    client = client_for("member")
    letter = 'Я, Ветрова М. П., прошу вернуть "моего мужа" домой - он служит в войсках...\n\nВторой абзац.'
    data = {
        "full_name": NAME,
        "postal_address": ADDRESS,
        "loved_one": her_loved_one.pk,
        "letter": letter,
        "action": "pdf",
    }

    response = client.post(reverse("appeals:copy", args=[campaign.pk]), data)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="appeal-{campaign.pk}.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert any("DejaVu-Serif" in f for f in fonts), fonts
    text = pdf_text(response.content)
    assert "Министру обороны Российской Федерации" in text or "Министр обороны Российской Федерации" in text
    assert NAME in text
    assert ADDRESS in text
    assert "«моего мужа» домой — он служит в войсках…" in text
    assert "Обращение" in text
    # her copy is counted once for the funnel; her name and address are not stored
    assert Copy.objects.filter(campaign=campaign, account=cast["member"]).count() == 1
    client.post(reverse("appeals:copy", args=[campaign.pk]), data)
    assert Copy.objects.count() == 1


def test_copies_are_for_members_in_scope(cast, client_for, campaign, chapter_campaign):
    follower = client_for("follower").get(reverse("appeals:copy", args=[campaign.pk]))
    outsider = client_for("outsider").get(reverse("appeals:copy", args=[chapter_campaign.pk]))

    assert follower.status_code == outsider.status_code == 403
    assert "first join your regional chapter" in follower.content.decode()
    assert "This campaign is for the members of the chapter" in outsider.content.decode()


def test_a_closed_campaign_makes_no_more_copies(cast, client_for):
    closed = make_campaign(actor=cast["admin"], closes_on=timezone.localdate() - dt.timedelta(days=1))

    response = client_for("member").get(reverse("appeals:copy", args=[closed.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("appeals:detail", args=[closed.pk])


def test_letters_share_one_font_configuration_and_stylesheet_per_thread():
    import threading

    from homeward.appeals import pdf
    from homeward.lib import pdf as lib_pdf

    letter = pdf.Letter(heading="Обращение", body="Первый абзац.\n\nВторой абзац.", date=dt.date(2025, 3, 3))
    first = pdf.render_pdf(letter)
    shared = lib_pdf._weasyprint()
    sheet = lib_pdf._stylesheet(pdf._STYLESHEET)
    second = pdf.render_pdf(letter)
    other = []
    thread = threading.Thread(target=lambda: other.append(lib_pdf._weasyprint()))
    thread.start()
    thread.join()

    assert lib_pdf._weasyprint() is shared and other[0] is not shared
    assert lib_pdf._stylesheet(pdf._STYLESHEET) is sheet  # parsed once, reused by the second letter
    for content in (first, second):
        page = PdfReader(io.BytesIO(content)).pages[0]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert "Второй абзац." in pdf_text(content)
