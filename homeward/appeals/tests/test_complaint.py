"""When the answer deadline passes without an answer: a complaint to the prosecutor's office,
drafted from the filing's own facts, editable, and printed as PDF — nothing stored."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from homeward.appeals import complaints, selectors
from homeward.appeals.tests.conftest import make_campaign, make_filing

D = dt.date
NAME = "Ветрова Мария Петровна"


pytestmark = pytest.mark.usefixtures("pages_in_english")


@pytest.fixture
def overdue(cast, chapter_a):
    campaign = make_campaign(actor=cast["coordinator"], chapter=chapter_a, opens_on=D(2025, 1, 1))
    return make_filing(
        cast["member"],
        campaign,
        sent_on=D(2025, 3, 3),
        channel="post",
        registered_on=D(2025, 3, 12),
        registration_number="МО-12/345",
    )


def draft_of(body: str) -> str:
    return html.unescape(re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', body, re.S).group(1))


def test_the_draft_is_filled_from_the_filing(cast, overdue):
    dl = selectors.deadlines_of(overdue, calendar=selectors.work_calendar())

    text = complaints.complaint_text(filing=overdue, deadlines=dl, today=D(2025, 4, 20))

    nbsp = "\xa0"
    assert f"3 марта 2025{nbsp}г. мною было направлено письменное обращение" in text
    assert "(адресат: Министр обороны Российской Федерации, Министерство обороны Российской Федерации)" in text
    assert "почтовым отправлением" in text
    assert f"зарегистрировано 12 марта 2025{nbsp}г. за № МО-12/345" in text
    assert f"Срок истёк 11 апреля 2025{nbsp}г." in text  # 12 March + 30 days, a Friday
    assert "части 1 статьи 12" in text
    assert "статьёй 5.59" in text
    assert "О прокуратуре Российской Федерации" in text


def test_an_extension_and_a_missing_registration_are_told(cast, overdue):
    overdue.registered_on = None
    overdue.registration_number = ""
    overdue.extension_notified_on = D(2025, 4, 1)
    overdue.extension_days = 20
    dl = selectors.deadlines_of(overdue, calendar=selectors.work_calendar())

    text = complaints.complaint_text(filing=overdue, deadlines=dl, today=D(2025, 6, 1))

    assert "Сведения о регистрации обращения мне не сообщены" in text
    assert "части 2 статьи 8" in text
    assert "продлён на 20 дн." in text


def test_the_complaint_page_and_its_pdf(cast, client_for, overdue):
    client = client_for("member")
    url = reverse("appeals:filing_complaint", args=[overdue.pk])
    assert timezone.localdate() > overdue.answer_due

    page = client.get(url)
    assert page.status_code == 200
    draft = draft_of(page.content.decode())
    assert "МО-12/345" in draft

    edited = draft + "\n\nДополнение: прошу ответить письменно."
    response = client.post(
        url,
        {
            "prosecutor": "Генеральная прокуратура Российской Федерации",
            "full_name": NAME,
            "postal_address": "123456, г. Москва, ул. Ленина, д. 1",
            "text": edited,
        },
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace("\xa0", " ").split()
    )
    assert "Генеральная прокуратура Российской Федерации" in text
    assert NAME in text
    assert "Жалоба на нарушение Федерального закона № 59-ФЗ" in text
    assert "Дополнение: прошу ответить письменно." in text
    assert "5.59" in text


def test_the_complaint_needs_a_name_an_address_and_a_prosecutor(cast, client_for, overdue):
    response = client_for("member").post(
        reverse("appeals:filing_complaint", args=[overdue.pk]),
        {"prosecutor": "", "full_name": "", "postal_address": "", "text": "x"},
    )

    assert response.status_code == 400
    assert response.content.decode().count('class="error"') >= 3


def test_no_complaint_before_the_due_date(cast, client_for, chapter_a):
    campaign = make_campaign(actor=cast["coordinator"], chapter=chapter_a)
    fresh = make_filing(cast["member"], campaign, sent_on=timezone.localdate())

    response = client_for("member").get(reverse("appeals:filing_complaint", args=[fresh.pk]))

    assert response.status_code == 200
    assert "A complaint about a late answer can be made once that day has passed" in response.content.decode()
    assert 'name="text"' not in response.content.decode()
